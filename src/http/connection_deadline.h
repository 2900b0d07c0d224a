// A client connection's I/O deadline (read, idle, write timeouts) that does not re-arm the
// reactor's timer each time it moves. Beast's tcp_stream arms a timer per operation: every
// expires_after/expires_never that changes the earliest timer costs a timerfd_settime syscall,
// about four per request. Here the deadline is a plain time_point; one timer per connection fires
// at most every `horizon` (the shortest timeout configured: a new deadline is then never earlier
// than the timer; an earlier one re-arms it) and, when the deadline has passed, cancels the socket's operations, which then
// complete with operation_aborted while timed_out() is true. Setting a deadline is a clock read
// and a compare.
//
// Shared (std::shared_ptr) by the session and the timer's callback, which may run after the
// session ended: the session attaches its socket and detaches it (Attachment) before it goes.
#pragma once

#include "http/types.h"
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

namespace switchyard::http {

class ConnectionDeadline : public std::enable_shared_from_this<ConnectionDeadline> {
 public:
  using Clock = std::chrono::steady_clock;
  ConnectionDeadline(const http::Executor& executor, std::chrono::milliseconds horizon)
      : timer_(executor), horizon_(horizon) {}

  // While alive, a passed deadline cancels `socket`'s operations.
  class Attachment {
   public:
    Attachment(ConnectionDeadline& deadline, http::Socket& socket) : deadline_(deadline) {
      deadline_.socket_ = &socket;
    }
    ~Attachment() {
      deadline_.socket_ = nullptr;
      deadline_.timer_.cancel();
    }
    Attachment(const Attachment&) = delete;
    Attachment& operator=(const Attachment&) = delete;

   private:
    ConnectionDeadline& deadline_;
  };

  void expires_after(Clock::duration d) { expires_at(Clock::now() + d); }
  void expires_never() { expires_at(Clock::time_point::max()); }
  void expires_at(Clock::time_point t) {
    deadline_ = t;
    timed_out_ = false;
    if (t == Clock::time_point::max()) return;
    if (!armed_) arm(std::min(t, Clock::now() + horizon_));
    else if (t < armed_at_) arm(t);  // shorter than the horizon (a lingering close): rare
  }
  http::Executor executor() { return timer_.get_executor(); }
  // When the deadline passes (time_point::max(): never).
  Clock::time_point expiry() const { return deadline_; }
  // Each operation that failed with operation_aborted while this is true timed out. A passed
  // deadline keeps cancelling what the socket starts (every kRecancel) until it is set again.
  bool timed_out() const { return timed_out_; }

 private:
  void arm(Clock::time_point at);
  void on_timer();

  // How soon a passed deadline cancels again (see on_timer).
  static constexpr std::chrono::milliseconds kRecancel{20};

  http::SteadyTimer timer_;
  std::chrono::milliseconds horizon_;
  http::Socket* socket_ = nullptr;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_at_ = Clock::time_point::max();
  bool armed_ = false;
  bool timed_out_ = false;
};

}  // namespace switchyard::http
