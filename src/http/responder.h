// How a handler answers: one complete response, or a streamed one (headers first, then body
// chunks as they arrive, e.g. server-sent events). Bound to one connection and one request.
// Each message leaves as one pre-formatted head and its body in one gather write (Beast's
// serializer walks the header fields as nested buffer sequences, which cost more than the rest
// of the write); the head is formatted into a buffer the connection reuses.
#pragma once

#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "http/client_watch.h"
#include "http/connection_deadline.h"
#include "http/types.h"

namespace switchyard::http {

class Responder {
 public:
  Responder(http::TcpStream& stream, unsigned version, bool keep_alive,
            std::chrono::milliseconds write_timeout = kDefaultWriteTimeout)
      : socket_(stream.socket()), timed_stream_(&stream), version_(version), keep_alive_(keep_alive),
        write_timeout_(write_timeout) {}
  // What a Responder borrows from the server's connection (kept across its requests): the buffer
  // the heads are formatted into, the watch that notices a client that goes away (see
  // watch_client()) and the connection's deadline, which bounds writes in place of the stream's.
  struct Connection {
    std::string& head_buffer;
    ClientWatch& watch;
    ConnectionDeadline& deadline;
  };
  Responder(http::Socket& socket, const Connection& connection, unsigned version, bool keep_alive,
            std::chrono::milliseconds write_timeout)
      : socket_(socket), version_(version), keep_alive_(keep_alive), write_timeout_(write_timeout),
        head_(&connection.head_buffer), watch_(&connection.watch), deadline_(&connection.deadline) {}
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  // Sends a complete response (Content-Length set here). Returns false if the client is gone.
  Awaitable<bool> send(Response response);
  // The same without a header container: `fields` are the response's header lines, formatted by
  // the caller ("Name: value\r\n" each; no Connection, Content-Length or Transfer-Encoding).
  // `body` must outlive the call. For the hot path: no allocation per header field.
  Awaitable<bool> send(beast_http::status status, std::string_view fields, std::string_view body);

  // Streaming: headers with chunked transfer encoding, then chunks, then the last chunk.
  Awaitable<bool> start_stream(beast_http::response_header<> header);
  // The headers and the first chunk in one gather write: one sendmsg, one wake-up of the client
  // (an empty chunk: the headers alone).
  Awaitable<bool> start_stream(beast_http::response_header<> header, std::string_view first_chunk);
  Awaitable<bool> write_chunk(std::string_view data);
  Awaitable<bool> finish_stream();
  // The stream's last data and the last chunk in one gather write.
  Awaitable<bool> finish_stream(std::string_view last_data);

  // Every write (whole response, stream header, chunk) must finish within the write timeout: a
  // client that stops reading (its TCP window full) fails the write instead of holding the
  // connection, and the upstream behind it, forever.
  //
  // While the returned scope lives, a client that goes away (see ClientWatch) cancels the work the
  // connection's coroutine is waiting for: the work then ends with an exception or an outcome
  // that no longer matters, and scope.client_gone() says so. Without a watch (e.g. the mock's
  // Responder) nothing is watched.
  [[nodiscard]] ClientWatch::Scope watch_client() {
    return watch_ ? watch_->watch(socket_, version_) : ClientWatch::Scope(nullptr);
  }
  // The coroutine form of the watch, for a server without a ClientWatch (the mock), whose work
  // races it with asio's awaitable `||` (two co_spawns and a parallel_group per use: the gateway
  // uses watch_client()). Completes when the client has gone away (same rules as ClientWatch);
  // never completes otherwise, until cancelled by the race.
  Awaitable<void> until_client_gone();
  // The client went away before the answer: no response will be written on this connection.
  void abandon() { failed_ = true; keep_alive_ = false; }

  bool answered() const { return answered_; }
  bool keep_alive() const { return keep_alive_ && !failed_ && !(watch_ && watch_->input_ended()); }
  unsigned version() const { return version_; }
  void close_after_response() { keep_alive_ = false; }
  // The request was HEAD: responses carry their head (with the Content-Length a GET would get)
  // and no content (RFC 9110 9.3.2).
  void omit_content() { head_only_ = true; }

 private:
  http::Socket& socket_;
  http::TcpStream* timed_stream_ = nullptr;  // the mock's: bounds writes with its own timeout
  unsigned version_;
  bool keep_alive_;
  std::chrono::milliseconds write_timeout_;
  bool answered_ = false;
  bool streaming_ = false;
  bool failed_ = false;
  bool head_only_ = false;
  std::string own_head_;
  std::string* head_ = &own_head_;
  ClientWatch* watch_ = nullptr;
  ConnectionDeadline* deadline_ = nullptr;  // null: the stream's own timeout
  std::array<char, 20> chunk_line_{};  // a chunk's size in hex and CRLF

  Awaitable<bool> write(std::span<boost::asio::const_buffer> buffers);
  // A complete response formatted into the head buffer: status line, `fields`, the preformatted
  // `field_lines`, framing; returned with the body as the buffers of one write.
  std::array<boost::asio::const_buffer, 2> whole_message(unsigned status, std::string_view reason,
                                                         const beast_http::fields& fields, std::string_view field_lines,
                                                         std::string_view body);
  boost::asio::const_buffer chunk_size_line(std::size_t size);
};

}  // namespace switchyard::http
