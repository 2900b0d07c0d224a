#include "http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <system_error>

#include <sys/socket.h>
#include <cerrno>

namespace switchyard::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

Response plain_error(unsigned version, beast_http::status status, std::string_view message) {
  Response res{status, version};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = R"({"error":{"message":")" + std::string(message) + R"(","type":"invalid_request_error"}})";
  res.keep_alive(false);
  return res;
}

// One connection: read → handle → write, until the client closes or asks to close.
Awaitable<void> session(tcp::socket socket, const Handler& handler, const ServerOptions& options,
                        Server::Shared& shared) {
  beast::tcp_stream stream(std::move(socket));
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    beast_http::request_parser<beast_http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    // Idle keep-alive connections get longer to send their next request than a request has to
    // finish arriving once it has started.
    stream.expires_after(first ? options.read_timeout : options.idle_timeout);
    auto [ec_head, n_head] = co_await beast_http::async_read_header(stream, buffer, parser, kUseTuple);
    if (!ec_head && !parser.is_done()) {
      stream.expires_after(options.read_timeout);
      auto [ec_body, n_body] = co_await beast_http::async_read(stream, buffer, parser, kUseTuple);
      ec_head = ec_body;
    }
    first = false;
    if (ec_head) {
      // Named locals only in co_await expressions: GCC 12 can destroy temporaries there twice.
      std::optional<Response> refusal;
      if (ec_head == beast_http::error::body_limit)
        refusal = plain_error(11, beast_http::status::payload_too_large, "request body too large");
      else if (ec_head == beast_http::error::header_limit)
        refusal = plain_error(11, beast_http::status::request_header_fields_too_large, "request headers too large");
      else if (ec_head != beast_http::error::end_of_stream && ec_head != beast::error::timeout &&
               ec_head != asio::error::connection_reset && ec_head != asio::error::eof && buffer.size() > 0)
        refusal = plain_error(11, beast_http::status::bad_request, "malformed HTTP request");
      if (refusal) {
        Responder r(stream, 11, false);
        co_await r.send(std::move(*refusal));
      }
      break;
    }
    stream.expires_never();
    Request request = parser.release();
    Responder responder(stream, request.version(), request.keep_alive());
    // Draining: answer, then close, so the client's next request goes to another instance.
    if (shared.draining.load(std::memory_order_relaxed)) responder.close_after_response();
    shared.in_flight.fetch_add(1, std::memory_order_relaxed);
    co_await handler(request, responder);
    shared.in_flight.fetch_sub(1, std::memory_order_relaxed);
    if (!responder.answered()) {
      auto fallback = plain_error(request.version(), beast_http::status::internal_server_error, "no response");
      co_await responder.send(std::move(fallback));
    }
    if (!responder.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

Awaitable<void> accept_loop(tcp::acceptor& acceptor, const Handler& handler, const ServerOptions& options,
                            Server::Shared& shared) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;  // EMFILE and friends: keep serving the connections we have
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket), handler, options, shared), asio::detached);
  }
}

}  // namespace

Awaitable<bool> Responder::send(Response response) {
  answered_ = true;
  response.version(version_);
  response.keep_alive(keep_alive_);
  response.prepare_payload();
  auto [ec, n] = co_await beast_http::async_write(stream_, response, kUseTuple);
  if (ec) failed_ = true;
  co_return !ec;
}

Awaitable<void> Responder::until_client_gone() {
  auto& socket = stream_.socket();
  auto [ec] = co_await socket.async_wait(tcp::socket::wait_read, kUseTuple);
  // Cancelled: the work finished first and won the race; returning now is not seen as a
  // disconnect (the race already has its winner). No exception: this happens on every request.
  if (ec == asio::error::operation_aborted) co_return;
  if (ec) co_return;  // the socket itself failed: nobody is listening any more
  // Readable: either the peer closed (recv sees the end or an error) or it pipelined more bytes.
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) co_return;
  // Still there: wait until the racing work finishes and cancels this wait.
  asio::steady_timer forever(socket.get_executor(), asio::steady_timer::time_point::max());
  auto [wait_ec] = co_await forever.async_wait(kUseTuple);
  (void)wait_ec;
}

Awaitable<bool> Responder::start_stream(beast_http::response_header<> header) {
  answered_ = true;
  streaming_ = true;
  beast_http::response<beast_http::empty_body> res{std::move(header)};
  res.version(version_);
  res.keep_alive(keep_alive_);
  res.chunked(true);
  beast_http::response_serializer<beast_http::empty_body> sr{res};
  auto [ec, n] = co_await beast_http::async_write_header(stream_, sr, kUseTuple);
  if (ec) failed_ = true;
  co_return !ec;
}

Awaitable<bool> Responder::write_chunk(std::string_view data) {
  if (failed_ || data.empty()) co_return !failed_;
  auto [ec, n] = co_await asio::async_write(stream_, beast_http::make_chunk(asio::buffer(data.data(), data.size())),
                                            kUseTuple);
  if (ec) failed_ = true;
  co_return !ec;
}

Awaitable<bool> Responder::finish_stream() {
  if (failed_) co_return false;
  auto [ec, n] = co_await asio::async_write(stream_, beast_http::make_chunk_last(), kUseTuple);
  if (ec) failed_ = true;
  co_return !ec;
}

Server::Server(ServerOptions options, Handler handler) : options_(std::move(options)), handler_(std::move(handler)) {}

Server::~Server() {
  stop();
  wait();
}

void Server::start() {
  int n = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  const auto address = asio::ip::make_address(options_.host);
  std::uint16_t port = options_.port;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  for (int i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    auto acceptor = std::make_unique<tcp::acceptor>(*contexts_.back());
    const tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(asio::socket_base::reuse_address(true));
    const int one = 1;
    ::setsockopt(acceptor->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    acceptor->bind(endpoint);  // throws when the port is taken
    acceptor->listen(asio::socket_base::max_listen_connections);
    port = acceptor->local_endpoint().port();  // the others share the port the first one got
    acceptors.push_back(std::move(acceptor));
  }
  bound_port_ = port;
  for (int i = 0; i < n; ++i) {
    auto* ctx = contexts_[i].get();
    auto acceptor = std::shared_ptr<tcp::acceptor>(std::move(acceptors[i]));
    acceptors_.push_back(acceptor);
    asio::co_spawn(*ctx, [acceptor, this]() -> Awaitable<void> { co_await accept_loop(*acceptor, handler_, options_, shared_); },
                   asio::detached);
    threads_.emplace_back([ctx] { ctx->run(); });
  }
}

void Server::wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Server::stop() {
  for (auto& ctx : contexts_) ctx->stop();
}

int Server::drain(std::chrono::milliseconds limit) {
  shared_.draining.store(true);
  // Each acceptor is closed on its own thread (asio objects are not thread-safe); the listening
  // sockets go away, so new connections are refused and the load balancer moves on.
  for (std::size_t i = 0; i < acceptors_.size(); ++i)
    asio::post(*contexts_[i], [acceptor = acceptors_[i]] {
      beast::error_code ignored;
      acceptor->close(ignored);
    });
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (shared_.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // the main thread, not an I/O thread
  return shared_.in_flight.load();
}

}  // namespace switchyard::http
