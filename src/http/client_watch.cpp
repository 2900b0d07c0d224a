#include "http/client_watch.h"

#include "http/exact_allocator.h"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string_view>
#include <sys/socket.h>

namespace switchyard::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
namespace {

// After a client's end of input: how long before the `100 Continue` probe is sent, and how often
// the socket is then checked for the reset of a full close.
constexpr std::chrono::milliseconds kHalfCloseGrace{250};
constexpr std::chrono::milliseconds kHalfCloseProbeInterval{50};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool closed_for_good(int fd) {
  int error = 0;
  socklen_t error_len = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0 || error != 0) return true;
  tcp_info info{};
  socklen_t info_len = sizeof info;
  return ::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_len) == 0 && info.tcpi_state == TCP_CLOSE;
}

}  // namespace

ClientWatch::Scope ClientWatch::watch(Socket& socket, unsigned version) {
  ++generation_;
  socket_ = &socket;
  version_ = version;
  gone_ = false;
  input_ended_ = false;
  if (!wait_pending_) wait_readable();  // else the last one, still queued, serves this request too
  return Scope(this);
}

void ClientWatch::disarm() {
  if (probe_timer_) probe_timer_->cancel();
  socket_ = nullptr;
}

void ClientWatch::wait_readable() {
  wait_pending_ = true;
  // Allocated to size: the wait stays queued on an idle connection (see client_watch.h), where one
  // of asio's recycled blocks (any size a busy moment freed) would be held instead.
  socket_->async_wait(Socket::wait_read,
                      asio::bind_allocator(ExactAllocator<void>(), [self = shared_from_this()](
                                                                       const boost::system::error_code& ec) {
                        self->on_readable(ec);
                      }));
}

void ClientWatch::on_readable(const boost::system::error_code& ec) {
  wait_pending_ = false;
  if (!socket_ || ec == asio::error::operation_aborted) return;  // not watching: the next request's bytes
  if (ec) {
    gone();  // the socket itself failed: nobody is listening any more
    return;
  }
  // Readable: the peer closed or half-closed (recv sees the end), reset (an error), or it
  // pipelined more bytes.
  char byte = 0;
  const auto n = ::recv(socket_->native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return;  // a pipelined next request: the client is still there
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) wait_readable();  // nothing after all
    else gone();
    return;
  }
  input_ended_ = true;
  // Most answers come before the grace ends: a half-closing client then gets no interim line.
  if (version_ >= 11) probe_after(kHalfCloseGrace, false);
}

void ClientWatch::probe_after(std::chrono::milliseconds delay, bool continue_sent) {
  if (!probe_timer_) probe_timer_ = std::make_unique<SteadyTimer>(socket_->get_executor());
  probe_timer_->expires_after(delay);
  probe_timer_->async_wait([self = shared_from_this(), generation = generation_,
                            continue_sent](const boost::system::error_code& ec) {
    if (ec || generation != self->generation_ || !self->socket_) return;  // cancelled: the work finished
    self->on_probe(continue_sent);
  });
}

void ClientWatch::on_probe(bool continue_sent) {
  const int fd = socket_->native_handle();
  if (!continue_sent) {
    if (::send(fd, kContinue.data(), kContinue.size(), MSG_DONTWAIT | MSG_NOSIGNAL) !=
        static_cast<ssize_t>(kContinue.size())) {
      gone();
      return;
    }
  } else if (closed_for_good(fd)) {
    gone();
    return;
  }
  probe_after(kHalfCloseProbeInterval, true);
}

void ClientWatch::gone() {
  gone_ = true;
  signal_.emit(asio::cancellation_type::terminal);
}

}  // namespace switchyard::http
