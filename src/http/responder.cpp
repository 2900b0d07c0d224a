#include "http/responder.h"

#include "core/text.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <charconv>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace switchyard::http {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
namespace {

constexpr auto kUseTuple = asio::as_tuple(kUseAwaitable);
constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kLastChunk = "0\r\n\r\n";
// until_client_gone(): as ClientWatch (client_watch.cpp).
constexpr std::chrono::milliseconds kHalfCloseGrace{250};
constexpr std::chrono::milliseconds kHalfCloseProbeInterval{50};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// "HTTP/1.1 200 OK\r\n" and the handler's header fields, as Beast's serializer writes them. The
// fields that frame the message (Connection, Content-Length, Transfer-Encoding) are left out:
// the Responder decides them, as it did through keep_alive()/prepare_payload().
void append_status_and_fields(std::string& head, unsigned version, unsigned status, std::string_view reason,
                              const beast_http::fields& fields) {
  head += "HTTP/";
  head += static_cast<char>('0' + version / 10);
  head += '.';
  head += static_cast<char>('0' + version % 10);
  head += ' ';
  core::append_int(head, status);
  head += ' ';
  head += reason;
  head += kCrlf;
  for (const auto& field : fields) {
    const auto name = field.name();
    if (name == beast_http::field::connection || name == beast_http::field::content_length ||
        name == beast_http::field::transfer_encoding)
      continue;
    head += field.name_string();
    head += ": ";
    head += field.value();
    head += kCrlf;
  }
}

// Keep-alive is HTTP/1.1's default and HTTP/1.0's exception: say whichever is not the default.
void append_connection(std::string& head, unsigned version, bool keep_alive) {
  if (version >= 11 && !keep_alive) head += "Connection: close\r\n";
  if (version < 11 && keep_alive) head += "Connection: keep-alive\r\n";
}

// 1xx, 204 and 304 responses have no content and no Content-Length (RFC 9110 8.6).
bool has_content(unsigned status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace

Awaitable<bool> Responder::send(Response response) {
  if (failed_) co_return false;  // abandoned, or an earlier write failed: nobody reads this
  auto message = whole_message(response.result_int(), response.reason(), response.base(), {}, response.body());
  co_return co_await write(message);
}

Awaitable<bool> Responder::send(beast_http::status status, std::string_view fields, std::string_view body) {
  if (failed_) co_return false;
  const beast_http::fields none;
  auto message = whole_message(static_cast<unsigned>(status), beast_http::obsolete_reason(status), none, fields, body);
  co_return co_await write(message);
}

// Not a coroutine of its own: both send()s format through it without another frame per answer.
std::array<boost::asio::const_buffer, 2> Responder::whole_message(unsigned status, std::string_view reason,
                                                                  const beast_http::fields& fields,
                                                                  std::string_view field_lines, std::string_view body) {
  answered_ = true;
  auto& head = *head_;
  head.clear();
  append_status_and_fields(head, version_, status, reason, fields);
  head += field_lines;
  append_connection(head, version_, keep_alive());
  if (has_content(status)) {
    head += "Content-Length: ";
    core::append_int(head, static_cast<std::int64_t>(body.size()));
    head += kCrlf;
  }
  head += kCrlf;
  std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::const_buffer{}};
  if (!head_only_ && has_content(status)) buffers[1] = asio::buffer(body.data(), body.size());
  return buffers;
}

Awaitable<bool> Responder::start_stream(beast_http::response_header<> header) {
  return start_stream(std::move(header), {});
}

Awaitable<bool> Responder::start_stream(beast_http::response_header<> header, std::string_view first_chunk) {
  if (failed_) co_return false;
  answered_ = true;
  streaming_ = true;
  auto& head = *head_;
  head.clear();
  append_status_and_fields(head, version_, header.result_int(), header.reason(), header);
  append_connection(head, version_, keep_alive());
  head += "Transfer-Encoding: chunked\r\n\r\n";
  if (head_only_) first_chunk = {};
  std::array<asio::const_buffer, 4> buffers{asio::buffer(head), chunk_size_line(first_chunk.size()),
                                            asio::buffer(first_chunk.data(), first_chunk.size()),
                                            asio::buffer(kCrlf.data(), first_chunk.empty() ? 0 : kCrlf.size())};
  co_return co_await write(buffers);
}

Awaitable<bool> Responder::write_chunk(std::string_view data) {
  if (failed_ || data.empty() || head_only_) co_return !failed_;
  std::array<asio::const_buffer, 3> buffers{chunk_size_line(data.size()), asio::buffer(data.data(), data.size()),
                                            asio::buffer(kCrlf.data(), kCrlf.size())};
  co_return co_await write(buffers);
}

// The chunk's size line lives in the Responder: no allocation per chunk. Empty for no data (a
// zero-size line would end the body).
asio::const_buffer Responder::chunk_size_line(std::size_t size) {
  if (size == 0) return {};
  auto* end = std::to_chars(chunk_line_.data(), chunk_line_.data() + chunk_line_.size() - 2, size, 16).ptr;
  *end++ = '\r';
  *end++ = '\n';
  return asio::buffer(chunk_line_.data(), static_cast<std::size_t>(end - chunk_line_.data()));
}

Awaitable<bool> Responder::finish_stream() { return finish_stream({}); }

Awaitable<bool> Responder::finish_stream(std::string_view last_data) {
  if (failed_) co_return false;
  if (head_only_) co_return true;
  std::array<asio::const_buffer, 4> buffers{chunk_size_line(last_data.size()),
                                            asio::buffer(last_data.data(), last_data.size()),
                                            asio::buffer(kCrlf.data(), last_data.empty() ? 0 : kCrlf.size()),
                                            asio::buffer(kLastChunk.data(), kLastChunk.size())};
  co_return co_await write(buffers);
}

// One gather write per step: most messages leave in one sendmsg. The write timeout bounds each
// step, not the whole message: a slow reader of a large body that keeps reading is not cut.
Awaitable<bool> Responder::write(std::span<asio::const_buffer> buffers) {
  while (!failed_) {
    while (!buffers.empty() && buffers.front().size() == 0) buffers = buffers.subspan(1);
    if (buffers.empty()) break;
    if (deadline_) deadline_->expires_after(write_timeout_);
    else timed_stream_->expires_after(write_timeout_);
    auto [ec, n] = timed_stream_ ? co_await timed_stream_->async_write_some(buffers, kUseTuple)
                                 : co_await socket_.async_write_some(buffers, kUseTuple);
    if (ec) failed_ = true;
    for (; n > 0 && !buffers.empty(); buffers = buffers.subspan(1)) {
      if (n < buffers.front().size()) {
        buffers.front() += n;
        break;
      }
      n -= buffers.front().size();
    }
  }
  if (deadline_) deadline_->expires_never();
  else timed_stream_->expires_never();
  co_return !failed_;
}

Awaitable<void> Responder::until_client_gone() {
  auto& socket = socket_;
  auto [ec] = co_await socket.async_wait(Socket::wait_read, kUseTuple);
  // Cancelled: the work finished first and won the race; returning now is not seen as a
  // disconnect (the race already has its winner). No exception: this happens on every request.
  if (ec == asio::error::operation_aborted) co_return;
  if (ec) co_return;  // the socket itself failed: nobody is listening any more
  // Readable: the peer closed or half-closed (recv sees the end), reset (an error), or it
  // pipelined more bytes.
  const int fd = socket.native_handle();
  char byte = 0;
  const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) co_return;
  SteadyTimer timer(socket.get_executor());
  if (n == 0) {
    keep_alive_ = false;  // no further request can come on this connection
    // HTTP/1.0 allows no interim response: such a client is answered without the check.
    if (version_ >= 11 && !answered_) {
      // Most answers come before the grace ends: a half-closing client then gets no interim line.
      timer.expires_after(kHalfCloseGrace);
      auto [grace_ec] = co_await timer.async_wait(kUseTuple);
      if (grace_ec) co_return;  // cancelled: the work won
      if (::send(fd, kContinue.data(), kContinue.size(), MSG_DONTWAIT | MSG_NOSIGNAL) !=
          static_cast<ssize_t>(kContinue.size()))
        co_return;
      for (;;) {
        timer.expires_after(kHalfCloseProbeInterval);
        auto [wait_ec] = co_await timer.async_wait(kUseTuple);
        if (wait_ec) co_return;  // cancelled: the work won
        int error = 0;
        socklen_t error_len = sizeof error;
        tcp_info info{};
        socklen_t info_len = sizeof info;
        if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0 || error != 0) co_return;
        if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &info_len) == 0 && info.tcpi_state == TCP_CLOSE) co_return;
      }
    }
  }
  // Still there: wait until the racing work finishes and cancels this wait.
  timer.expires_at(SteadyTimer::time_point::max());
  auto [wait_ec] = co_await timer.async_wait(kUseTuple);
  (void)wait_ec;
}

}  // namespace switchyard::http
