#include "http/sse.h"

namespace switchyard::http {

std::optional<SseEvent> SseParser::next() {
  for (;;) {
    // Find the end of the next line starting at consumed_.
    const auto eol = buffer_.find_first_of("\r\n", consumed_);
    if (eol == std::string::npos) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
      if (buffer_.size() > max_event_bytes_) overflowed_ = true;
      return std::nullopt;
    }
    // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
    if (buffer_[eol] == '\r' && eol + 1 == buffer_.size()) {
      buffer_.erase(0, consumed_);
      consumed_ = 0;
      return std::nullopt;
    }
    const std::string_view line(buffer_.data() + consumed_, eol - consumed_);
    consumed_ = eol + ((buffer_[eol] == '\r' && buffer_[eol + 1] == '\n') ? 2 : 1);

    if (line.empty()) {  // blank line: dispatch
      if (!has_pending_) continue;
      SseEvent out = std::move(pending_);
      pending_ = {};
      has_pending_ = false;
      has_data_ = false;
      return out;
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
  out.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    out += "event: ";
    out += event;
    out += '\n';
  }
  out += "data: ";
  out += data;
  out += "\n\n";
  return out;
}

}  // namespace switchyard::http
