#include "http/server.h"

#include "core/log_line.h"
#include "http/connection_cap.h"
#include "http/exact_allocator.h"
#include "http/idle_connections.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <system_error>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <exception>
#include <cctype>
#include <iostream>

namespace switchyard::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
namespace {

constexpr auto kUseTuple = asio::as_tuple(kUseAwaitable);

// Lingering close (as nginx's lingering_close): after refusing a request whose body is still on
// its way, read and drop what follows for a while, so that closing does not reset the connection
// before the client has read the answer (a reset discards it from the client's receive buffer).
constexpr std::size_t kLingerMaxBytes = std::size_t{64} << 20;
constexpr std::chrono::seconds kLingerTotal{10};
constexpr std::chrono::seconds kLingerSilence{2};
constexpr std::size_t kDiscardChunkBytes = 16 << 10;
// EMFILE/ENFILE: the pending connection stays in the backlog and accept fails again at once, so
// retrying immediately spins a core. Wait instead, longer while it lasts.
constexpr std::chrono::milliseconds kAcceptBackoffFirst{20};
constexpr std::chrono::milliseconds kAcceptBackoffMax{1000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

using RequestParser = beast_http::request_parser<beast_http::string_body>;

Response plain_error(unsigned version, beast_http::status status, std::string_view message) {
  Response res{status, version};
  res.set(beast_http::field::content_type, "application/json");
  res.body() = R"({"error":{"message":")" + std::string(message) + R"(","type":"invalid_request_error"}})";
  res.keep_alive(false);
  return res;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// The only transfer coding a request may use here is exactly `chunked`, once, without
// Content-Length (RFC 9112 6.1, 6.3). Anything else (`chunked, identity`, `xchunked`, two TE
// headers, TE with Content-Length) may be framed differently by a proxy in front of us: the
// request is refused and the connection closed, so no byte of it is read as a next request.
std::optional<std::string_view> framing_problem(const beast_http::request_header<>& head) {
  int te_fields = 0;
  std::string_view te;
  for (const auto& field : head)
    if (field.name() == beast_http::field::transfer_encoding) {
      ++te_fields;
      te = field.value();
    }
  if (te_fields == 0) return std::nullopt;
  if (te_fields > 1) return "more than one Transfer-Encoding header";
  if (head.find(beast_http::field::content_length) != head.end())
    return "Transfer-Encoding together with Content-Length";
  if (!iequals(trim(te), "chunked")) return "unsupported Transfer-Encoding (only chunked is accepted)";
  return std::nullopt;
}

bool expects_continue(const beast_http::request_header<>& head) {
  const auto it = head.find(beast_http::field::expect);
  return it != head.end() && iequals(trim(it->value()), "100-continue");
}

// One request's share of the global body budget, returned when the request is done.
class BodyReservation {
 public:
  BodyReservation(std::atomic<std::size_t>& total, std::size_t budget) : total_(total), budget_(budget) {}
  ~BodyReservation() {
    if (held_ > 0) total_.fetch_sub(held_, std::memory_order_relaxed);
  }
  BodyReservation(const BodyReservation&) = delete;
  BodyReservation& operator=(const BodyReservation&) = delete;

  // Grows the share to `bytes`; false (nothing taken) when that would pass the budget.
  bool grow_to(std::size_t bytes) {
    if (budget_ == 0 || bytes <= held_) return true;
    const auto more = bytes - held_;
    auto now = total_.load(std::memory_order_relaxed);
    do {
      if (now + more > budget_) return false;
    } while (!total_.compare_exchange_weak(now, now + more, std::memory_order_relaxed));
    held_ += more;
    return true;
  }

 private:
  std::atomic<std::size_t>& total_;
  std::size_t budget_;
  std::size_t held_ = 0;
};

Response over_budget(unsigned version, std::size_t budget) {
  auto res = plain_error(version, beast_http::status::service_unavailable,
                         "switchyard: request bodies held in memory are over the gateway's budget (" +
                             std::to_string(budget >> 20) +
                             " MiB, general_settings.max_request_body_memory_mb); retry shortly");
  res.set(beast_http::field::retry_after, "1");
  return res;
}

// Answers `response` with `Connection: close`, then lingers (see kLingerMaxBytes) and closes.
Awaitable<void> refuse_and_close(Socket& socket, const Responder::Connection& connection, Response response,
                                 const ServerOptions& options) {
  const unsigned version = response.version();
  Responder responder(socket, connection, version, false, options.write_timeout);
  const bool sent = co_await responder.send(std::move(response));
  if (!sent) co_return;
  beast::error_code ignored;
  socket.shutdown(Socket::shutdown_send, ignored);
  std::array<char, kDiscardChunkBytes> scratch;
  std::size_t discarded = 0;
  const auto until = Clock::now() + kLingerTotal;
  while (discarded < kLingerMaxBytes) {
    connection.deadline.expires_at(std::min(until, Clock::now() + kLingerSilence));
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(scratch), kUseTuple);
    if (ec) break;
    discarded += n;
  }
}

// What escaped a request handler, with the request's method and path (not its query): rare, and
// worth a line on stderr even from an I/O thread.
void log_handler_failure(const std::exception_ptr& failure, const Request& request) {
  std::string what = "unknown exception";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  const std::string_view target = request.target();
  core::log_line(std::cerr, "switchyard: internal error serving " + std::string(request.method_string()) + ' ' +
                                std::string(target.substr(0, target.find('?'))) + ": " + what);
}

enum class BodyRead { complete, refused, failed };

// A read or write the connection's deadline cancelled timed out.
beast::error_code with_timeout(const beast::error_code& ec, const ConnectionDeadline& deadline) {
  return ec == asio::error::operation_aborted && deadline.timed_out() ? beast::error::timeout : ec;
}

// The shortest of the timeouts, but at least a second: the connection's deadline timer fires at
// most this often. (A sub-second write timeout would otherwise wake every idle connection that
// often, and a 0 ms one would spin; a deadline nearer than the horizon still gets its own timer.)
std::chrono::milliseconds deadline_horizon(const ServerOptions& options) {
  constexpr std::chrono::milliseconds kShortestHorizon{1000};
  return std::max(kShortestHorizon,
                  std::min({std::chrono::duration_cast<std::chrono::milliseconds>(options.read_timeout),
                            std::chrono::duration_cast<std::chrono::milliseconds>(options.idle_timeout),
                            options.write_timeout}));
}

// Reads the body the parser announced, growing the request's budget share as it arrives (a
// chunked body has no length up front). Sets `refusal` when the body is too large or over budget.
Awaitable<BodyRead> read_body(Socket& stream, ConnectionDeadline& deadline, beast::flat_buffer& buffer,
                              RequestParser& parser, BodyReservation& body, const ServerOptions& options,
                              std::optional<Response>& refusal) {
  const unsigned version = parser.get().version();
  if (!body.grow_to(parser.content_length().value_or(0))) {
    refusal = over_budget(version, options.body_memory_budget_bytes);
    co_return BodyRead::refused;
  }
  if (version >= 11 && expects_continue(parser.get())) {
    deadline.expires_after(options.write_timeout);
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()), kUseTuple);
    if (ec) co_return BodyRead::failed;
  }
  deadline.expires_after(options.read_timeout);
  while (!parser.is_done()) {
    auto [read_ec, n] = co_await beast_http::async_read_some(stream, buffer, parser, kUseTuple);
    const auto ec = with_timeout(read_ec, deadline);
    if (ec == beast_http::error::body_limit) {
      refusal = plain_error(version, beast_http::status::payload_too_large,
                            "request body too large (the limit is " + std::to_string(options.max_body_bytes) + " bytes)");
      co_return BodyRead::refused;
    }
    if (ec == beast::error::timeout || ec == asio::error::eof || ec == beast_http::error::partial_message ||
        ec == asio::error::connection_reset)
      co_return BodyRead::failed;
    if (ec) {
      refusal = plain_error(version, beast_http::status::bad_request, "malformed HTTP request body");
      co_return BodyRead::refused;
    }
    if (!body.grow_to(parser.get().body().capacity())) {
      refusal = over_budget(version, options.body_memory_budget_bytes);
      co_return BodyRead::refused;
    }
  }
  co_return BodyRead::complete;
}

