// OpenAI chat ⇄ Bedrock Converse: requests, answers, and ConverseStream event streams.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "providers/aws/eventstream.h"
#include "providers/native_dialect.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;
namespace es = aws::eventstream;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }
json::value val(std::string_view text) { return json::parse(text); }

TEST(BedrockRequest, SystemImagesToolsToolCallsAndInferenceConfigBecomeConverse) {
  const auto c = bedrock_dialect().request_from_openai(obj(R"({
    "model":"bedrock/x","stream":true,"max_completion_tokens":300,"temperature":0.2,"top_p":0.9,"stop":"END",
    "messages":[
      {"role":"system","content":"Be brief."},
      {"role":"developer","content":[{"type":"text","text":"Use metric units."}]},
      {"role":"user","content":[{"type":"text","text":"What is here?"},
                                {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}},
                                {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]},
      {"role":"assistant","content":null,"tool_calls":[
         {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
         {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},
      {"role":"tool","tool_call_id":"call_1","content":"sunny"},
      {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"noon"}]},
      {"role":"user","content":"thanks"}],
    "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
             {"type":"function","function":{"name":"get_time"}}],
    "tool_choice":"required"})"));
  EXPECT_FALSE(c.contains("model"));
  EXPECT_FALSE(c.contains("stream"));
  EXPECT_EQ(c.at("system"), val(R"([{"text":"Be brief."},{"text":"Use metric units."}])"));
  EXPECT_EQ(c.at("inferenceConfig"), val(R"({"maxTokens":300,"temperature":0.2,"topP":0.9,"stopSequences":["END"]})"));
  EXPECT_EQ(c.at("messages"), val(R"([
    {"role":"user","content":[{"text":"What is here?"},
                              {"image":{"format":"png","source":{"bytes":"iVBORw0K"}}},
                              {"text":"[image omitted: Bedrock cannot fetch image URLs (https://example.com/cat.jpg)]"}]},
    {"role":"assistant","content":[{"toolUse":{"toolUseId":"call_1","name":"get_weather","input":{"city":"Paris"}}},
                                   {"toolUse":{"toolUseId":"call_2","name":"get_time","input":{}}}]},
    {"role":"user","content":[{"toolResult":{"toolUseId":"call_1","content":[{"text":"sunny"}]}},
                              {"toolResult":{"toolUseId":"call_2","content":[{"text":"noon"}]}},
                              {"text":"thanks"}]}])"));
  EXPECT_EQ(c.at("toolConfig"), val(R"({"tools":[
      {"toolSpec":{"name":"get_weather","description":"Weather now",
                   "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}},
      {"toolSpec":{"name":"get_time","inputSchema":{"json":{"type":"object","properties":{}}}}}],
    "toolChoice":{"any":{}}})"));
}

TEST(BedrockRequest, ConsecutiveSameRoleMessagesMergeSoTurnsAlternate) {
  const auto c = bedrock_dialect().request_from_openai(obj(R"({"messages":[
    {"role":"user","content":"one"},{"role":"user","content":"two"},
    {"role":"assistant","content":"a"},{"role":"assistant","content":""},{"role":"assistant","content":"b"},
    {"role":"user","content":"three"}],"max_tokens":5,"stop":["x","y"]})"));
  EXPECT_EQ(c.at("messages"), val(R"([
    {"role":"user","content":[{"text":"one"},{"text":"two"}]},
    {"role":"assistant","content":[{"text":"a"},{"text":"b"}]},
    {"role":"user","content":[{"text":"three"}]}])"));
  EXPECT_EQ(c.at("inferenceConfig"), val(R"({"maxTokens":5,"stopSequences":["x","y"]})"));
  EXPECT_FALSE(c.contains("system"));
  EXPECT_FALSE(c.contains("toolConfig"));
}

TEST(BedrockRequest, ToolChoiceMapsToAutoAnyOrNamedToolAndNoneDropsTools) {
  const std::string tools = R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}])";
  auto choice = [&](std::string_view tool_choice, std::string_view messages = R"([{"role":"user","content":"hi"}])") {
    return bedrock_dialect().request_from_openai(
        obj("{\"messages\":" + std::string(messages) + "," + tools + ",\"tool_choice\":" + std::string(tool_choice) + "}"));
  };
  EXPECT_EQ(choice(R"("auto")").at("toolConfig").at("toolChoice"), val(R"({"auto":{}})"));
  EXPECT_EQ(choice(R"({"type":"function","function":{"name":"f"}})").at("toolConfig").at("toolChoice"),
            val(R"({"tool":{"name":"f"}})"));
  EXPECT_FALSE(choice(R"("none")").contains("toolConfig"));
  // With tool blocks in the history Converse insists on toolConfig: tools kept, no toolChoice.
  const auto with_history = choice(R"("none")", R"([{"role":"user","content":"hi"},
      {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
      {"role":"tool","tool_call_id":"c","content":"ok"}])");
  ASSERT_TRUE(with_history.contains("toolConfig"));
  EXPECT_FALSE(with_history.at("toolConfig").as_object().contains("toolChoice"));
}

