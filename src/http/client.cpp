#include "http/client.h"

#include "core/text.h"
#include "http/answer_parser.h"
#include "http/connection_deadline.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <array>
#include <cerrno>

#include <sys/socket.h>
#include <unordered_map>
#include <variant>
#include <vector>

namespace switchyard::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using errors::TransportError;

namespace {
constexpr auto kUseTuple = asio::as_tuple(kUseAwaitable);

ssl::context make_tls_context() {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
  return ctx;
}

ssl::context& tls_context() {
  static ssl::context ctx = make_tls_context();  // thread-safe init; read-only afterwards
  return ctx;
}

using TlsStream = beast::ssl_stream<Socket>;

// How often, at most, a connection's deadline timer fires while a deadline is set (see
// ConnectionDeadline): a deadline moved later costs a clock read and a compare, not a timer
// re-arm. Deadlines still fire on time; one nearer than this (a sub-second stream_timeout) gets
// its own timer.
constexpr std::chrono::milliseconds kDeadlineHorizon{1000};

// A connection to one origin: the raw socket (or TLS over it) and one coarse deadline for all
// its operations, instead of beast::basic_stream's timer armed and cancelled around every read and
// write (issue 15: a timer-queue insert/erase and a wait handler per operation).
struct Connection {
  Connection(const Executor& executor, bool tls)
      : stream(tls ? Stream(std::in_place_type<TlsStream>, Socket(executor), tls_context())
                   : Stream(std::in_place_type<Socket>, executor)),
        deadline(std::make_shared<ConnectionDeadline>(executor, kDeadlineHorizon)),
        attached(*deadline, socket()) {}

  using Stream = std::variant<Socket, TlsStream>;
  Stream stream;  // its final type from the start: the socket never moves, the deadline points at it
  std::shared_ptr<ConnectionDeadline> deadline;  // shared with its timer's pending wait
  ConnectionDeadline::Attachment attached;       // detaches before the stream goes
  beast::flat_buffer buffer;
  std::string head;  // the request head being written; reused by every request on the connection
  Clock::time_point idle_since{};

  Socket& socket() {
    if (auto* plain = std::get_if<Socket>(&stream)) return *plain;
    return beast::get_lowest_layer(std::get<TlsStream>(stream));
  }
  // An operation the deadline cancelled failed with a timeout, as a timed stream reports it.
  beast::error_code timed(const beast::error_code& ec) const {
    return ec == asio::error::operation_aborted && deadline->timed_out() ? beast::error::timeout : ec;
  }
};

TransportError transport_error_of(const beast::error_code& ec, bool connecting) {
  if (ec == beast::error::timeout) return connecting ? TransportError::connect_timeout : TransportError::read_timeout;
  if (ec == asio::error::connection_refused) return TransportError::connection_refused;
  if (ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
      ec == asio::error::no_data)
    return TransportError::dns;
  if (ec.category() == asio::error::get_ssl_category() || ec == ssl::error::stream_truncated)
    return TransportError::tls;
  if (ec == beast_http::error::end_of_stream || ec == asio::error::eof || ec == beast_http::error::partial_message)
    return TransportError::closed_early;
  return TransportError::connection_reset;
}

UpstreamResponse failure(TransportError t, const beast::error_code& ec) {
  UpstreamResponse r;
  r.transport_error = t;
  r.transport_message = ec.message();
  return r;
}

// Where an exchange failed: while writing the request (the server never took all of it, so it
// cannot have acted on it) or after (it may have).
struct ExchangeError {
  beast::error_code ec;
  bool while_writing = false;
};

// The request as one gather write: the pre-formatted head and the body, no serializer.
std::array<asio::const_buffer, 2> request_buffers(const std::string& head, const std::string& body) {
  return {asio::buffer(head), asio::buffer(body)};
}

// Parses what `buffer` holds; true when the parser wants more bytes (need_more, or all taken).
bool parse_buffered(AnswerParser& parser, beast::flat_buffer& buffer, beast::error_code& ec) {
  while (buffer.size() > 0 && !parser.is_done()) {
    const auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == beast_http::error::need_more) {
      ec = {};
      return true;
    }
    if (ec || used == 0) return false;
  }
  return !parser.is_done();
}