// What one connection's coroutines share; lives in the session's frame.
struct Connection {
  Socket& stream;
  ClientWatch& watch;
  ConnectionDeadline& deadline;
  const Handler& handler;
  const HeadCheck& head_check;
  const ServerOptions& options;
  Server::Shared& shared;
};

// A connection's buffers, held only while it has bytes to serve: an idle keep-alive connection
// holds none, and each I/O thread reuses the few its busy connections need (a bounded number of
// them, not the large ones a big request grew).
struct ConnectionBuffers {
  beast::flat_buffer read;
  std::string head;  // the responses' heads, formatted by the Responder
};
constexpr std::size_t kPooledBuffersPerThread = 256;
constexpr std::size_t kPooledReadBufferMaxBytes = 16 << 10;
constexpr std::size_t kPooledHeadMaxBytes = 4 << 10;

class PooledBuffers {
 public:
  PooledBuffers() {
    if (auto& pool = thread_pool(); !pool.empty()) {
      buffers_ = std::move(pool.back());
      pool.pop_back();
    }
  }
  ~PooledBuffers() {
    auto& pool = thread_pool();
    if (pool.size() >= kPooledBuffersPerThread || buffers_.read.capacity() > kPooledReadBufferMaxBytes ||
        buffers_.head.capacity() > kPooledHeadMaxBytes)
      return;
    buffers_.read.clear();
    buffers_.head.clear();
    pool.push_back(std::move(buffers_));
  }
  PooledBuffers(const PooledBuffers&) = delete;
  PooledBuffers& operator=(const PooledBuffers&) = delete;
  ConnectionBuffers& get() { return buffers_; }

