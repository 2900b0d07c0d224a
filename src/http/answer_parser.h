// An upstream answer parsed straight into what the layers above read (status, the headers they
// need, the body), instead of Beast's response_parser, which keeps every header in a basic_fields
// map (one allocation per header: a provider's answer has 15-20, rate-limit counters, cookies,
// tracing ids) only for most to be dropped again. Framing (Content-Length, chunked, keep-alive,
// the header and body limits) stays Beast's basic_parser.
#pragma once

#include "core/text.h"
#include "errors/upstream_error.h"
#include "http/types.h"

#include <boost/beast/http/basic_parser.hpp>
#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::http {

class AnswerParser final : public beast_http::basic_parser<false> {
 public:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  // Headers kept: all of a non-2xx answer's (the classifier, the client's error), only
  // `kept_on_2xx` of a 2xx (its body may still turn out to be an error), so a healthy answer
  // copies almost none.
  explicit AnswerParser(std::span<const std::string_view> kept_on_2xx) : kept_on_2xx_(kept_on_2xx) {}

  int status() const { return status_; }
  errors::Headers& headers() { return headers_; }

  // The body is appended to `body` (a whole answer)...
  void body_into(std::string& body) { whole_ = &body; }
  // ...or copied into `size` bytes at `data` (a stream's chunk); when they are full, parsing
  // stops with need_buffer until the next window, as Beast's buffer_body does.
  void body_window(char* data, std::size_t size) {
    whole_ = nullptr;
    window_ = data;
    window_left_ = size;
  }
  std::size_t window_left() const { return window_left_; }

 private:
  void on_request_impl(beast_http::verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int code, string_view, int, error_code&) override { status_ = code; }
  void on_field_impl(beast_http::field, string_view name, string_view value, error_code&) override {
    const bool success = status_ >= 200 && status_ < 300;
    if (success && std::none_of(kept_on_2xx_.begin(), kept_on_2xx_.end(),
                                [&](std::string_view kept) { return core::iequals(name, kept); }))
      return;
    headers_.emplace_back(std::string(name), std::string(value));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    // A Content-Length over body_limit was refused before this.
    if (whole_ && length) whole_->reserve(whole_->size() + static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(string_view data, error_code& ec) override { return take(data, ec); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code& ec) override { return take(data, ec); }
  void on_finish_impl(error_code&) override {}

  std::size_t take(string_view data, error_code& ec) {
    if (whole_) {
      whole_->append(data.data(), data.size());
      return data.size();
    }
    const auto n = std::min(window_left_, data.size());
    if (n > 0) std::memcpy(window_, data.data(), n);
    window_ += n;
    window_left_ -= n;
    if (n < data.size()) ec = beast_http::error::need_buffer;
    return n;
  }

  std::span<const std::string_view> kept_on_2xx_;
  errors::Headers headers_;
  std::string* whole_ = nullptr;
  char* window_ = nullptr;
  std::size_t window_left_ = 0;
  int status_ = 0;
};

}  // namespace switchyard::http
