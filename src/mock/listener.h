// The mock's HTTP listener. Same shape as http::Server (one io_context and SO_REUSEPORT acceptor
// per thread, one coroutine per connection, http::Responder to answer) but it keeps the socket
// within reach of the handler's outcome: a transport fault has to reset the connection with RST
// or leave it hanging, which http::Server, rightly for the gateway, does not let a handler do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/responder.h"
#include "http/types.h"

namespace boost::asio {
class io_context;
}

namespace switchyard::mock {

// What the session does after the handler returns.
enum class Disposition {
  answered,  // the handler answered through the Responder (keep-alive as the request asked)
  reset,     // close with SO_LINGER 0: the peer sees ECONNRESET, no response
  hang,      // send nothing; keep the socket open until the peer closes it
  close,     // close the connection (FIN) now, whatever keep-alive said
};

using MockHandler = std::function<http::Awaitable<Disposition>(http::Request&, http::Responder&)>;

struct ListenerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  int threads = 0;  // 0: one per core
  std::size_t max_body_bytes = 32 << 20;
  std::chrono::seconds idle_timeout{75};
  // Called once a connection the handler answered with Disposition::close is closed (its FIN
  // sent): tests wait on it before the next request, so a closed pooled connection is a fact.
  std::function<void()> on_closed_after_answer;
};

class Listener {
 public:
  Listener(ListenerOptions options, MockHandler handler);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void start();  // throws std::system_error when the address is taken
  void wait();
  void stop();
  std::uint16_t port() const { return bound_port_; }

 private:
  ListenerOptions options_;
  MockHandler handler_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::thread> threads_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace switchyard::mock