 private:
  static std::vector<ConnectionBuffers>& thread_pool() {
    thread_local std::vector<ConnectionBuffers> pool;  // each I/O thread serves its own connections
    return pool;
  }
  ConnectionBuffers buffers_;
};

// Serves requests from the first byte of one until an answered request leaves nothing buffered
// (true: the connection is idle again) or the connection must close (false). Its frame holds the
// parser, buffers and per-request locals, so that an idle connection does not.
Awaitable<bool> serve_burst(Connection& c) {
  const auto& options = c.options;
  auto& stream = c.stream;
  auto& deadline = c.deadline;
  PooledBuffers pooled;
  auto& buffer = pooled.get().read;
  const Responder::Connection connection{pooled.get().head, c.watch, deadline};
  for (bool pipelined = false;; pipelined = true) {
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    // The first request's deadline was set before the session waited for its bytes.
    if (pipelined) deadline.expires_after(options.idle_timeout);
    auto [read_ec, n_head] = co_await beast_http::async_read_header(stream, buffer, parser, kUseTuple);
    const auto ec_head = with_timeout(read_ec, deadline);
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
        auto refusing = refuse_and_close(stream, connection, std::move(*refusal), options);
        co_await std::move(refusing);
      }
      co_return false;
    }
    // Decided from the headers, before any body byte is read or held.
    const unsigned version = parser.get().version();
    std::optional<Response> refusal;
    if (const auto problem = framing_problem(parser.get()))
      refusal = plain_error(version, beast_http::status::bad_request, "malformed HTTP request: " + std::string(*problem));
    else if (const auto length = parser.content_length(); length && *length > options.max_body_bytes)
      refusal = plain_error(version, beast_http::status::payload_too_large,
                            "request body too large: " + std::to_string(*length) + " bytes (the limit is " +
                                std::to_string(options.max_body_bytes) + ")");
    else if (!parser.is_done() && c.head_check)
      refusal = c.head_check(parser.get());
    BodyReservation body(c.shared.body_bytes, options.body_memory_budget_bytes);
    if (!refusal && !parser.is_done()) {
      auto reading = read_body(stream, deadline, buffer, parser, body, options, refusal);
      const auto read = co_await std::move(reading);
      if (read == BodyRead::failed) co_return false;
    }
    if (refusal) {
      refusal->version(version);
      auto refusing = refuse_and_close(stream, connection, std::move(*refusal), options);
      co_await std::move(refusing);
      co_return false;
    }
    deadline.expires_never();
    Request request = parser.release();
    Responder responder(stream, connection, request.version(), request.keep_alive(), options.write_timeout);
    if (request.method() == beast_http::verb::head) responder.omit_content();
    // Draining: answer, then close, so the client's next request goes to another instance.
    if (c.shared.draining.load(std::memory_order_relaxed)) responder.close_after_response();
    c.shared.in_flight.fetch_add(1, std::memory_order_relaxed);
    // A handler that throws is a bug somewhere below: the client still gets an answer (a 500) and
    // the error is logged, instead of a connection closed without a word and a request counted in
    // flight forever (which a drain would wait for). Not co_awaited in the catch (GCC 12).
    std::exception_ptr failure;
    try {
      co_await c.handler(request, responder);
    } catch (...) {
      failure = std::current_exception();
    }
    c.shared.in_flight.fetch_sub(1, std::memory_order_relaxed);
    // The client went away and cancelled the handler's work: asio would throw at every co_await.
    if (c.watch.fired()) co_await asio::this_coro::reset_cancellation_state();
    else if (failure) log_handler_failure(failure, request);
    if (failure) responder.close_after_response();  // the handler's state is unknown: start afresh
    if (!responder.answered()) {
      auto fallback = plain_error(request.version(), beast_http::status::internal_server_error,
                                  failure ? "internal error" : "no response");
      co_await responder.send(std::move(fallback));
    }
    if (failure || !responder.keep_alive()) co_return false;
    if (buffer.size() == 0) co_return true;  // no pipelined bytes: idle again
  }
}

