// The one-pass answer scan agrees with the DOM reading (usage_of, the answer shape) on real
// answers and on the shapes that could fool a scanner: nested `usage`, escaped keys, repeated
// keys, trailing bytes, truncation.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/answer_scan.h"
#include "providers/translate.h"

namespace switchyard::providers {
namespace {

struct DomReading {
  bool object = false;
  bool answer = false;
  core::Usage usage;
};

DomReading read_with_dom(core::WireFormat format, std::string_view body) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto& o = v.get_object();
  const auto* a = o.if_contains(format == core::WireFormat::anthropic ? "content" : "choices");
  return {true, a && a->is_array() && !o.contains("error"), usage_of(format, o)};
}

void expect_same_as_dom(core::WireFormat format, std::string_view body) {
  const auto dom = read_with_dom(format, body);
  const auto scanned = scan_answer(format, body);
  ASSERT_EQ(scanned.has_value(), dom.object) << body;
  if (!scanned) return;
  EXPECT_EQ(scanned->is_answer, dom.answer) << body;
  EXPECT_EQ(scanned->usage.input_tokens, dom.usage.input_tokens) << body;
  EXPECT_EQ(scanned->usage.output_tokens, dom.usage.output_tokens) << body;
  EXPECT_EQ(scanned->usage.cached_tokens, dom.usage.cached_tokens) << body;
  EXPECT_EQ(scanned->usage.cache_creation_tokens, dom.usage.cache_creation_tokens) << body;
}

// OpenAI's documented chat completion object (platform.openai.com/docs/api-reference/chat/object).
constexpr std::string_view kOpenAiAnswer = R"({
  "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 1741570283,
  "model": "gpt-4o-2024-08-06",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "The image shows a wooden boardwalk.",
               "refusal": null, "annotations": []}, "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 1117, "completion_tokens": 46, "total_tokens": 1163,
            "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                          "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}},
  "service_tier": "default", "system_fingerprint": "fp_fc9f1d7035"})";

// Anthropic's Messages response with prompt caching (docs.anthropic.com, prompt caching).
constexpr std::string_view kAnthropicAnswer = R"({"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message",
  "role":"assistant","model":"claude-sonnet-4-20250514","content":[{"type":"text","text":"Hello!"}],
  "stop_reason":"end_turn","stop_sequence":null,
  "usage":{"input_tokens":21,"cache_creation_input_tokens":188086,"cache_read_input_tokens":0,"output_tokens":393,
           "service_tier":"standard"}})";

TEST(AnswerScan, ReadsUsageOfRealAnswersAsTheDomDoes) {
  const auto openai = scan_answer(core::WireFormat::openai, kOpenAiAnswer);
  ASSERT_TRUE(openai);
  EXPECT_TRUE(openai->is_answer);
  EXPECT_EQ(openai->usage.input_tokens, 1117);
  EXPECT_EQ(openai->usage.output_tokens, 46);
  EXPECT_EQ(openai->usage.cached_tokens, 1024);
  const auto anthropic = scan_answer(core::WireFormat::anthropic, kAnthropicAnswer);
  ASSERT_TRUE(anthropic);
  EXPECT_TRUE(anthropic->is_answer);
  EXPECT_EQ(anthropic->usage.input_tokens, 21 + 188086);
  EXPECT_EQ(anthropic->usage.cache_creation_tokens, 188086);
  EXPECT_EQ(anthropic->usage.output_tokens, 393);
  expect_same_as_dom(core::WireFormat::openai, kOpenAiAnswer);
  expect_same_as_dom(core::WireFormat::anthropic, kAnthropicAnswer);
  // Each format looks for its own answer array.
  EXPECT_FALSE(scan_answer(core::WireFormat::anthropic, kOpenAiAnswer)->is_answer);
  EXPECT_FALSE(scan_answer(core::WireFormat::openai, kAnthropicAnswer)->is_answer);
}