// The request written and the whole answer read with the stream's own write_some/read_some in
// this coroutine, not Beast's and Asio's composed operations (async_write, http::async_read: a
// layer of handlers and executor work per step, ~1k instructions per request). Same framing and
// outcomes: a connection that ends before any answer byte is end_of_stream, an answer cut short
// is partial_message, one delimited by the connection's end completes.
template <typename Stream>
Awaitable<ExchangeError> write_and_read(Stream& stream, Connection& conn, const std::string& body,
                                         UpstreamResponse& out, bool& keep_alive) {
  auto buffers = request_buffers(conn.head, body);
  for (auto left = conn.head.size() + body.size(); left > 0;) {
    auto [wec, written] = co_await stream.async_write_some(buffers, kUseTuple);
    if (wec) co_return ExchangeError{conn.timed(wec), true};
    left -= written;
    for (auto& b : buffers) {
      const auto step = std::min(written, b.size());
      b += step;
      written -= step;
    }
  }
  AnswerParser parser(kHeadersKeptOn2xx);
  parser.body_into(out.body);
  parser.body_limit(kMaxUpstreamBodyBytes);
  parser.eager(true);
  beast::error_code ec;
  while (parse_buffered(parser, conn.buffer, ec)) {
    auto [rec, n] = co_await stream.async_read_some(conn.buffer.prepare(beast::read_size(conn.buffer, 65536)), kUseTuple);
    conn.buffer.commit(n);
    if (rec == asio::error::eof) {
      if (!parser.got_some()) co_return ExchangeError{beast_http::error::end_of_stream, false};
      parser.put_eof(ec);
      break;
    }
    if (rec) co_return ExchangeError{conn.timed(rec), false};
  }
  if (ec) co_return ExchangeError{ec, false};
  out.status = parser.status();
  out.headers = std::move(parser.headers());
  keep_alive = parser.keep_alive();
  co_return ExchangeError{};
}

// An idle connection the server has closed (end of input or a reset waiting) or written to
// unasked (a TLS close_notify, a 408) is not reused. Checked without blocking, before writing.
bool still_open(Connection& conn) {
  auto& socket = conn.socket();
  if (!socket.is_open() || conn.buffer.size() > 0) return false;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

std::optional<Url> parse_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) return std::nullopt;
  Url url;
  const auto scheme = parsed->scheme();
  if (scheme == "https") url.tls = true;
  else if (scheme != "http") return std::nullopt;
  url.host = std::string(parsed->encoded_host());
  if (url.host.empty()) return std::nullopt;
  if (url.host.front() == '[' && url.host.back() == ']') url.host = url.host.substr(1, url.host.size() - 2);
  url.port = parsed->has_port() ? std::string(parsed->port()) : (url.tls ? "443" : "80");
  url.path = std::string(parsed->encoded_path());
  while (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  return url;
}

struct ClientPoolImplBase {
  Executor executor;
  Resolver resolver;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  explicit ClientPoolImplBase(Executor ex) : executor(ex), resolver(ex) {}

  using IdleList = std::vector<std::unique_ptr<Connection>>;
  std::string key_scratch;  // list_for's key, reused (the pool belongs to one thread)

  // The idle connections to `u`'s origin. The reference stays valid for the pool's life (map
  // nodes do not move), so a stream keeps it instead of a copy of the key.
  IdleList& list_for(const Url& u) {
    key_scratch.assign(u.tls ? "https://" : "http://");
    key_scratch.append(u.host).append(":").append(u.port);
    return idle[key_scratch];
  }

  std::unique_ptr<Connection> take_idle(IdleList& list) {
    const auto now = Clock::now();
    while (!list.empty()) {
      auto conn = std::move(list.back());
      list.pop_back();
      if (now - conn->idle_since < kIdleConnectionLifetime && still_open(*conn)) return conn;
    }
    return nullptr;
  }