// One connection: wait for bytes, serve them (read → handle → write), until the client closes or
// asks to close. Between requests it waits for readability holding no buffer (see serve_burst);
// there it is idle (`idle`): at max_connections, with clients waiting, that wait may be cancelled
// to close the connection (ConnectionCap::make_room), as on its idle timeout.
// `watch` is bound to this coroutine's cancellation slot (see accept_loop).
Awaitable<void> session(Socket socket, ClientWatch& watch, ConnectionDeadline& deadline, const Handler& handler,
                        const HeadCheck& head_check, const ServerOptions& options, Server::Shared& shared,
                        ConnectionCap& cap, IdleConnections& idle_connections) {
  const ConnectionCap::Slot slot{cap};
  const ConnectionDeadline::Attachment attached(deadline, socket);
  IdleConnections::Entry idle(idle_connections, socket, deadline);
  beast::error_code nodelay_ec;
  socket.set_option(tcp::no_delay(true), nodelay_ec);
  Connection connection{socket, watch, deadline, handler, head_check, options, shared};
  // Idle keep-alive connections get longer to send their next request than a request has to
  // finish arriving once it has started; the deadline also covers the request's head.
  deadline.expires_after(options.read_timeout);
  for (;;) {
    // Allocated to size (exact_allocator.h): every idle connection holds this wait.
    auto [ec] = co_await socket.async_wait(Socket::wait_read,
                                           asio::bind_allocator(ExactAllocator<void>(), kUseTuple));
    idle.set_idle(false);
    if (ec) break;  // timed out (the deadline cancelled the wait), shed at the cap, or the socket failed
    auto serving = serve_burst(connection);
    if (!co_await std::move(serving)) break;
    deadline.expires_after(options.idle_timeout);  // IdleConnections orders the idle by this deadline
    idle.set_idle(true);
    cap.became_idle();
  }
  beast::error_code ignored;
  socket.shutdown(Socket::shutdown_send, ignored);
}

bool out_of_descriptors(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space || ec == asio::error::no_memory ||
         (ec.category() == asio::error::get_system_category() && ec.value() == ENFILE);
}

Awaitable<void> pause(std::chrono::milliseconds how_long) {
  SteadyTimer timer(co_await asio::this_coro::executor, how_long);
  auto [ec] = co_await timer.async_wait(kUseTuple);
  (void)ec;
}

