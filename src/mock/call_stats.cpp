#include "mock/call_stats.h"

#include <boost/json.hpp>

namespace switchyard::mock {

namespace {
void update(std::map<std::string, std::uint64_t, std::less<>>& by_path, std::string_view path) {
  if (const auto it = by_path.find(path); it != by_path.end())
    ++it->second;
  else
    by_path.emplace(std::string(path), 1);
}
}  // namespace

void CallStats::record(std::string_view model, std::string_view path, HeaderList headers, std::string body) {
  total_.fetch_add(1, std::memory_order_relaxed);
  const auto fill = [&](ModelStats& s) {
    s.calls.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(s.mutex);
    update(s.calls_by_path, path);
    s.last_path.assign(path);
    s.last_headers = std::move(headers);
    s.last_body = std::move(body);
  };
  {
    // The shared lock is held while filling so reset() cannot free the entry under us.
    std::shared_lock lock(mutex_);
    if (const auto it = models_.find(model); it != models_.end()) {
      fill(*it->second);
      return;
    }
  }
  std::unique_lock lock(mutex_);
  auto& slot = models_[std::string(model)];
  if (!slot) slot = std::make_unique<ModelStats>();
  fill(*slot);
}

void CallStats::reset() {
  std::unique_lock lock(mutex_);
  models_.clear();
  total_.store(0);
  aborted_streams_.store(0);
  abandoned_calls_.store(0);
  token_grants_.store(0);
  auth_failures_.store(0);
  closed_after_answer_.store(0);
}

boost::json::object CallStats::to_json() const {
  boost::json::object models;
  std::shared_lock map_lock(mutex_);
  for (const auto& [name, s] : models_) {
    boost::json::object m;
    std::lock_guard lock(s->mutex);
    m["calls"] = s->calls.load();
    boost::json::object by_path;
    for (const auto& [path, n] : s->calls_by_path) by_path[path] = n;
    m["calls_by_path"] = std::move(by_path);
    m["last_path"] = s->last_path;
    boost::json::object headers;
    for (const auto& [k, v] : s->last_headers) headers[k] = v;
    m["last_headers"] = std::move(headers);
    boost::system::error_code ec;
    auto body = boost::json::parse(s->last_body, ec);
    m["last_body"] = ec ? boost::json::value(s->last_body) : std::move(body);
    m["last_body_text"] = s->last_body;  // the bytes as sent, for tests of their spelling
    models[name] = std::move(m);
  }
  return {{"total", total()}, {"aborted_streams", aborted_streams()}, {"abandoned_calls", abandoned_calls()},
          {"token_grants", token_grants_.load(std::memory_order_relaxed)},
          {"auth_failures", auth_failures_.load(std::memory_order_relaxed)},
          {"closed_after_answer", closed_after_answer_.load(std::memory_order_relaxed)},
          {"models", std::move(models)}};
}

}  // namespace switchyard::mock
