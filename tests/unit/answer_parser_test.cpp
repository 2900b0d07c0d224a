// AnswerParser: an upstream answer parsed into status, the headers the layers above need and the
// body, whole or into a stream's window, with Beast's framing and limits.
#include "http/answer_parser.h"

#include <gtest/gtest.h>

#include <array>
#include <boost/asio/buffer.hpp>

namespace switchyard::http {
namespace {

constexpr std::array<std::string_view, 2> kKept{"retry-after", "x-amzn-errortype"};

// Feeds `bytes` in one piece, as after a socket read that brought all of it.
boost::beast::error_code feed(AnswerParser& parser, std::string_view bytes, std::size_t* used = nullptr) {
  boost::beast::error_code ec;
  const auto n = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (used) *used = n;
  return ec;
}

TEST(AnswerParser, SuccessKeepsOnlyTheNamedHeadersAndTheWholeBody) {
  AnswerParser parser(kKept);
  std::string body;
  parser.body_into(body);
  parser.eager(true);
  const auto ec = feed(parser,
                       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nx-ratelimit-remaining: 9\r\n"
                       "Retry-After: 3\r\nContent-Length: 11\r\n\r\n{\"ok\":true}");
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(parser.status(), 200);
  ASSERT_EQ(parser.headers().size(), 1u);
  EXPECT_EQ(parser.headers()[0].first, "Retry-After");
  EXPECT_EQ(parser.headers()[0].second, "3");
  EXPECT_EQ(body, "{\"ok\":true}");
  EXPECT_TRUE(parser.keep_alive());
}

TEST(AnswerParser, ErrorAnswerKeepsEveryHeaderAndAChunkedBody) {
  AnswerParser parser(kKept);
  std::string body;
  parser.body_into(body);
  parser.eager(true);
  const auto ec = feed(parser,
                       "HTTP/1.1 429 Too Many Requests\r\nx-request-id: abc\r\nConnection: close\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_done());
  EXPECT_EQ(parser.status(), 429);
  EXPECT_EQ(parser.headers().size(), 3u);
  EXPECT_EQ(parser.headers()[0].first, "x-request-id");
  EXPECT_EQ(body, "hello world");
  EXPECT_FALSE(parser.keep_alive());
}

TEST(AnswerParser, AContentLengthOverTheBodyLimitIsRefused) {
  AnswerParser parser(kKept);
  std::string body;
  parser.body_into(body);
  parser.body_limit(10);
  const auto ec = feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n");
  EXPECT_EQ(ec, beast_http::error::body_limit);
}

TEST(AnswerParser, AWindowTakesWhatFitsAndAsksForTheNext) {
  AnswerParser parser(kKept);
  parser.body_limit(boost::none);
  std::string_view rest = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
  std::size_t used = 0;
  ASSERT_FALSE(feed(parser, rest, &used));
  ASSERT_TRUE(parser.is_header_done());
  rest.remove_prefix(used);
  std::array<char, 4> window{};
  std::string got;
  while (!parser.is_done()) {
    parser.body_window(window.data(), window.size());
    const auto ec = feed(parser, rest, &used);
    ASSERT_TRUE(!ec || ec == beast_http::error::need_buffer) << ec.message();
    rest.remove_prefix(used);
    got.append(window.data(), window.size() - parser.window_left());
  }
  EXPECT_EQ(got, "0123456789");
  EXPECT_TRUE(rest.empty());
}

}  // namespace
}  // namespace switchyard::http
