// The SSE parser gets bytes split anywhere and line ends of every kind.
#include <gtest/gtest.h>

#include "http/sse.h"

namespace switchyard::http {
namespace {

std::vector<SseEvent> parse_in_steps(std::string_view text, std::size_t step) {
  SseParser p;
  std::vector<SseEvent> out;
  for (std::size_t i = 0; i < text.size(); i += step) {
    p.feed(text.substr(i, step));
    while (auto e = p.next()) out.push_back(*e);
  }
  return out;
}

TEST(SseParser, EventsSplitAtEveryByteBoundaryParseTheSame) {
  const std::string text =
      ": ping\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line1\ndata: line2\n\nevent: stop\rdata:x\r\r\n";
  for (std::size_t step = 1; step <= text.size(); ++step) {
    const auto events = parse_in_steps(text, step);
    ASSERT_EQ(events.size(), 3u) << "step " << step;
    EXPECT_EQ(events[0].event, "message_start");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].event, "");
    EXPECT_EQ(events[1].data, "line1\nline2");
    EXPECT_EQ(events[2].event, "stop");
    EXPECT_EQ(events[2].data, "x");
  }
}

TEST(SseParser, AnOversizedEventIsReportedNotBuffered) {
  SseParser p(1024);
  p.feed("data: " + std::string(4096, 'x'));
  EXPECT_FALSE(p.next().has_value());
  EXPECT_TRUE(p.overflowed());
}

TEST(SseParser, FormatRoundTrips) {
  SseParser p;
  p.feed(format_sse("error", R"({"type":"error"})") + format_sse("", "[DONE]"));
  auto a = p.next();
  auto b = p.next();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->event, "error");
  EXPECT_EQ(b->data, "[DONE]");
}

}  // namespace
}  // namespace switchyard::http