  void give_back(IdleList& list, std::unique_ptr<Connection> conn) {
    if (list.size() >= kMaxIdleConnectionsPerHost) return;
    conn->idle_since = Clock::now();
    list.push_back(std::move(conn));
  }

  struct Acquired {
    std::unique_ptr<Connection> conn;  // null when connecting failed (see refused)
    bool reused = false;
    UpstreamResponse refused;
  };

  // An idle pooled connection to the same origin (reused), else a new one; armed with the
  // deadline. The common case, a connection waiting, completes without a coroutine frame.
  Acquired reuse(IdleList& idle_list, Clock::time_point deadline) {
    Acquired out;
    out.conn = take_idle(idle_list);
    out.reused = out.conn != nullptr;
    if (out.conn) out.conn->deadline->expires_at(deadline);
    return out;
  }
  Awaitable<Acquired> open(const UpstreamRequest& req, Clock::time_point deadline) {
    Acquired out;
    auto [fresh, error] = co_await connect(req, deadline);
    if (!fresh) {
      out.refused = std::move(error);
      co_return out;
    }
    out.conn = std::move(fresh);
    out.conn->deadline->expires_at(deadline);
    co_return out;
  }

  Awaitable<std::pair<std::unique_ptr<Connection>, UpstreamResponse>> connect(const UpstreamRequest& req,
                                                                             Clock::time_point deadline) {
    auto [rec, endpoints] = co_await resolver.async_resolve(req.url.host, req.url.port, kUseTuple);
    if (rec) co_return std::pair{nullptr, failure(TransportError::dns, rec)};
    auto conn = std::make_unique<Connection>(executor, req.url.tls);
    auto& timer = *conn->deadline;
    timer.expires_at(std::min(deadline, Clock::now() + req.connect_timeout));
    // The deadline cancels the attempt under way; the condition then tries no further address.
    auto [cec, ep] = co_await asio::async_connect(
        conn->socket(), endpoints, [&timer](const beast::error_code&, const tcp::endpoint&) { return !timer.timed_out(); },
        kUseTuple);
    if (cec) {
      const auto ec = conn->timed(cec);
      co_return std::pair{nullptr, failure(transport_error_of(ec, true), ec)};
    }
    conn->socket().set_option(tcp::no_delay(true));
    if (req.url.tls) {
      auto& tls = std::get<TlsStream>(conn->stream);
      // SNI; SSL_set_tlsext_host_name is a macro with a C cast, hence the call it expands to.
      if (SSL_ctrl(tls.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                   const_cast<char*>(req.url.host.c_str())) != 1)
        co_return std::pair{nullptr, failure(TransportError::tls, beast::error_code(static_cast<int>(::ERR_get_error()),
                                                                                     asio::error::get_ssl_category()))};
      tls.set_verify_callback(ssl::host_name_verification(req.url.host));
      // Within the connect deadline still (as a timed stream's handshake was).
      auto [hec] = co_await tls.async_handshake(ssl::stream_base::client, kUseTuple);
      if (hec) co_return std::pair{nullptr, failure(TransportError::tls, conn->timed(hec))};
    }
    co_return std::pair{std::move(conn), UpstreamResponse{}};
  }
};

void set_header(errors::Headers& headers, std::string_view name, std::string value) {
  for (auto& [k, v] : headers)
    if (core::iequals(k, name)) {
      v = std::move(value);
      return;
    }
  headers.emplace_back(std::string(name), std::move(value));
}

std::string host_header(const Url& url) {
  const bool default_port = url.port == (url.tls ? "443" : "80");
  const bool ipv6 = url.host.find(':') != std::string::npos;
  const auto host = ipv6 ? "[" + url.host + "]" : url.host;
  return default_port ? host : host + ":" + url.port;
}

