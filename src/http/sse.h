// Incremental server-sent-events parser (https://html.spec.whatwg.org/multipage/server-sent-events.html):
// bytes in as they arrive, whole events out. Handles \n, \r\n and \r line ends, multi-line data,
// comments, and events split across reads. Bounded: an event larger than the limit is an error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::http {

struct SseEvent {
  std::string event;  // empty when the stream did not name it
  std::string data;   // data lines joined with '\n'
};

class SseParser {
 public:
  explicit SseParser(std::size_t max_event_bytes = 16 << 20) : max_event_bytes_(max_event_bytes) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete event, or nullopt until more bytes arrive.
  std::optional<SseEvent> next();
  // The same without a copy: the parser's own event, valid until the next call to next_event(),
  // next() or feed(); null until more bytes arrive. Its strings keep their capacity from event to
  // event, so a stream of events allocates nothing once warm.
  const SseEvent* next_event();
  bool overflowed() const { return overflowed_; }
  // Bytes received that do not yet form a complete event.
  bool has_partial() const { return !buffer_.empty() && buffer_.find_first_not_of("\r\n") != std::string::npos; }

 private:
  std::string buffer_;
  std::size_t consumed_ = 0;
  SseEvent pending_;
  SseEvent ready_;  // the event next_event() handed out
  bool has_pending_ = false;
  bool has_data_ = false;
  bool overflowed_ = false;
  std::size_t max_event_bytes_;
};

// One event as wire text: "event: X\ndata: …\n\n" (event line omitted when empty).
std::string format_sse(std::string_view event, std::string_view data);
// The same, appended to `out`.
void append_sse(std::string& out, std::string_view event, std::string_view data);

}  // namespace switchyard::http
