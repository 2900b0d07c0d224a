// The upstream client: keep-alive connection pools per host, TLS with certificate and host name
// verification (OpenSSL), connect and whole-attempt deadlines, async throughout. One pool per I/O
// thread (client_pool_for_this_thread) so no lock is shared between threads. Knows no providers:
// it moves bytes and reports transport failures as values.
#pragma once

#include "http/types.h"
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "errors/upstream_error.h"
#include "http/types.h"

namespace switchyard::http {

struct Url {
  bool tls = false;
  std::string host;
  std::string port;  // always set ("443" / "80" by default)
  std::string path;  // without trailing slash; may be empty
};

// Parses an api_base like "https://host:8443/v1"; nullopt when it is not http(s).
std::optional<Url> parse_url(std::string_view text);

// The Host header sent to `url` (port only when not the scheme's default), e.g. for signing.
std::string host_header(const Url& url);

// Sets a header, replacing any earlier value of the same name (names compared case-insensitively).
void set_header(errors::Headers& headers, std::string_view name, std::string value);

struct UpstreamRequest {
  Url url;             // scheme, host, port of the upstream; url.path is ignored here
  std::string target;  // full path + query sent on the request line
  beast_http::verb method = beast_http::verb::post;
  errors::Headers headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{10'000};
  // send(): the whole attempt, connect included. open_stream(): until the response headers, and
  // (until the stream's lift_deadline()) every read of the body too.
  std::chrono::milliseconds timeout{600'000};
  // open_stream() only: the longest silence allowed while waiting for the headers and between
  // two reads of the body (LiteLLM's stream_timeout). 0: `timeout` is the only bound.
  std::chrono::milliseconds stream_idle_timeout{0};
};

struct UpstreamResponse {
  errors::TransportError transport_error = errors::TransportError::none;
  std::string transport_message;  // what the socket said, for logs and the client's error
  int status = 0;
  errors::Headers headers;
  std::string body;

  bool ok() const { return transport_error == errors::TransportError::none && status >= 200 && status < 300; }
};

inline constexpr std::size_t kMaxUpstreamBodyBytes = 64 << 20;
inline constexpr std::size_t kMaxIdleConnectionsPerHost = 256;
inline constexpr std::chrono::seconds kIdleConnectionLifetime{30};
inline constexpr std::size_t kStreamReadChunkBytes = 16 << 10;
// The only headers of a 2xx kept in UpstreamResponse/UpstreamStream::headers: read by the error
// classifier (retry hints, the AWS error type) when the 2xx body turns out to be an error. A
// non-2xx answer keeps all of its headers.
inline constexpr std::array<std::string_view, 3> kHeadersKeptOn2xx{"retry-after", "retry-after-ms", "x-amzn-errortype"};

// A 2xx response whose body is read as it arrives (server-sent events). Owns its connection:
// destroying it before the end closes the connection, which cancels the upstream request.
class UpstreamStream {
 public:
  virtual ~UpstreamStream() = default;
  int status = 0;
  errors::Headers headers;

  // The next bytes of the body; empty at the end or on failure (then error() says which). A view
  // of the stream's own buffer, valid until the next read_some() (no allocation per read).
  virtual Awaitable<std::string_view> read_some() = 0;
  virtual bool finished() const = 0;  // the body ended cleanly
  // From now on only the silence bound (stream_idle_timeout) limits reads, not `timeout`: a
  // healthy stream may last longer than the time its first token was allowed to take.
  virtual void lift_deadline() = 0;
  virtual errors::TransportError error() const = 0;
  virtual std::string error_message() const = 0;
};

// Either the stream, or why not: a transport failure or a non-2xx response read in full.
struct StreamOpen {
  std::unique_ptr<UpstreamStream> stream;
  UpstreamResponse failure;
};

// A pooled keep-alive connection is reused only if the server has not closed it meanwhile; a
// request is sent again on a fresh connection only when it provably never reached the server (its
// write failed). A connection that took the whole request and then closed without an answer is a
// failure of the attempt (the server may have acted on it): a POST is never repeated here.
class ClientPool {
 public:
  explicit ClientPool(Executor executor);
  ~ClientPool();
  ClientPool(const ClientPool&) = delete;
  ClientPool& operator=(const ClientPool&) = delete;

  Awaitable<UpstreamResponse> send(const UpstreamRequest& request);
  Awaitable<StreamOpen> open_stream(const UpstreamRequest& request);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The pool of the I/O thread the caller runs on (created on first use with that executor).
ClientPool& client_pool_for_this_thread(const Executor& executor);

}  // namespace switchyard::http