TEST(BedrockRequest, OddInputNeverThrows) {
  for (const auto* body : {R"({})", R"({"messages":"x","tools":{},"stop":7,"temperature":"hot"})",
                           R"({"messages":[1,{"role":"user","content":[1,{"type":"image_url","image_url":5}]},
                               {"role":"assistant","tool_calls":[1,{"function":7}]},{"role":"tool"}]})",
                           R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":"data:image/bmp;base64,AA"}]}]})"}) {
    SCOPED_TRACE(body);
    EXPECT_NO_THROW(bedrock_dialect().request_from_openai(obj(body)));
  }
  const auto bmp = bedrock_dialect().request_from_openai(
      obj(R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":"data:image/bmp;base64,AA"}]}]})"));
  EXPECT_EQ(bmp.at("messages").at(0).at("content").at(0).at("text"),
            "[image omitted: Bedrock accepts only base64 png, jpeg, gif or webp images]");
}

json::object answer(std::string_view content, std::string_view stop_reason, std::string_view usage) {
  return obj(R"({"output":{"message":{"role":"assistant","content":)" + std::string(content) + R"(}},"stopReason":")" +
             std::string(stop_reason) + R"(","usage":)" + std::string(usage) + "}");
}

TEST(BedrockResponse, TextAnswerBecomesChatCompletionWithCachedUsage) {
  const auto r = bedrock_dialect().response_to_openai(
      answer(R"([{"text":"Hello "},{"text":"there"}])", "end_turn",
             R"({"inputTokens":10,"outputTokens":5,"totalTokens":35,"cacheReadInputTokens":20})"),
      "claude-bedrock");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->at("id").as_string().starts_with("chatcmpl-"));
  EXPECT_EQ(r->at("object"), "chat.completion");
  EXPECT_GT(r->at("created").as_int64(), 1'700'000'000);
  EXPECT_EQ(r->at("model"), "claude-bedrock");
  const auto& choice = r->at("choices").at(0).as_object();
  EXPECT_EQ(choice.at("message"), val(R"({"role":"assistant","content":"Hello there"})"));
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  EXPECT_EQ(r->at("usage"), val(R"({"prompt_tokens":30,"completion_tokens":5,"total_tokens":35,
                                    "prompt_tokens_details":{"cached_tokens":20},
                                    "cache_read_input_tokens":20,"cache_creation_input_tokens":0})"));
}

TEST(BedrockResponse, ToolUseBecomesToolCallsWithSerializedArguments) {
  const auto r = bedrock_dialect().response_to_openai(
      answer(R"([{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}])", "tool_use",
             R"({"inputTokens":3,"outputTokens":4,"totalTokens":7})"),
      "m");
  ASSERT_TRUE(r);
  const auto& choice = r->at("choices").at(0).as_object();
  EXPECT_EQ(choice.at("message"), val(R"({"role":"assistant","content":null,"tool_calls":[
      {"id":"tooluse_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]})"));
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  EXPECT_EQ(r->at("usage").at("prompt_tokens_details").at("cached_tokens"), 0);
}

TEST(BedrockResponse, EachStopReasonMapsToItsFinishReason) {
  for (const auto& [stop, finish] : std::vector<std::pair<std::string, std::string>>{
           {"end_turn", "stop"},
           {"stop_sequence", "stop"},
           {"max_tokens", "length"},
           {"tool_use", "tool_calls"},
           {"guardrail_intervened", "content_filter"},
           {"content_filtered", "content_filter"}}) {
    const auto r = bedrock_dialect().response_to_openai(answer(R"([{"text":"x"}])", stop, "{}"), "m");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at("choices").at(0).at("finish_reason"), json::value(finish)) << stop;
  }
}

TEST(BedrockResponse, NotAnAnswerWithoutOutputMessage) {
  EXPECT_FALSE(bedrock_dialect().response_to_openai(obj(R"({"stopReason":"end_turn"})"), "m"));
  EXPECT_FALSE(bedrock_dialect().response_to_openai(obj(R"({"output":{"message":"x"}})"), "m"));
  EXPECT_FALSE(bedrock_dialect().response_to_openai(obj(R"({"message":"The security token is invalid"})"), "m"));
}

