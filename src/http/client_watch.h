// Notices a client that goes away while its request is being worked on, without a coroutine or a
// race per request: one per connection, it keeps a callback wait for readability pending on the
// client socket while armed, and a disconnect emits terminal cancellation into the connection's
// coroutine (the session is spawned with this watch's cancellation slot bound), which cancels
// whatever the work is waiting for (the upstream call, a backoff wait).
//
// Disarming does not cancel the wait: it stays queued on the socket and simply completes (ignored)
// with the next request's bytes. asio registers the socket with epoll again (one epoll_ctl) for a
// wait started on an idle socket, but not for reads or waits queued behind a pending one: the
// session's own wait for the next request, and the next watch, ride on it.
//
// What counts as gone: a reset, or an end of input followed by proof of a full close. Bytes of a
// pipelined next request mean the client is still there. End of input is not proof: a client may
// half-close (shutdown(SHUT_WR)) after its request and still read the answer. Then, if the answer
// is not ready within a short grace (250 ms), an HTTP/1.1 client gets an interim `100 Continue`
// (which clients must accept): a client that closed for good answers it with a reset, which is a
// disconnect; one that only half-closed reads on, and is answered (on a connection that then
// closes). HTTP/1.0 allows no interim response: such a client is answered without the check.
//
// Shared (std::shared_ptr) by the session and the pending callbacks, which may run after the
// session ended; it touches the socket only while armed (the session is then alive).
#pragma once

#include "http/types.h"
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

namespace switchyard::http {

class ClientWatch : public std::enable_shared_from_this<ClientWatch> {
 public:
  // Bind to the connection's coroutine when spawning it (asio::bind_cancellation_slot). The watch
  // must outlive that coroutine.
  boost::asio::cancellation_slot cancellation_slot() { return signal_.slot(); }

  // While a Scope lives, a client that goes away cancels the connection's coroutine.
  class Scope {
   public:
    explicit Scope(ClientWatch* watch) : watch_(watch) {}
    ~Scope() {
      if (watch_) watch_->disarm();
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    bool client_gone() const { return watch_ && watch_->gone_; }

   private:
    ClientWatch* watch_;
  };
  Scope watch(http::Socket& socket, unsigned version);

  // The client ended its input (half-closed or closed) during the last watch: no further request
  // can come on this connection.
  bool input_ended() const { return input_ended_; }
  // The last watch cancelled the connection's coroutine: its cancellation state must be reset
  // before it awaits anything else (asio throws on every co_await after a cancellation).
  bool fired() const { return gone_; }

 private:
  void disarm();
  void wait_readable();
  void on_readable(const boost::system::error_code& ec);
  void probe_after(std::chrono::milliseconds delay, bool continue_sent);
  void on_probe(bool continue_sent);
  void gone();

  boost::asio::cancellation_signal signal_;
  http::Socket* socket_ = nullptr;  // set while armed
  std::unique_ptr<http::SteadyTimer> probe_timer_;  // only for half-closed clients
  unsigned generation_ = 0;  // which arming a probe timer belongs to
  unsigned version_ = 11;
  bool wait_pending_ = false;
  bool gone_ = false;
  bool input_ended_ = false;
};

}  // namespace switchyard::http
