// What the mock has been asked, for tests to assert on (`GET /mock/stats`): calls per model and
// per path, and the last request's path, headers and body. Recording is on every call's path, so
// the map is read under a shared lock and each model's last request has its own small mutex.
// `aborted_streams` counts streamed answers cut short because a write to the client failed (the
// client, e.g. the gateway cancelling upstream, closed the connection mid-stream);
// `abandoned_calls` counts calls whose client hung up while the mock was still thinking
// (latency_ms), before any byte of the answer. `token_grants` counts access tokens the Google
// token endpoint issued; `auth_failures` requests refused by a token, key or signature check
// (those never reach the per-model stats).
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::mock {

using HeaderList = std::vector<std::pair<std::string, std::string>>;  // names lower-cased

class CallStats {
 public:
  void record(std::string_view model, std::string_view path, HeaderList headers, std::string body);
  void record_aborted_stream() { aborted_streams_.fetch_add(1, std::memory_order_relaxed); }
  void record_abandoned_call() { abandoned_calls_.fetch_add(1, std::memory_order_relaxed); }
  void record_token_grant() { token_grants_.fetch_add(1, std::memory_order_relaxed); }
  void record_auth_failure() { auth_failures_.fetch_add(1, std::memory_order_relaxed); }
  void record_closed_after_answer() { closed_after_answer_.fetch_add(1, std::memory_order_relaxed); }
  void reset();
  std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }
  std::uint64_t aborted_streams() const { return aborted_streams_.load(std::memory_order_relaxed); }
  std::uint64_t abandoned_calls() const { return abandoned_calls_.load(std::memory_order_relaxed); }

  // {"total":N,"aborted_streams":N,"abandoned_calls":N,"token_grants":N,"auth_failures":N,"closed_after_answer":N,"models":{"<model>":{"calls":n,"calls_by_path":{…},"last_path":…,
  //  "last_headers":{…},"last_body":{…} (parsed JSON; the raw text when it is not JSON), "last_body_text": the bytes}}}
  boost::json::object to_json() const;

 private:
  struct ModelStats {
    std::atomic<std::uint64_t> calls{0};
    mutable std::mutex mutex;  // guards the fields below
    std::map<std::string, std::uint64_t, std::less<>> calls_by_path;
    std::string last_path;
    HeaderList last_headers;
    std::string last_body;
  };
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> aborted_streams_{0};
  std::atomic<std::uint64_t> abandoned_calls_{0};
  std::atomic<std::uint64_t> token_grants_{0};
  std::atomic<std::uint64_t> auth_failures_{0};
  std::atomic<std::uint64_t> closed_after_answer_{0};
  mutable std::shared_mutex mutex_;  // guards the map, not the ModelStats it points to
  std::map<std::string, std::unique_ptr<ModelStats>, std::less<>> models_;
};

}  // namespace switchyard::mock
