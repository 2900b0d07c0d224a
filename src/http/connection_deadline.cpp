#include "http/connection_deadline.h"

#include "http/exact_allocator.h"

#include <boost/asio/bind_allocator.hpp>

namespace switchyard::http {

void ConnectionDeadline::arm(Clock::time_point at) {
  armed_ = true;
  armed_at_ = at;
  timer_.expires_at(at);  // cancels a wait armed later than this
  // Allocated to size: the wait stays pending on an idle connection, where one of asio's recycled
  // blocks (any size a busy moment freed) would be held instead. Armed once per horizon, not per
  // request.
  timer_.async_wait(boost::asio::bind_allocator(ExactAllocator<void>(), [self = shared_from_this()](
                                                                           const boost::system::error_code& ec) {
    if (ec) return;  // re-armed earlier, or detached
    self->armed_ = false;
    self->armed_at_ = Clock::time_point::max();
    self->on_timer();
  }));
}

void ConnectionDeadline::on_timer() {
  if (!socket_ || deadline_ == Clock::time_point::max()) return;  // armed again by the next deadline
  const auto now = Clock::now();
  if (now < deadline_) {
    // The timer never fires later than a deadline set meanwhile: each is at least `horizon` ahead.
    arm(std::min(deadline_, now + horizon_));
    return;
  }
  timed_out_ = true;
  boost::system::error_code ignored;
  socket_->cancel(ignored);
  // A cancel reaches only the operations waiting at this moment. One whose completion is already
  // queued (a read that found data the same reactor pass) runs as a success, and the operation
  // its owner starts next would wait with no deadline at all (beast::basic_stream closes the
  // socket instead). So the deadline stays passed and cancels again, until its owner sets a new
  // one (expires_*) or detaches: an operation started late is cancelled within kRecancel.
  arm(now + kRecancel);
}

}  // namespace switchyard::http
