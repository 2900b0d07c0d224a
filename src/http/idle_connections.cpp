#include "http/idle_connections.h"

#include <algorithm>
#include <vector>

namespace switchyard::http {

IdleConnections::Entry::Entry(IdleConnections& list, Socket& socket, const ConnectionDeadline& deadline)
    : list_(list), next_(list.head_), socket_(socket), deadline_(deadline) {
  if (next_) next_->prev_ = this;
  list_.head_ = this;
}

IdleConnections::Entry::~Entry() {
  if (prev_) prev_->next_ = next_;
  else list_.head_ = next_;
  if (next_) next_->prev_ = prev_;
}

std::vector<IdleConnections::Entry*> IdleConnections::oldest(std::size_t n) const {
  std::vector<Entry*> idle;  // the cold path: only at the cap, with clients waiting
  for (auto* e = head_; e; e = e->next_)
    if (e->idle_) idle.push_back(e);
  // Every idle deadline is "went idle + idle_timeout": the earliest went idle first.
  std::sort(idle.begin(), idle.end(),
            [](const Entry* a, const Entry* b) { return a->deadline_.expiry() < b->deadline_.expiry(); });
  std::vector<Entry*> chosen;
  for (auto* e : idle) {
    if (chosen.size() == n) break;
    boost::system::error_code ec;
    // Bytes of a next request whose readiness the session has not handled yet: not idle (and a
    // cancel would not reach a wait whose completion is already queued anyway).
    if (e->socket_.available(ec) == 0) chosen.push_back(e);
  }
  return chosen;
}

std::vector<Clock::time_point> IdleConnections::oldest_idle(std::size_t n) const {
  std::vector<Clock::time_point> out;
  for (const auto* e : oldest(n)) out.push_back(e->deadline_.expiry());
  return out;
}

std::size_t IdleConnections::close_oldest(std::size_t n) {
  const auto chosen = oldest(n);
  for (auto* e : chosen) {
    e->idle_ = false;  // not picked twice before its session runs
    boost::system::error_code ignored;
    e->socket_.cancel(ignored);
  }
  return chosen.size();
}

}  // namespace switchyard::http