// ---- ConverseStream ----------------------------------------------------------------------------

std::string event(std::string_view type, std::string_view payload) {
  return es::encode({{":event-type", std::string(type)},
                     {":content-type", std::string("application/json")},
                     {":message-type", std::string("event")}},
                    payload);
}

std::string exception(std::string_view type, std::string_view message) {
  return es::encode({{":exception-type", std::string(type)},
                     {":content-type", std::string("application/json")},
                     {":message-type", std::string("exception")}},
                    R"({"message":")" + std::string(message) + R"("})");
}

const std::string kUsage =
    R"({"usage":{"inputTokens":12,"outputTokens":6,"totalTokens":18},"metrics":{"latencyMs":321}})";

std::string text_stream(bool with_metadata = true) {
  return event("messageStart", R"({"role":"assistant"})") +
         event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hel"}})") +
         event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"lo"}})") +
         event("contentBlockStop", R"({"contentBlockIndex":0})") +
         event("messageStop", R"({"stopReason":"end_turn"})") + (with_metadata ? event("metadata", kUsage) : "");
}

struct Decoded {
  std::vector<std::string> data;  // each event's data
  std::optional<std::string> error;
};

Decoded decode(std::string_view wire, bool include_usage, std::size_t piece = std::string::npos) {
  auto d = bedrock_dialect().stream_decoder("claude-bedrock", include_usage);
  Decoded out;
  for (std::size_t at = 0; at < wire.size(); at += piece) {
    d->feed(wire.substr(at, piece));
    while (auto e = d->next()) out.data.push_back(e->data);
  }
  d->end_of_body();
  while (auto e = d->next()) out.data.push_back(e->data);
  out.error = d->error();
  return out;
}

json::object chunk(const Decoded& d, std::size_t i) { return obj(d.data.at(i)); }
json::value delta(const Decoded& d, std::size_t i) { return chunk(d, i).at("choices").at(0).at("delta"); }

TEST(BedrockStream, TextEventsBecomeChunksThenUsageThenDone) {
  const auto d = decode(text_stream(), true);
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.data.size(), 6u);
  EXPECT_EQ(delta(d, 0), val(R"({"role":"assistant","content":""})"));
  EXPECT_EQ(delta(d, 1), val(R"({"content":"Hel"})"));
  EXPECT_EQ(delta(d, 2), val(R"({"content":"lo"})"));
  EXPECT_EQ(chunk(d, 3).at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(chunk(d, 4).at("choices"), json::array{});
  EXPECT_EQ(chunk(d, 4).at("usage"), val(R"({"prompt_tokens":12,"completion_tokens":6,"total_tokens":18,
                                             "prompt_tokens_details":{"cached_tokens":0},
                                             "cache_read_input_tokens":0,"cache_creation_input_tokens":0})"));
  EXPECT_EQ(d.data.back(), "[DONE]");
  const auto first = chunk(d, 0);
  EXPECT_TRUE(first.at("id").as_string().starts_with("chatcmpl-"));
  for (std::size_t i = 0; i + 1 < d.data.size(); ++i) {
    const auto c = chunk(d, i);
    EXPECT_EQ(c.at("id"), first.at("id"));
    EXPECT_EQ(c.at("object"), "chat.completion.chunk");
    EXPECT_EQ(c.at("model"), "claude-bedrock");
    EXPECT_EQ(c.at("created"), first.at("created"));
  }
}

TEST(BedrockStream, NoUsageChunkUnlessAsked) {
  const auto d = decode(text_stream(), false);
  ASSERT_EQ(d.data.size(), 5u);
  EXPECT_EQ(chunk(d, 3).at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(d.data.back(), "[DONE]");
}

TEST(BedrockStream, CompleteAtEndOfBodyWhenMetadataNeverCame) {
  const auto d = decode(text_stream(/*with_metadata=*/false), true);
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.data.size(), 5u);  // no usage chunk: the usage is unknown
  EXPECT_EQ(d.data.back(), "[DONE]");
}

TEST(BedrockStream, BodyEndingBeforeMessageStopIsIncomplete) {
  const auto wire = event("messageStart", R"({"role":"assistant"})") +
                    event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Hel"}})");
  const auto d = decode(wire, true);
  EXPECT_FALSE(d.error);
  ASSERT_EQ(d.data.size(), 2u);
  EXPECT_NE(d.data.back(), "[DONE]");
}

