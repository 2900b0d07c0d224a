// Same-format stream pass-through (OpenAI→OpenAI, Anthropic→Anthropic): after the first content
// token an event is parsed only when it can matter (usage, an error, the end of the stream), so
// these check that what matters is still seen after content, and that bytes pass unchanged.
#include <gtest/gtest.h>

#include "core/utf8.h"
#include "http/sse.h"
#include "providers/stream_translate.h"

namespace switchyard::providers {
namespace {

const std::string kContent =
    R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})";

TranslatedChunk feed(StreamTranslator& t, std::string_view event, std::string_view data) {
  TranslatedChunk out;
  t.on_event(http::SseEvent{std::string(event), std::string(data)}, out);
  return out;
}

std::unique_ptr<StreamTranslator> openai_after_content() {
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::openai, true);
  const auto first = feed(*t, "", kContent);
  EXPECT_TRUE(first.content);
  EXPECT_EQ(first.bytes, "data: " + kContent + "\n\n");
  return t;
}

// Before the first content token an event whose content fields are all empty is forwarded
// without a parse: what counts as content, usage and errors there must not change.
TEST(StreamPassThrough, OpenAiEventsBeforeContentAreReadWhenTheyCanMatter) {
  const std::string opening =
      R"({"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content": "" ,"refusal":null,"tool_calls":[]},"logprobs":null,"finish_reason":null}],"usage":null})";
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::openai, true);
  const auto first = feed(*t, "", opening);
  EXPECT_FALSE(first.content);
  EXPECT_EQ(first.bytes, "data: " + opening + "\n\n");
  // Each of these carries content (or a tool call, reasoning, a refusal) before any other did.
  for (const std::string& data :
       {kContent, std::string(R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"t1","function":{"name":"f"}}]}}]})"),
        std::string(R"({"choices":[{"delta":{"reasoning_content":"hm"}}]})"),
        std::string(R"({"choices":[{"delta":{"refusal":"no"}}]})"),
        std::string(R"({"choices":[{"delta":{"c\u006fntent":"Hi"}}]})")}) {
    auto fresh = make_stream_translator(core::WireFormat::openai, core::WireFormat::openai, true);
    EXPECT_FALSE(feed(*fresh, "", opening).content);
    const auto out = feed(*fresh, "", data);
    EXPECT_TRUE(out.content) << data;
    EXPECT_EQ(out.bytes, "data: " + data + "\n\n");
  }
  // A content key elsewhere than a choice's delta is not content.
  EXPECT_FALSE(feed(*t, "", R"({"choices":[{"delta":{},"logprobs":{"content":[{"token":"x"}]}}]})").content);
  // Usage and errors before content are still read.
  feed(*t, "", R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}})");
  EXPECT_EQ(t->usage().input_tokens, 5);
  const auto error = feed(*t, "", R"({"error":null})");
  EXPECT_TRUE(error.error_body.has_value());
}

TEST(StreamPassThrough, OpenAiEventsAfterContentPassUnchanged) {
  auto t = openai_after_content();
  EXPECT_EQ(feed(*t, "", kContent).bytes, "data: " + kContent + "\n\n");
  const auto done = feed(*t, "", "[DONE]");
  EXPECT_TRUE(done.done);
  EXPECT_EQ(done.bytes, "data: [DONE]\n\n");
}

TEST(StreamPassThrough, OpenAiUsageAfterContentIsRead) {
  auto t = openai_after_content();
  const auto out =
      feed(*t, "", R"({"id":"c1","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}})");
  EXPECT_FALSE(out.bytes.empty());
  EXPECT_EQ(t->usage().input_tokens, 7);
  EXPECT_EQ(t->usage().output_tokens, 3);
}

TEST(StreamPassThrough, OpenAiErrorAfterContentIsAnErrorEvenWhenItsNameIsEscaped) {
  for (const std::string data : {R"({"error":{"message":"overloaded","type":"server_error"}})",
                                 R"({"\u0065rror":{"message":"overloaded"}})"}) {
    auto t = openai_after_content();
    const auto out = feed(*t, "", data);
    ASSERT_TRUE(out.error_body.has_value()) << data;
    EXPECT_EQ(*out.error_body, data);
    EXPECT_TRUE(out.bytes.empty());
  }
}

