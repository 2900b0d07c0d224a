// max_connections over every I/O thread. An accept loop takes a slot once a client waits on its
// listening socket (server.cpp, take_connection_slot), and the session gives it back when it
// ends. At the cap, the accept loop makes room: it closes idle keep-alive connections, as many as
// clients wait on that socket (at most kMaxShedBurst), the oldest idle over all threads first,
// and sleeps until a slot frees: the session that gives a slot back, or whose connection becomes
// idle, wakes the accept loops that wait (no polling). Busy connections are never closed: when
// all are busy, new clients wait in the listen backlog until one ends or becomes idle.
//
// A shedding round, since each thread's connections are touched only on that thread: every
// thread reports the idle deadlines of its oldest idle connections; the last to report picks the
// oldest overall and asks each thread to close its share (a mutex guards the round: the cold
// path, never taken per request or per connection). The round ends when the closed sessions have
// given their slots back; an accept loop asking meanwhile waits for those.
//
// The common path: taking a slot is one compare-exchange per connection, giving it back one
// fetch_sub and one load of the sleeping accept loops' count (a post only when one sleeps). Per
// request (became_idle): one relaxed load of that count, on a cache line of its own that is
// written only when an accept loop goes to sleep at the cap.
#pragma once

#include "http/idle_connections.h"
#include "http/types.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace switchyard::http {

class ConnectionCap {
 public:
  // The most connections one burst closes (nginx's ngx_drain_connections closes 32 at most).
  static constexpr std::size_t kMaxShedBurst = 32;

  // `max` 0: no cap. `on_shed` (may be empty) is told how many idle connections a thread closed,
  // on that thread.
  ConnectionCap(std::size_t max, std::function<void(std::size_t)> on_shed);
  ConnectionCap(const ConnectionCap&) = delete;
  ConnectionCap& operator=(const ConnectionCap&) = delete;

  // One per I/O thread, in thread order, before anything runs.
  void add_thread(boost::asio::io_context& context);
  IdleConnections& idle_connections(std::size_t thread) { return threads_[thread]->idle; }

  bool limited() const { return max_ != 0; }
  bool try_take();
  void release();
  // A session's connection is idle again: an accept loop sleeping for room can now close it.
  void became_idle() {
    if (sleepers_.load(std::memory_order_relaxed) != 0) wake_sleepers();
  }

  // At the cap, with a client waiting on the listening socket `listener` of `thread`: closes idle
  // connections to make room (see above), then returns once a slot may be free (or after a
  // while, as a safety net). The caller takes the slot with try_take, and may lose it to another
  // thread's accept loop.
  Awaitable<void> make_room(std::size_t thread, int listener);

  // From now on a freed slot wakes nobody: the I/O threads have ended and their io_contexts are
  // about to be destroyed (with the sessions' frames, which give their slots back).
  void stop_waking() { waking_.store(false); }

  // The slot a session holds; given back when the session ends.
  class Slot {
   public:
    explicit Slot(ConnectionCap& cap) : cap_(cap) {}
    ~Slot() { cap_.release(); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    ConnectionCap& cap_;
  };

 private:
  struct PerThread {
    explicit PerThread(boost::asio::io_context& c) : context(c) {}
    boost::asio::io_context& context;
    IdleConnections idle;
    SteadyTimer* wake = nullptr;       // the accept loop sleeps on it (make_room); a freed slot cancels it
    std::atomic<bool> waiting{false};  // the accept loop sleeps for a slot
  };
  // A shedding round (see above); only one runs at a time, from the first report asked for until
  // the sessions it closed have given their slots back (a round started before would close more).
  struct Round {
    std::mutex mutex;
    bool running = false;
    std::size_t wanted = 0;        // connections to close
    std::size_t reports_left = 0;  // threads yet to report
    std::size_t closers_left = 0;  // threads yet to close their share
    std::vector<std::pair<Clock::time_point, std::size_t>> candidates;  // idle deadline, thread
  };
  void request_shedding(std::size_t clients_waiting);
  void report(std::size_t thread, const std::vector<Clock::time_point>& oldest_idle);
  void close_share(std::size_t thread, std::size_t n);
  void end_round();
  void log_burst(std::size_t clients_waiting);
  void wake_sleepers();

  std::size_t max_;
  std::function<void(std::size_t)> on_shed_;
  std::vector<std::unique_ptr<PerThread>> threads_;
  std::atomic<std::size_t> open_{0};
  Round round_;
  std::atomic<std::int64_t> last_log_second_{-1};
  std::atomic<bool> waking_{true};
  // Accept loops sleeping in make_room; read per request (became_idle), so alone on its line.
  alignas(64) std::atomic<int> sleepers_{0};
};

}  // namespace switchyard::http
