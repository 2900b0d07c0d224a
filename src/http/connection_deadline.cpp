#include "http/connection_deadline.h"

namespace switchyard::http {

void ConnectionDeadline::arm(Clock::time_point at) {
  armed_ = true;
  armed_at_ = at;
  timer_.expires_at(at);  // cancels a wait armed later than this
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed earlier, or detached
    self->armed_ = false;
    self->armed_at_ = Clock::time_point::max();
    self->on_timer();
  });
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
  deadline_ = Clock::time_point::max();
  boost::system::error_code ignored;
  socket_->cancel(ignored);
}

}  // namespace switchyard::http
