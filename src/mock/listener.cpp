#include "mock/listener.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace switchyard::mock {
using http::Acceptor;
using http::kUseAwaitable;
using http::Socket;
using http::SteadyTimer;
using http::TcpStream;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
namespace {

constexpr auto kUseTuple = asio::as_tuple(kUseAwaitable);
constexpr std::size_t kHangReadBytes = 4096;

void reset_socket(Socket& socket) {
  // SO_LINGER with a zero timeout makes close() send RST and drop unsent data.
  socket.set_option(asio::socket_base::linger(true, 0));
  beast::error_code ignored;
  socket.close(ignored);
}

// Reads and drops whatever arrives until the peer closes: the connection stays open, unanswered,
// and its coroutine ends with the peer instead of leaking until shutdown.
http::Awaitable<void> hang(TcpStream& stream) {
  stream.expires_never();
  char scratch[kHangReadBytes];
  for (;;) {
    auto [ec, n] = co_await stream.socket().async_read_some(asio::buffer(scratch), kUseTuple);
    if (ec) co_return;
  }
}

http::Awaitable<void> session(Socket socket, const MockHandler& handler, const ListenerOptions& options) {
  TcpStream stream(std::move(socket));
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (;;) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    stream.expires_after(options.idle_timeout);
    auto [ec, n] = co_await beast_http::async_read(stream, buffer, parser, kUseTuple);
    if (ec) break;
    stream.expires_never();
    http::Request request = parser.release();
    http::Responder responder(stream, request.version(), request.keep_alive());
    const Disposition d = co_await handler(request, responder);
    if (d == Disposition::reset) {
      reset_socket(stream.socket());
      co_return;
    }
    if (d == Disposition::close) {
      beast::error_code ignored;
      stream.socket().shutdown(Socket::shutdown_both, ignored);
      stream.socket().close(ignored);
      if (options.on_closed_after_answer) options.on_closed_after_answer();
      co_return;
    }
    if (d == Disposition::hang) {
      co_await hang(stream);
      co_return;
    }
    if (!responder.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(Socket::shutdown_send, ignored);
}

http::Awaitable<void> accept_loop(Acceptor& acceptor, const MockHandler& handler,
                                  const ListenerOptions& options) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), handler, options), asio::detached);
  }
}

}  // namespace

Listener::Listener(ListenerOptions options, MockHandler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

Listener::~Listener() {
  stop();
  wait();
}

void Listener::start() {
  int n = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  const auto address = asio::ip::make_address(options_.host);
  std::uint16_t port = options_.port;
  std::vector<std::shared_ptr<Acceptor>> acceptors;
  for (int i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    auto acceptor = std::make_shared<Acceptor>(*contexts_.back());
    const tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    const int one = 1;
    ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    acceptor->bind(endpoint);
    acceptor->listen(asio::socket_base::max_listen_connections);
    port = acceptor->local_endpoint().port();  // the others share the port the first one got
    acceptors.push_back(std::move(acceptor));
  }
  bound_port_ = port;
  for (int i = 0; i < n; ++i) {
    auto* ctx = contexts_[static_cast<std::size_t>(i)].get();
    auto acceptor = acceptors[static_cast<std::size_t>(i)];
    asio::co_spawn(
        *ctx, [acceptor, this]() -> http::Awaitable<void> { co_await accept_loop(*acceptor, handler_, options_); },
        asio::detached);
    threads_.emplace_back([ctx] { ctx->run(); });
  }
}

void Listener::wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Listener::stop() {
  for (auto& ctx : contexts_) ctx->stop();
}

}  // namespace switchyard::mock
