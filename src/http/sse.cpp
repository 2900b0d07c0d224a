#include "http/sse.h"

#include <cstring>

namespace switchyard::http {
namespace {

// The first \r or \n at or after `from`: two memchr scans (std::string::find_first_of tests
// every byte against the set one by one, the largest cost of a stream's parse).
std::size_t line_end(const std::string& text, std::size_t from) {
  if (from >= text.size()) return std::string::npos;
  const char* begin = text.data() + from;
  const std::size_t n = text.size() - from;
  const auto* lf = static_cast<const char*>(std::memchr(begin, '\n', n));
  const std::size_t cr_span = lf ? static_cast<std::size_t>(lf - begin) : n;
  if (const auto* cr = static_cast<const char*>(std::memchr(begin, '\r', cr_span))) return from + (cr - begin);
  return lf ? from + (lf - begin) : std::string::npos;
}

}  // namespace

std::optional<SseEvent> SseParser::next() {
  const auto* event = next_event();
  if (!event) return std::nullopt;
  return *event;
}

const SseEvent* SseParser::next_event() {
  for (;;) {
    // Find the end of the next line starting at consumed_.
    const auto eol = line_end(buffer_, consumed_);
    if (eol == std::string::npos) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
      if (buffer_.size() > max_event_bytes_) overflowed_ = true;
      return nullptr;
    }
    // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
    if (buffer_[eol] == '\r' && eol + 1 == buffer_.size()) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
      return nullptr;
    }
    const std::string_view line(buffer_.data() + consumed_, eol - consumed_);
    consumed_ = eol + ((buffer_[eol] == '\r' && buffer_[eol + 1] == '\n') ? 2 : 1);

    if (line.empty()) {  // blank line: dispatch
      if (!has_pending_) continue;
      std::swap(ready_, pending_);  // both keep their strings' capacity
      pending_.event.clear();
      pending_.data.clear();
      has_pending_ = false;
      has_data_ = false;
      return &ready_;
    }
    if (line.front() == ':') continue;  // comment (keep-alive pings)
    const auto colon = line.find(':');
    std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "data") {
      if (has_data_) pending_.data += '\n';
      pending_.data.append(value);
      has_data_ = true;
      has_pending_ = true;
    } else if (field == "event") {
      pending_.event.assign(value);
      has_pending_ = true;
    }
    if (pending_.data.size() > max_event_bytes_) overflowed_ = true;
  }
}

std::string format_sse(std::string_view event, std::string_view data) {
  std::string out;
  append_sse(out, event, data);
  return out;
}

void append_sse(std::string& out, std::string_view event, std::string_view data) {
  out.reserve(out.size() + event.size() + data.size() + 16);
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  out += "data: ";
  out += data;
  out += "\n\n";
}

}  // namespace switchyard::http