TEST(AnswerScan, ErrorsAndNonAnswersAreNotAnswers) {
  for (const std::string_view body : {
           R"({"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}})",
           R"({"choices":[],"error":null})",          // any `error` key, as the DOM check
           R"({"choices":{"0":{}}})",                 // not an array
           R"({"object":"chat.completion"})",
           R"({"choices":[1],"choices":"x"})",        // the last of a repeated key wins
       })
    expect_same_as_dom(core::WireFormat::openai, body);
  EXPECT_TRUE(scan_answer(core::WireFormat::openai, R"({"choices":"x","choices":[]})")->is_answer);
}

TEST(AnswerScan, OnlyTheTopLevelUsageCounts) {
  for (const std::string_view body : {
           R"({"choices":[{"usage":{"prompt_tokens":99}}],"usage":{"prompt_tokens":5,"completion_tokens":1}})",
           R"({"choices":[],"meta":{"usage":{"prompt_tokens":99}}})",
           R"({"choices":[],"usage":{"prompt_tokens":5},"meta":{"prompt_tokens":99,"x":{"cached_tokens":1}}})",
           R"({"choices":[],"usage":{"prompt_tokens":[7],"completion_tokens":{"x":8}}})",
           R"({"choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":3,"x":{"cached_tokens":9}}}})",
           R"({"choices":[],"usage":{"prompt_tokens":5},"usage":{"completion_tokens":2}})",
           R"({"choices":[],"usage":{"prompt_tokens":5,"prompt_tokens":6}})",
           R"({"choices":[],"usage":{"prompt_tokens":2.9,"completion_tokens":1e300,"total_tokens":-3}})",
           R"({"choices":[],"usage":{"prompt_tokens":18446744073709551615}})",
           R"({"choices":[],"\u0075sage":{"prompt_\u0074okens":11}})",  // escaped keys
           R"({"choices":[],"usage":null})",
       })
    expect_same_as_dom(core::WireFormat::openai, body);
  expect_same_as_dom(core::WireFormat::anthropic,
                     R"({"content":[],"usage":{"input_tokens":3,"cache_read_input_tokens":4,"output_tokens":1}})");
}

TEST(AnswerScan, AnythingButOneJsonObjectIsRefused) {
  for (const std::string_view body : {"", "[]", "\"x\"", "null", "{", R"({"choices":[])", R"({"choices":[]} x)",
                                      R"({"choices":[]}{})", "\xff", R"({"choices":["\xc3"]})"})
    EXPECT_FALSE(scan_answer(core::WireFormat::openai, body)) << body;
  EXPECT_TRUE(scan_answer(core::WireFormat::openai, "  {\"choices\":[]}\n"));  // whitespace around is JSON
}

// Databricks' Claude and Mistral's reasoning models answer message.content as a list of parts:
// the scan must say so (the answer is reshaped before a client reads it), and nothing else must.
TEST(AnswerScan, ContentAsAListOfPartsIsReported) {
  const auto parts = scan_answer(core::WireFormat::openai,
                                 R"({"choices":[{"index":0,"message":{"role":"assistant","content":[{"type":"text","text":"hi"}]}}]})");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->is_answer);
  EXPECT_TRUE(parts->content_parts);
  for (const std::string_view body : {
           R"({"choices":[{"message":{"role":"assistant","content":"hi","tool_calls":[{"function":{"content":[]}}]}}]})",
           R"({"choices":[{"delta":{"content":[]}}],"content":[]})",
           R"({"choices":[{"message":{"content":null},"logprobs":{"content":[]}}]})",
           R"({"choices":[{"message":{"content":[]}}],"choices":[]})",  // the last `choices` wins
       }) {
    const auto f = scan_answer(core::WireFormat::openai, body);
    ASSERT_TRUE(f) << body;
    EXPECT_FALSE(f->content_parts) << body;
  }
  EXPECT_FALSE(scan_answer(core::WireFormat::anthropic, R"({"content":[{"type":"text","text":"hi"}]})")->content_parts);
}

}  // namespace
}  // namespace switchyard::providers