TEST(BedrockStream, ToolUseStartAndPartialInputBecomeIndexedToolCallDeltas) {
  const auto wire =
      event("messageStart", R"({"role":"assistant"})") +
      event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"Checking."}})") +
      event("contentBlockStop", R"({"contentBlockIndex":0})") +
      event("contentBlockStart", R"({"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_a","name":"get_weather"}}})") +
      event("contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"city\":"}}})") +
      event("contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"Paris\"}"}}})") +
      event("contentBlockStop", R"({"contentBlockIndex":1})") +
      event("contentBlockStart", R"({"contentBlockIndex":2,"start":{"toolUse":{"toolUseId":"tooluse_b","name":"get_time"}}})") +
      event("contentBlockDelta", R"({"contentBlockIndex":2,"delta":{"toolUse":{"input":"{}"}}})") +
      event("messageStop", R"({"stopReason":"tool_use"})") + event("metadata", kUsage);
  const auto d = decode(wire, false);
  ASSERT_FALSE(d.error);
  ASSERT_EQ(d.data.size(), 9u);
  EXPECT_EQ(delta(d, 1), val(R"({"content":"Checking."})"));
  EXPECT_EQ(delta(d, 2), val(R"({"tool_calls":[{"id":"tooluse_a","type":"function",
                                                "function":{"name":"get_weather","arguments":""},"index":0}]})"));
  EXPECT_EQ(delta(d, 3), val(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]})"));
  EXPECT_EQ(delta(d, 4), val(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]})"));
  EXPECT_EQ(delta(d, 5).at("tool_calls").at(0).at("index"), 1);
  EXPECT_EQ(delta(d, 5).at("tool_calls").at(0).at("id"), "tooluse_b");
  EXPECT_EQ(delta(d, 6), val(R"({"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]})"));
  EXPECT_EQ(chunk(d, 7).at("choices").at(0).at("finish_reason"), "tool_calls");
  EXPECT_EQ(d.data.back(), "[DONE]");
}

TEST(BedrockStream, FedByteByByteGivesTheSameEvents) {
  const auto whole = decode(text_stream(), true);
  const auto bytewise = decode(text_stream(), true, 1);
  ASSERT_EQ(whole.data.size(), bytewise.data.size());
  for (std::size_t i = 0; i + 1 < whole.data.size(); ++i) {
    auto a = chunk(whole, i), b = chunk(bytewise, i);
    a.erase("id");
    b.erase("id");
    a.erase("created");
    b.erase("created");
    EXPECT_EQ(a, b) << i;
  }
  EXPECT_EQ(bytewise.data.back(), "[DONE]");
}

TEST(BedrockStream, ExceptionMessageBecomesBedrockErrorBody) {
  for (const auto& [stream_type, type] : std::vector<std::pair<std::string, std::string>>{
           {"throttlingException", "ThrottlingException"},
           {"modelStreamErrorException", "ModelStreamErrorException"},
           {"validationException", "ValidationException"},
           {"serviceUnavailableException", "ServiceUnavailableException"},
           {"internalServerException", "InternalServerException"}}) {
    const auto wire = event("messageStart", R"({"role":"assistant"})") + exception(stream_type, "Too many tokens") +
                      event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"text":"never"}})");
    const auto d = decode(wire, true);
    ASSERT_TRUE(d.error) << stream_type;
    EXPECT_EQ(val(*d.error), val(R"({"__type":")" + type + R"(","message":"Too many tokens"})"));
    ASSERT_EQ(d.data.size(), 1u);  // the role chunk before it; nothing after
  }
}

TEST(BedrockStream, CorruptFramingBecomesInternalServerException) {
  auto wire = text_stream();
  wire[wire.size() / 2] ^= 0x40;
  for (const std::size_t piece : {std::string::npos, std::size_t{1}}) {
    const auto d = decode(wire, true, piece);
    ASSERT_TRUE(d.error);
    const auto e = obj(*d.error);
    EXPECT_EQ(e.at("__type"), "InternalServerException");
    EXPECT_TRUE(e.at("message").as_string().starts_with("event stream: ")) << e;
    EXPECT_TRUE(d.data.empty() || d.data.back() != "[DONE]");
  }
}

TEST(BedrockStream, UnparseableEventPayloadIsAnError) {
  const auto d = decode(event("contentBlockDelta", "{not json"), true);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(obj(*d.error).at("message"), "event stream: unparseable contentBlockDelta payload");
}

}  // namespace
}  // namespace switchyard::providers
