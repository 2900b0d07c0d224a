// The Responses ⇄ chat codec's reasoning, without sockets: chat thinking (reasoning_content and
// LiteLLM-shaped thinking_blocks chunks) becomes one reasoning item per burst whose
// encrypted_content carries the blocks whole (signature joined to its text, redacted kept); a
// reasoning item of ours sent back puts its blocks on the assistant message of the same turn only.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/sse.h"
#include "providers/responses_codec.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;

json::object parse(std::string_view text) { return json::parse(text).as_object(); }

json::array carried_blocks(const json::value& item) {
  const std::string carried(item.at("encrypted_content").as_string());
  EXPECT_TRUE(carried.starts_with(kThinkingCarrier)) << carried;
  return json::parse(carried.substr(kThinkingCarrier.size())).as_array();
}

TEST(ResponsesReasoningCodec, StreamedThinkingChunksBecomeOneItemWithItsSignedBlocks) {
  const auto request = parse(R"({"model":"g","input":"hi","reasoning":{"effort":"low"}})");
  auto t = make_responses_stream_translator(core::WireFormat::openai, {&request, "resp_abc", "g", 7});
  const char* chunks[] = {
      R"({"choices":[{"delta":{"role":"assistant","content":""}}]})",
      R"({"choices":[{"delta":{"reasoning_content":"Six ","thinking_blocks":[{"type":"thinking","thinking":"Six "}]}}]})",
      R"({"choices":[{"delta":{"reasoning_content":"sevens","thinking_blocks":[{"type":"thinking","thinking":"sevens"}]}}]})",
      R"({"choices":[{"delta":{"thinking_blocks":[{"type":"thinking","thinking":"","signature":"sig-1"}]}}]})",
      R"({"choices":[{"delta":{"thinking_blocks":[{"type":"redacted_thinking","data":"opaque"}]}}]})",
      R"({"choices":[{"delta":{"content":"42"},"finish_reason":"stop"}]})",
      "[DONE]"};
  for (const auto* c : chunks) {
    TranslatedChunk out;
    t->on_event({"", c}, out);
  }
  const auto* response = t->final_response();
  ASSERT_NE(response, nullptr);
  const auto& output = response->at("output").as_array();
  ASSERT_EQ(output.size(), 2u) << json::serialize(output);
  EXPECT_EQ(output[0].at("id"), "rs_abc");
  EXPECT_EQ(output[0].at("summary"), json::parse(R"([{"type":"summary_text","text":"Six sevens"}])"));
  EXPECT_EQ(carried_blocks(output[0]), json::parse(R"([{"type":"thinking","thinking":"Six sevens","signature":"sig-1"},
                                                      {"type":"redacted_thinking","data":"opaque"}])"));
  EXPECT_EQ(output[1].at("content").at(0).at("text"), "42");
}

// A closing piece that carries the last text and the signature together: the text stays in the
// signed block (else Claude refuses the block's signature when it comes back).
TEST(ResponsesReasoningCodec, TextInTheSignaturesPieceStaysInTheSignedBlock) {
  const auto request = parse(R"({"model":"g","input":"hi","reasoning":{"effort":"low"}})");
  auto t = make_responses_stream_translator(core::WireFormat::openai, {&request, "resp_abc", "g", 7});
  const char* chunks[] = {
      R"({"choices":[{"delta":{"role":"assistant","content":""}}]})",
      R"({"choices":[{"delta":{"reasoning_content":"Six ","thinking_blocks":[{"type":"thinking","thinking":"Six "}]}}]})",
      R"({"choices":[{"delta":{"reasoning_content":"sevens","thinking_blocks":[{"type":"thinking","thinking":"sevens","signature":"sig-1"}]}}]})",
      R"({"choices":[{"delta":{"content":"42"},"finish_reason":"stop"}]})",
      "[DONE]"};
  for (const auto* c : chunks) {
    TranslatedChunk out;
    t->on_event({"", c}, out);
  }
  const auto* response = t->final_response();
  ASSERT_NE(response, nullptr);
  const auto& output = response->at("output").as_array();
  ASSERT_EQ(output.size(), 2u) << json::serialize(output);
  EXPECT_EQ(carried_blocks(output[0]), json::parse(R"([{"type":"thinking","thinking":"Six sevens","signature":"sig-1"}])"));
}

TEST(ResponsesReasoningCodec, WholeAnswerWithOnlyRedactedThinkingStillCarriesIt) {
  const auto request = parse(R"({"model":"g","input":"hi"})");
  const auto completion = parse(R"({"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"42",
      "thinking_blocks":[{"type":"redacted_thinking","data":"opaque"}]}}]})");
  const auto response = chat_response_to_responses(completion, {&request, "resp_x", "g", 1});
  const auto& output = response.at("output").as_array();
  ASSERT_EQ(output.size(), 2u) << json::serialize(output);
  EXPECT_EQ(output[0].at("summary").as_array().size(), 0u);
  EXPECT_EQ(carried_blocks(output[0]), json::parse(R"([{"type":"redacted_thinking","data":"opaque"}])"));
}

TEST(ResponsesReasoningCodec, CarriedThinkingGoesToTheAssistantMessageOfItsTurnOnly) {
  const std::string ours = std::string(kThinkingCarrier) + R"([{"type":"thinking","thinking":"t","signature":"s"}])";
  json::object request{{"model", "g"}};
  request["input"] = json::array{
      {{"role", "user"}, {"content", "q1"}},
      {{"type", "reasoning"}, {"summary", json::array{}}, {"encrypted_content", ours}},
      {{"type", "function_call"}, {"call_id", "c1"}, {"name", "f"}, {"arguments", "{}"}},
      {{"type", "function_call_output"}, {"call_id", "c1"}, {"output", "r"}},
      // a reasoning item with no answer after it (the next item is the user's): dropped
      {{"type", "reasoning"}, {"summary", json::array{}}, {"encrypted_content", ours}},
      {{"role", "user"}, {"content", "q2"}},
      {{"role", "assistant"}, {"content", "plain"}},
      // OpenAI's own encrypted reasoning: not ours, skipped
      {{"type", "reasoning"}, {"summary", json::array{}}, {"encrypted_content", "gAAAA-openai"}},
      {{"role", "assistant"}, {"content", "also plain"}}};
  auto converted = responses_request_to_chat(request);
  ASSERT_TRUE(std::holds_alternative<json::object>(converted)) << std::get<ResponsesRefusal>(converted).message;
  const auto& m = std::get<json::object>(converted).at("messages").as_array();
  ASSERT_EQ(m.size(), 6u) << json::serialize(m);
  EXPECT_EQ(m[1].at("thinking_blocks"), json::parse(R"([{"type":"thinking","thinking":"t","signature":"s"}])"));
  EXPECT_EQ(m[1].at("tool_calls").as_array().size(), 1u);
  EXPECT_FALSE(m[4].as_object().contains("thinking_blocks")) << json::serialize(m[4]);
  EXPECT_FALSE(m[5].as_object().contains("thinking_blocks")) << json::serialize(m[5]);
}

}  // namespace
}  // namespace switchyard::providers
