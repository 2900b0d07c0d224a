// The HTTP/1.1 server: one io_context (and one thread) per core, each with its own SO_REUSEPORT
// acceptor so connections spread without a shared lock. A session reads one request at a time
// (pipelined requests wait in the buffer, answered in order), enforces header/body limits and
// read timeouts next to the read, and hands each request to the Handler. Knows nothing of LLMs.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/responder.h"
#include "http/types.h"

namespace boost::asio {
class io_context;
}

namespace switchyard::http {

class ConnectionCap;

inline constexpr std::size_t kDefaultBodyMemoryBudgetBytes = std::size_t{256} << 20;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;  // 0: pick a free port (see Server::port())
  int threads = 0;            // 0: one per core
  std::size_t max_header_bytes = 64 << 10;
  std::size_t max_body_bytes = 32 << 20;  // images inline as base64 make LLM requests large
  std::chrono::seconds read_timeout{30};  // for one request's head and body to arrive
  std::chrono::seconds idle_timeout{75};  // keep-alive connection with no request
  std::chrono::milliseconds write_timeout{kDefaultWriteTimeout};  // one write to a client that stopped reading
  // 0: no cap. At the cap, with new clients waiting, idle keep-alive connections (between
  // requests) are closed to make room, oldest idle first; when none is idle, new connections wait
  // in the listen backlog until one ends (see connection_cap.h).
  std::size_t max_connections = 0;
  // Told (on an I/O thread) how many idle connections were closed for that (e.g. for /metrics).
  std::function<void(std::size_t)> on_idle_connections_closed;
  // Request bodies held at once, over every connection (0: no budget). A body that does not fit
  // is refused with 503 before it is read (Content-Length) or as soon as it outgrows the budget.
  std::size_t body_memory_budget_bytes = kDefaultBodyMemoryBudgetBytes;
};

// Called once per request on the connection's I/O thread. Must answer through the Responder.
using Handler = std::function<Awaitable<void>(Request&, Responder&)>;
// Screens a request from its headers alone, before its body is read (e.g. auth): a response
// refuses it (sent with `Connection: close`, the body is never held). Null or nullopt: read on.
using HeadCheck = std::function<std::optional<Response>(const beast_http::request_header<>&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler, HeadCheck head_check = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds every acceptor; throws std::system_error when the address is taken.
  void start();
  // Blocks until stop() (or a signal handler calling it) ends every I/O thread.
  void wait();
  void stop();
  // Graceful shutdown, first half: stop accepting connections, answer requests already being
  // handled with `Connection: close`, and wait (up to `limit`) until none is in flight. Returns
  // how many were still in flight when it gave up (0: drained). Call stop() afterwards.
  int drain(std::chrono::milliseconds limit);

  // What sessions share with the server (requests in flight, draining).
  struct Shared {
    std::atomic<int> in_flight{0};
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> body_bytes{0};   // request body bytes reserved, for the body budget
  };

  std::uint16_t port() const { return bound_port_; }
  int threads() const { return static_cast<int>(contexts_.size()); }

 private:
  ServerOptions options_;
  Handler handler_;
  HeadCheck head_check_;
  // Before the io_contexts: destroying them destroys the sessions' frames, which give slots back.
  std::unique_ptr<ConnectionCap> cap_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<http::Acceptor>> acceptors_;
  Shared shared_;
  std::uint16_t bound_port_ = 0;
};

}  // namespace switchyard::http
