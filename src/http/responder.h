// How a handler answers: one complete response, or a streamed one (headers first, then body
// chunks as they arrive, e.g. server-sent events). Bound to one connection and one request.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string_view>

#include "http/types.h"

namespace switchyard::http {

class Responder {
 public:
  Responder(boost::beast::tcp_stream& stream, unsigned version, bool keep_alive,
            std::chrono::milliseconds write_timeout = kDefaultWriteTimeout)
      : stream_(stream), version_(version), keep_alive_(keep_alive), write_timeout_(write_timeout) {}

  // Sends a complete response (Content-Length set here). Returns false if the client is gone.
  Awaitable<bool> send(Response response);

  // Streaming: headers with chunked transfer encoding, then chunks, then the last chunk.
  Awaitable<bool> start_stream(beast_http::response_header<> header);
  Awaitable<bool> write_chunk(std::string_view data);
  Awaitable<bool> finish_stream();

  // Every write (whole response, stream header, chunk) must finish within the write timeout: a
  // client that stops reading (its TCP window full) fails the write instead of holding the
  // connection, and the upstream behind it, forever.
  //
  // Completes when the client has gone away (closed or reset its connection) while the request
  // is being worked on; never completes otherwise. Meant to be raced against the work (asio's
  // awaitable operator ||), which cancels this wait when the work wins. Bytes of a pipelined next
  // request mean the client is still there: the wait then lasts until cancelled. End of input is
  // not proof: a client may half-close (shutdown(SHUT_WR)) after its request and still read the
  // answer. Then, if the answer is not ready within a short grace (250 ms), an HTTP/1.1 client
  // gets an interim `100 Continue` (which clients must accept): a
  // client that closed for good answers it with a reset, which is a disconnect; one that only
  // half-closed reads on, and is answered (on a connection that then closes).
  Awaitable<void> until_client_gone();
  // The client went away before the answer: no response will be written on this connection.
  void abandon() { failed_ = true; keep_alive_ = false; }

  bool answered() const { return answered_; }
  bool keep_alive() const { return keep_alive_ && !failed_; }
  unsigned version() const { return version_; }
  void close_after_response() { keep_alive_ = false; }

 private:
  boost::beast::tcp_stream& stream_;
  unsigned version_;
  bool keep_alive_;
  std::chrono::milliseconds write_timeout_;
  bool answered_ = false;
  bool streaming_ = false;
  bool failed_ = false;
};

}  // namespace switchyard::http