namespace {

// Framing is this client's: a caller's Content-Length, Transfer-Encoding or Connection is not sent.
bool framing_header(std::string_view name) {
  return core::iequals(name, "content-length") || core::iequals(name, "transfer-encoding") ||
         core::iequals(name, "connection");
}


// The request head, formatted into `out` (a connection's reused buffer): request line, Host
// (unless the caller sets it), the caller's headers — a later one replaces an earlier one of the
// same name, as a header map's set() did — and Content-Length. HTTP/1.1 keeps the connection
// alive without saying so.
void format_head(const UpstreamRequest& req, std::string& out) {
  out.clear();
  out += beast_http::to_string(req.method);
  out += ' ';
  out += req.target;
  out += " HTTP/1.1\r\n";
  const auto& headers = req.headers;
  const auto replaced_later = [&](std::size_t i) {
    for (std::size_t j = i + 1; j < headers.size(); ++j)
      if (core::iequals(headers[j].first, headers[i].first)) return true;
    return false;
  };
  bool host_given = false;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const auto& [name, value] = headers[i];
    if (framing_header(name) || core::has_line_break(name) || core::has_line_break(value) || replaced_later(i)) continue;
    host_given = host_given || core::iequals(name, "host");
    out.append(name).append(": ", 2).append(value).append("\r\n", 2);
  }
  if (!host_given) {
    const bool default_port = req.url.port == (req.url.tls ? "443" : "80");
    const bool ipv6 = req.url.host.find(':') != std::string::npos;
    out += "Host: ";
    if (ipv6) out += '[';
    out += req.url.host;
    if (ipv6) out += ']';
    if (!default_port) {
      out += ':';
      out += req.url.port;
    }
    out += "\r\n";
  }
  // As Beast's prepare_payload: a body, or a method that expects one, gets a Content-Length.
  const auto m = req.method;
  if (!req.body.empty() || m == beast_http::verb::post || m == beast_http::verb::put || m == beast_http::verb::options) {
    out += "Content-Length: ";
    core::append_int(out, static_cast<std::int64_t>(req.body.size()));
    out += "\r\n";
  }
  out += "\r\n";
}

template <typename Fn>
auto with_stream(Connection& conn, Fn&& fn) {
  if (auto* plain = std::get_if<Socket>(&conn.stream)) return fn(*plain);
  return fn(std::get<TlsStream>(conn.stream));
}


// A pooled connection the server closed while idle (the check in take_idle can lose that race)
// fails the write: the request never reached it, so it is sent once more on a fresh connection.
// A failure after the whole request was written is never re-sent here (the server may have acted
// on it): it is the attempt's `connection` failure, for the router to retry or not.
bool went_stale(bool reused, const ExchangeError& e) {
  const auto t = transport_error_of(e.ec, false);
  return reused && e.while_writing && (t == TransportError::closed_early || t == TransportError::connection_reset);
}

template <typename Stream>
Awaitable<ExchangeError> write_and_read_header(Stream& stream, Connection& conn, const std::string& body,
                                                AnswerParser& parser) {
  auto [wec, wn] = co_await asio::async_write(stream, request_buffers(conn.head, body), kUseTuple);
  if (wec) co_return ExchangeError{conn.timed(wec), true};
  auto [rec, rn] = co_await beast_http::async_read_header(stream, conn.buffer, parser, kUseTuple);
  co_return ExchangeError{conn.timed(rec), false};
}

class PooledStream final : public UpstreamStream {
 public:
  PooledStream(ClientPoolImplBase& pool, ClientPoolImplBase::IdleList& idle_list, std::unique_ptr<Connection> conn,
               std::unique_ptr<AnswerParser> parser, Clock::time_point deadline, Clock::duration idle)
      : pool_(pool),
        idle_list_(idle_list),
        conn_(std::move(conn)),
        parser_(std::move(parser)),
        chunk_(std::make_unique_for_overwrite<char[]>(kStreamReadChunkBytes)),
        deadline_(deadline),
        idle_(idle) {}

  Awaitable<std::string_view> read_some() override;
  bool finished() const override { return finished_; }
  errors::TransportError error() const override { return error_; }
  std::string error_message() const override { return error_message_; }
  void lift_deadline() override { deadline_ = Clock::time_point::max(); }