TEST(StreamPassThrough, InvalidUtf8AfterContentIsRepaired) {
  auto t = openai_after_content();
  const auto out = feed(*t, "", "{\"text\":\"caf\xc3\"}");
  EXPECT_EQ(core::valid_utf8(out.bytes), out.bytes);
  EXPECT_NE(out.bytes.find("caf\\xc3"), std::string::npos) << out.bytes;
  auto a = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, false);
  feed(*a, "content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})");
  const auto repaired = feed(*a, "content_block_delta", "{\"type\":\"content_block_delta\",\"x\":\"\xff\"}");
  EXPECT_EQ(core::valid_utf8(repaired.bytes), repaired.bytes);
}

TEST(StreamPassThrough, AnthropicUsageErrorAndStopAfterContentAreSeen) {
  const std::string delta = R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})";
  auto t = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, false);
  EXPECT_TRUE(feed(*t, "content_block_delta", delta).content);
  EXPECT_EQ(feed(*t, "content_block_delta", delta).bytes, "event: content_block_delta\ndata: " + delta + "\n\n");
  feed(*t, "message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":12}})");
  EXPECT_EQ(t->usage().output_tokens, 12);
  EXPECT_TRUE(feed(*t, "message_stop", R"({"type":"message_stop"})").done);
  // Without an event name the type in the data still ends the stream.
  auto u = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, false);
  feed(*u, "", delta);
  EXPECT_TRUE(feed(*u, "", R"({"type":"message_stop"})").done);
  // An error after content, named or not.
  for (const auto& [name, data] : {std::pair<std::string, std::string>{"error", R"({"type":"error","error":{"type":"overloaded_error"}})"},
                                   {"", R"({"type":"error","error":{"type":"overloaded_error"}})"}}) {
    auto v = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, false);
    feed(*v, "content_block_delta", delta);
    EXPECT_TRUE(feed(*v, name, data).error_body.has_value()) << name;
  }
}

// Events larger than the parse arena's buffer, parsed one after another (each mentions usage):
// the arena must not grow from event to event (a rewound monotonic_resource doubles its next
// block every time: after a few dozen events it asked for 34 GB and the stream died).
TEST(StreamPassThrough, ManyLargeParsedEventsStayBounded) {
  auto t = openai_after_content();
  const std::string big =
      R"({"id":"c1","choices":[{"index":0,"delta":{"content":")" + std::string(64 << 10, 'w') + R"("}}],"usage":null})";
  for (int i = 0; i < 200; ++i) {
    const auto out = feed(*t, "", big);
    ASSERT_EQ(out.bytes.size(), big.size() + 8) << "event " << i;
  }
}

TEST(SseParser, NextEventReusesItsEventAndMatchesNext) {
  http::SseParser a, b;
  const std::string text = "event: x\r\ndata: 1\r\n\r\ndata: 2\ndata: 3\n\n: ping\n\ndata: 4\r\r";
  a.feed(text);
  b.feed(text);
  for (;;) {
    const auto* viewed = a.next_event();
    const auto copied = b.next();
    ASSERT_EQ(viewed != nullptr, copied.has_value());
    if (!viewed) break;
    EXPECT_EQ(viewed->event, copied->event);
    EXPECT_EQ(viewed->data, copied->data);
  }
}

// A backslash as an event's last byte (found by fuzz_stream, an overflow under ASan): the escape
// scans stay inside the event, before and after the first content token, in both formats.
TEST(StreamPassThrough, EventsEndingInABackslashAreScannedWithinTheirBytes) {
  for (const std::string& data : {std::string("{\"choices\":[]}\\"), std::string("\\"), std::string("x\\\\")}) {
    auto before = make_stream_translator(core::WireFormat::openai, core::WireFormat::openai, true);
    EXPECT_FALSE(feed(*before, "", data).content) << data;
    auto after = openai_after_content();
    EXPECT_FALSE(feed(*after, "", data).content) << data;
    auto anthropic = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, true);
    feed(*anthropic, "content_block_delta", data);
  }
}

}  // namespace
}  // namespace switchyard::providers
