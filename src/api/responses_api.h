// The gateway side of OpenAI's Responses API: decoding `POST /v1/responses` into a routable
// ChatRequest (format `responses`, a fresh resp_ id), the response store behind `store` and
// `previous_response_id`, and `GET`/`DELETE /v1/responses/{id}`. The wire conversion itself is in
// providers/responses_codec (pure) and providers/responses_call (per deployment).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "api/response_owner.h"
#include "config/config.h"
#include "core/chat.h"
#include "http/types.h"
#include "router/router.h"
#include "state/state_store.h"

namespace switchyard::api {

// Stored responses, in this instance's memory: bounded (oldest evicted first) and expiring.
// Sharded by id so concurrent requests rarely share a lock; the critical sections copy strings.
class ResponseStore {
 public:
  static constexpr std::size_t kDefaultMaxEntries = 10'000;
  static constexpr std::chrono::seconds kDefaultTtl{6 * 3600};
  static constexpr std::size_t kDefaultMaxBytes = 256u << 20;  // conversations can be large

  explicit ResponseStore(std::size_t max_entries = kDefaultMaxEntries, std::chrono::seconds ttl = kDefaultTtl,
                         std::size_t max_bytes = kDefaultMaxBytes);

  struct Entry {
    std::string response;       // the Response object (JSON)
    std::string conversation;   // every item up to and including this response's output (JSON array)
    std::string owner;          // key_fingerprint of the key that stored it; empty: an open gateway's
  };
  void put(const std::string& id, Entry entry);
  // Held (whoever owns it) and not to be checked against Redis: whether a shared copy must be fetched.
  bool holds(const std::string& id) const;
  // The entry when `caller` may use it; an entry of another key is as absent as an unknown id.
  std::optional<Entry> get(const std::string& id, const StoreCaller& caller) const;
  // The erased entry (for its output items), nullopt when absent or another key's.
  std::optional<Entry> erase(const std::string& id, const StoreCaller& caller);
  // Another instance deleted it (whoever owned it): drop this copy. Called on the Redis store's
  // subscriber thread; it takes only the id's shard lock, like every other call here.
  void forget(const std::string& id);
  // A copy fetched from Redis, kept unless a forget() of an id of the same shard ran since
  // `forgets_seen` (forgets(id), read before the fetch): the fetched value may predate that
  // delete. False when not kept (fetch again). Per shard, so that deletes elsewhere in a busy
  // cluster seldom turn a fetch away.
  bool put_fetched(const std::string& id, Entry entry, std::uint64_t forgets_seen);
  // Deletes may have been missed (the Redis subscription broke): every entry is checked against
  // Redis when next named (holds() is false until then; get() still answers from it).
  void recheck_all();
  // Checked: Redis has no copy (lost in a Redis restart, or never written while it was down), so
  // this one stands.
  void confirm(const std::string& id);
  std::uint64_t forgets(const std::string& id) const { return shard_of(id).forgets.load(std::memory_order_acquire); }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  static constexpr std::size_t kShards = 16;
  struct Stored {
    Entry entry;
    std::chrono::steady_clock::time_point expires;
    bool recheck = false;  // a delete may have been missed: look in Redis before trusting it
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Stored> entries;
    std::deque<std::string> order;  // insertion order, for eviction
    std::size_t bytes = 0;          // of the entries' strings
    // forget() calls on this shard so far; changed under `mutex`, so a put_fetched() of an id of
    // this shard sees it.
    std::atomic<std::uint64_t> forgets{0};
  };
  Shard& shard_of(const std::string& id) const;
  void put_locked(Shard& shard, const std::string& id, Entry entry);
  std::size_t max_per_shard_;
  std::size_t max_bytes_per_shard_;
  std::chrono::seconds ttl_;
  mutable std::array<Shard, kShards> shards_;
};

// `POST /v1/responses` body → a ChatRequest, with previous_response_id's conversation put in
// front of `input`; or the error response (400, 404 for an unknown model or response id).
std::variant<core::ChatRequest, http::Response> decode_responses_request(const http::Request& request,
                                                                        const router::Router& router,
                                                                        const ResponseStore& store,
                                                                        std::string request_id);

// The handler of state::StateStore::on_shared_deleted: another instance (or this one) deleted a
// shared value, so a stored response's or item's local copy is dropped; an empty key (deletes may
// have been missed) has every entry rechecked against Redis.
void forget_shared(ResponseStore& store, std::string_view shared_key);

// Keeps an answered response when the request did not say `store: false`: here, and through
// `shared` (Redis, when configured) for the other instances.
void store_response(ResponseStore& store, state::StateStore& shared, const core::ChatRequest& request,
                    const boost::json::object& response);

// With Redis: the stored responses and items this request names (previous_response_id,
// item_reference ids, the id of GET /v1/responses/{id}) that this instance does not hold are
// fetched into `store`, so another instance's responses continue here. Nothing to fetch: no
// coroutine frame is paid for (the caller checks needs_shared_fetch first).
bool needs_shared_fetch(const http::Request& request, std::string_view path, const ResponseStore& store,
                        const state::StateStore& shared, const config::GeneralSettings& general);
http::Awaitable<void> fetch_shared(const http::Request& request, std::string_view path, ResponseStore& store,
                                   state::StateStore& shared, const config::GeneralSettings& general);

// `GET /v1/responses/{id}` and `DELETE /v1/responses/{id}` (of the caller's own responses: see
// response_owner.h; a delete removes its output items and the Redis copies too, and tells the
// other instances); nullopt when the path is not one.
std::optional<http::Response> answer_stored_response(const http::Request& request, std::string_view path,
                                                     ResponseStore& store, state::StateStore& shared,
                                                     const config::GeneralSettings& general);

// Offered built-in tools that the answering (translated) deployment could not run, for the
// `x-switchyard-omitted-tools` header (never silently dropped).
void set_omitted_tools_header(http::Response& res, const core::ChatRequest& request,
                              const config::Deployment* deployment);
// The same list for a caller that formats its header lines itself (empty: no header).
std::string omitted_tools_header(const core::ChatRequest& request, const config::Deployment* deployment);

}  // namespace switchyard::api