 private:
  beast::error_code parse_buffered();
  void fail(const beast::error_code& ec);

  ClientPoolImplBase& pool_;
  ClientPoolImplBase::IdleList& idle_list_;  // where the connection goes back when the body ended
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<AnswerParser> parser_;
  std::unique_ptr<char[]> chunk_;  // the body bytes of one read_some(), reused (not zeroed)
  Clock::time_point deadline_;  // the attempt's (until lift_deadline)
  Clock::duration idle_;         // the longest silence between two reads
  bool finished_ = false;
  errors::TransportError error_ = TransportError::none;
  std::string error_message_;
};

}  // namespace

struct ClientPool::Impl : ClientPoolImplBase {
  using ClientPoolImplBase::ClientPoolImplBase;
};

ClientPool::ClientPool(Executor executor) : impl_(std::make_unique<Impl>(std::move(executor))) {}
ClientPool::~ClientPool() = default;

Awaitable<UpstreamResponse> ClientPool::send(const UpstreamRequest& req) {
  const auto deadline = Clock::now() + req.timeout;
  auto& idle_list = impl_->list_for(req.url);

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto acquired = impl_->reuse(idle_list, deadline);
    if (!acquired.conn) acquired = co_await impl_->open(req, deadline);
    auto& [conn, reused, refused] = acquired;
    if (!conn) co_return std::move(refused);
    format_head(req, conn->head);
    UpstreamResponse out;
    bool keep_alive = false;
    const ExchangeError error = co_await with_stream(*conn, [&](auto& stream) {
      return write_and_read(stream, *conn, req.body, out, keep_alive);
    });
    if (error.ec) {
      if (attempt == 0 && went_stale(reused, error)) continue;
      co_return failure(transport_error_of(error.ec, false), error.ec);
    }
    conn->deadline->expires_never();
    if (keep_alive) impl_->give_back(idle_list, std::move(conn));
    co_return out;
  }
  co_return failure(TransportError::connection_reset, asio::error::connection_reset);
}

Awaitable<StreamOpen> ClientPool::open_stream(const UpstreamRequest& req) {
  const auto deadline = Clock::now() + req.timeout;
  const Clock::duration idle = req.stream_idle_timeout.count() > 0 ? Clock::duration(req.stream_idle_timeout)
                                                                    : Clock::duration(req.timeout);
  auto& idle_list = impl_->list_for(req.url);
  for (int attempt = 0; attempt < 2; ++attempt) {
    // The headers are due within `timeout`, and within the silence bound of sending the request.
    const auto head_deadline = std::min(deadline, Clock::now() + idle);
    auto acquired = impl_->reuse(idle_list, head_deadline);
    if (!acquired.conn) acquired = co_await impl_->open(req, head_deadline);
    auto& [conn, reused, refused] = acquired;
    if (!conn) co_return StreamOpen{nullptr, std::move(refused)};
    format_head(req, conn->head);
    auto parser = std::make_unique<AnswerParser>(kHeadersKeptOn2xx);
    parser->body_limit(boost::none);
    const ExchangeError error = co_await with_stream(*conn, [&](auto& stream) {
      return write_and_read_header(stream, *conn, req.body, *parser);
    });
    if (error.ec) {
      if (attempt == 0 && went_stale(reused, error)) continue;
      co_return StreamOpen{nullptr, failure(transport_error_of(error.ec, false), error.ec)};
    }
    const int status = parser->status();
    auto headers = std::move(parser->headers());
    if (status < 200 || status >= 300) {
      // An error answer: read it whole for the classifier.
      std::string body;
      parser->body_into(body);
      parser->body_limit(kMaxUpstreamBodyBytes);
      auto [read_ec, rn] = co_await with_stream(*conn, [&](auto& stream) {
        return beast_http::async_read(stream, conn->buffer, *parser, kUseTuple);
      });
      const auto rec = conn->timed(read_ec);
      UpstreamResponse out;
      if (rec) {
        out = failure(transport_error_of(rec, false), rec);
      } else {
        out.body = std::move(body);
        if (parser->keep_alive()) {
          conn->deadline->expires_never();
          impl_->give_back(idle_list, std::move(conn));
        }
      }
      out.status = status;
      out.headers = std::move(headers);
      co_return StreamOpen{nullptr, std::move(out)};
    }
    // Each socket read takes all that has arrived (a flat_buffer reads max(512, free capacity)
    // bytes): events reach the translator one read earlier, and a stream costs fewer reads.
    conn->buffer.reserve(kStreamReadChunkBytes);
    auto stream = std::make_unique<PooledStream>(*impl_, idle_list, std::move(conn), std::move(parser), deadline, idle);
    stream->status = status;
    stream->headers = std::move(headers);
    StreamOpen opened;
    opened.stream = std::move(stream);
    co_return opened;
  }
  co_return StreamOpen{nullptr, failure(TransportError::connection_reset, asio::error::connection_reset)};
}

