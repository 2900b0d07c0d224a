#include "http/connection_cap.h"

#include "core/log_line.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <iostream>
#include <string>

namespace switchyard::http {
namespace asio = boost::asio;
namespace {

// A freed slot or a connection becoming idle wakes the sleeping accept loops; this only bounds a
// sleep no wake-up ends (none is expected: see make_room and became_idle).
constexpr std::chrono::seconds kSlotWaitLimit{1};

// Connections waiting in a listening socket's accept queue (Linux reports it in TCP_INFO's
// tcpi_unacked for a socket in LISTEN state); 1 when unknown: the caller saw it readable.
std::size_t clients_waiting(int listener) {
  tcp_info info{};
  socklen_t len = sizeof info;
  if (::getsockopt(listener, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 || info.tcpi_state != TCP_LISTEN) return 1;
  return std::max<std::size_t>(1, info.tcpi_unacked);
}

}  // namespace

ConnectionCap::ConnectionCap(std::size_t max, std::function<void(std::size_t)> on_shed)
    : max_(max), on_shed_(std::move(on_shed)) {}

void ConnectionCap::add_thread(asio::io_context& context) { threads_.push_back(std::make_unique<PerThread>(context)); }

bool ConnectionCap::try_take() {
  auto now = open_.load(std::memory_order_relaxed);
  do {
    if (max_ != 0 && now >= max_) return false;
  } while (!open_.compare_exchange_weak(now, now + 1, std::memory_order_relaxed));
  return true;
}

void ConnectionCap::release() {
  // seq_cst, with make_room's: either the accept loop sees this slot free, or this sees it sleep.
  open_.fetch_sub(1);
  if (sleepers_.load() != 0) wake_sleepers();
}

void ConnectionCap::wake_sleepers() {
  if (!waking_.load(std::memory_order_relaxed)) return;
  for (const auto& t : threads_)
    if (t->waiting.load())
      asio::post(t->context, [t = t.get()] {
        if (t->wake) t->wake->cancel();
      });
}

Awaitable<void> ConnectionCap::make_room(std::size_t thread, int listener) {
  auto& t = *threads_[thread];
  SteadyTimer wake(co_await asio::this_coro::executor, kSlotWaitLimit);
  t.wake = &wake;
  t.waiting.store(true);
  sleepers_.fetch_add(1);  // seq_cst, paired with release(): see the load below
  // Cleared however the sleep ends (the frame may also be destroyed with the io_context).
  struct Sleeping {
    PerThread& t;
    std::atomic<int>& sleepers;
    ~Sleeping() {
      sleepers.fetch_sub(1);
      t.waiting.store(false);
      t.wake = nullptr;
    }
  } sleeping{t, sleepers_};
  // Either this sees a slot freed meanwhile, or release() sees this sleeper. A wake-up is posted
  // to this thread, so it runs after the wait below has started.
  if (open_.load() < max_) co_return;
  request_shedding(clients_waiting(listener));
  auto [ec] = co_await wake.async_wait(asio::as_tuple(kUseAwaitable));
  (void)ec;  // cancelled: a slot was freed or a connection became idle; expired: look again anyway
}

void ConnectionCap::request_shedding(std::size_t clients) {
  const auto burst = std::clamp<std::size_t>(clients, 1, kMaxShedBurst);
  {
    std::lock_guard lock(round_.mutex);
    round_.wanted = std::max(round_.wanted, burst);
    // A round under way closes what it can; an accept loop it leaves without a slot is woken by
    // the slots it frees and asks again.
    if (round_.running) return;
    round_.running = true;
    round_.reports_left = threads_.size();
    round_.candidates.clear();
  }
  log_burst(clients);
  for (std::size_t i = 0; i < threads_.size(); ++i)
    asio::post(threads_[i]->context, [this, i] {
      std::size_t wanted = 0;
      {
        std::lock_guard lock(round_.mutex);
        wanted = round_.wanted;
      }
      report(i, threads_[i]->idle.oldest_idle(wanted));
    });
}

void ConnectionCap::report(std::size_t thread, const std::vector<Clock::time_point>& oldest_idle) {
  std::vector<std::size_t> share(threads_.size(), 0);
  {
    std::lock_guard lock(round_.mutex);
    for (const auto at : oldest_idle) round_.candidates.emplace_back(at, thread);
    if (--round_.reports_left > 0) return;
    auto& all = round_.candidates;
    const auto n = std::min(round_.wanted, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end());
    for (std::size_t i = 0; i < n; ++i) ++share[all[i].second];
    round_.closers_left =
        static_cast<std::size_t>(std::count_if(share.begin(), share.end(), [](std::size_t s) { return s > 0; }));
    if (round_.closers_left == 0) {
      round_.running = false;  // nothing idle: the accept loops wait for a slot or an idle connection
      round_.wanted = 0;
      return;
    }
  }
  // Each thread closes its share, its oldest idle (those it reported, unless they woke meanwhile).
  for (std::size_t i = 0; i < threads_.size(); ++i)
    if (share[i] > 0) asio::post(threads_[i]->context, [this, i, n = share[i]] { close_share(i, n); });
}

void ConnectionCap::close_share(std::size_t thread, std::size_t n) {
  auto& t = *threads_[thread];
  if (const auto closed = t.idle.close_oldest(n); closed > 0 && on_shed_) on_shed_(closed);
  // The cancelled sessions' completions are queued on this thread ahead of this post: when it
  // runs, they have ended and given their slots back.
  asio::post(t.context, [this] { end_round(); });
}

void ConnectionCap::end_round() {
  std::lock_guard lock(round_.mutex);
  if (--round_.closers_left > 0) return;
  round_.running = false;
  round_.wanted = 0;
}

void ConnectionCap::log_burst(std::size_t clients) {
  // At most a line a second (as nginx's "worker_connections are not enough, reusing connections").
  const auto second =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  auto last = last_log_second_.load(std::memory_order_relaxed);
  if (last == second || !last_log_second_.compare_exchange_strong(last, second, std::memory_order_relaxed)) return;
  core::log_line(std::cerr, "switchyard: " + std::to_string(max_) + " connections open (max_connections) and " +
                                std::to_string(clients) +
                                " waiting: closing idle keep-alive connections to make room, oldest idle first");
}

}  // namespace switchyard::http