// Takes a connection slot (max_connections) for the next connection. With a cap, only once a
// client waits on this listening socket: a slot taken before accepting would be held back from
// the connections by every accept loop that has nobody to accept (with N threads, N - 1 fewer
// connections, and room made for nobody). At the cap it makes room (idle keep-alive connections
// closed, see connection_cap.h) and waits for a slot to free. False: the acceptor was closed.
Awaitable<bool> take_connection_slot(Acceptor& acceptor, ConnectionCap& cap, std::size_t thread) {
  if (!cap.limited()) co_return cap.try_take();
  for (;;) {
    auto [ec] = co_await acceptor.async_wait(Acceptor::wait_read, kUseTuple);
    if (!acceptor.is_open() || ec == asio::error::operation_aborted) co_return false;
    if (ec) {
      co_await pause(kAcceptBackoffFirst);  // not expected of a listening socket: do not spin
      continue;
    }
    if (cap.try_take()) co_return true;
    co_await cap.make_room(thread, acceptor.native_handle());
    if (!acceptor.is_open()) co_return false;
  }
}

Awaitable<void> accept_loop(Acceptor& acceptor, std::size_t thread, const Handler& handler,
                            const HeadCheck& head_check, const ServerOptions& options, Server::Shared& shared,
                            ConnectionCap& cap) {
  auto backoff = kAcceptBackoffFirst;
  bool warned = false;
  auto& idle_connections = cap.idle_connections(thread);
  for (;;) {
    if (!co_await take_connection_slot(acceptor, cap, thread)) co_return;
    auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
    if (ec) cap.release();
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      if (!out_of_descriptors(ec)) continue;  // the connection was aborted before we took it
      // Keep serving the connections we have; the waiting ones are accepted once some close.
      if (!warned)
        core::log_line(std::cerr, "switchyard: cannot accept connections: " + ec.message() +
                                      "; backing off (raise the open-files limit, ulimit -n, or lower --max-connections)");
      warned = true;
      co_await pause(backoff);
      backoff = std::min(backoff * 2, kAcceptBackoffMax);
      if (!acceptor.is_open()) co_return;
      continue;
    }
    backoff = kAcceptBackoffFirst;
    warned = false;
    // The watch outlives the session's coroutine (the cancellation slot bound to it points into
    // the watch): the completion handler keeps it, and releases it only after the coroutine's
    // frames are gone.
    const auto executor = acceptor.get_executor();
    auto watch = std::make_shared<ClientWatch>();
    auto deadline = std::make_shared<ConnectionDeadline>(executor, deadline_horizon(options));
    auto& watched = *watch;
    auto& bounded = *deadline;
    asio::co_spawn(executor,
                   session(std::move(socket), watched, bounded, handler, head_check, options, shared, cap,
                           idle_connections),
                   asio::bind_cancellation_slot(
                       watched.cancellation_slot(),
                       // Kept small: the coroutine's entry frame holds it for the connection's life.
                       [watch = std::move(watch), deadline = std::move(deadline)](std::exception_ptr) mutable {
                         const auto on = deadline->executor();
                         asio::post(on, [release = std::move(watch), also = std::move(deadline)] {});
                       }));
  }
}

}  // namespace

Server::Server(ServerOptions options, Handler handler, HeadCheck head_check)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      head_check_(std::move(head_check)),
      cap_(std::make_unique<ConnectionCap>(options_.max_connections, options_.on_idle_connections_closed)) {}

Server::~Server() {
  stop();
  wait();
  cap_->stop_waking();  // the sessions destroyed with the io_contexts give their slots back
}

void Server::start() {
  int n = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (n <= 0) n = 1;
  const auto address = asio::ip::make_address(options_.host);
  std::uint16_t port = options_.port;
  std::vector<std::unique_ptr<Acceptor>> acceptors;
  for (int i = 0; i < n; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    cap_->add_thread(*contexts_.back());
    auto acceptor = std::make_unique<Acceptor>(*contexts_.back());
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
    auto acceptor = std::shared_ptr<Acceptor>(std::move(acceptors[i]));
    acceptors_.push_back(acceptor);
    asio::co_spawn(
        *ctx,
        [acceptor, this, thread = static_cast<std::size_t>(i)]() -> Awaitable<void> {
          co_await accept_loop(*acceptor, thread, handler_, head_check_, options_, shared_, *cap_);
        },
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