// Parses the bytes already taken from the socket into the body buffer, element after element
// (chunk header, chunk data, ...), until they run out, the buffer is full or the body ends.
beast::error_code PooledStream::parse_buffered() {
  while (conn_->buffer.size() > 0 && !parser_->is_done() && parser_->window_left() > 0) {
    beast::error_code ec;
    const auto used = parser_->put(conn_->buffer.data(), ec);
    conn_->buffer.consume(used);
    if (ec == beast_http::error::need_more || ec == beast_http::error::need_buffer) return {};
    if (ec) return ec;
    if (used == 0) return {};
  }
  return {};
}

void PooledStream::fail(const beast::error_code& ec) {
  error_ = transport_error_of(ec, false);
  error_message_ = ec.message();
  conn_.reset();  // never reuse a connection that failed mid-body
}

// One socket read at most: what has arrived is parsed at once (the response head's read often
// brought the first events too), and one read takes all that is waiting, up to the body buffer.
Awaitable<std::string_view> PooledStream::read_some() {
  if (finished_ || error_ != TransportError::none || !conn_) co_return std::string_view();
  parser_->body_window(chunk_.get(), kStreamReadChunkBytes);
  const auto filled = [&] { return kStreamReadChunkBytes - parser_->window_left(); };
  for (;;) {
    if (const auto ec = parse_buffered()) {
      fail(ec);
      co_return std::string_view(chunk_.get(), filled());
    }
    // A read may bring only chunk framing and no body byte: read until there is one.
    if (filled() > 0 || parser_->is_done()) break;
    conn_->deadline->expires_at(std::min(deadline_, Clock::now() + idle_));
    auto [read_ec, n] = co_await with_stream(*conn_, [&](auto& stream) {
      return stream.async_read_some(conn_->buffer.prepare(kStreamReadChunkBytes), kUseTuple);
    });
    conn_->buffer.commit(n);
    const auto ec = conn_->timed(read_ec);
    if (ec == asio::error::eof) {
      // The end of a body delimited by the connection's end, or a body cut short.
      beast::error_code end;
      parser_->put_eof(end);
      if (end) {
        fail(end);
        co_return std::string_view(chunk_.get(), filled());
      }
      break;
    }
    if (ec) {
      fail(ec);
      co_return std::string_view(chunk_.get(), filled());
    }
  }
  if (parser_->is_done()) finished_ = true;
  if (finished_ && conn_) {
    conn_->deadline->expires_never();
    if (parser_->keep_alive()) pool_.give_back(idle_list_, std::move(conn_));
    conn_.reset();
  }
  co_return std::string_view(chunk_.get(), filled());
}

ClientPool& client_pool_for_this_thread(const Executor& executor) {
  // Each I/O thread runs exactly one io_context, so a thread-local pool is that context's pool.
  thread_local std::unique_ptr<ClientPool> pool;
  if (!pool) pool = std::make_unique<ClientPool>(executor);
  return *pool;
}

}  // namespace switchyard::http
