// OpenAI ⇄ Anthropic translation of requests, answers and streams.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/sse.h"
#include "providers/stream_translate.h"
#include "providers/translate.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

TEST(Translate, OpenAiRequestWithSystemImagesToolsAndToolResultsBecomesAnthropic) {
  const auto a = openai_request_to_anthropic(obj(R"({
    "model":"g","max_tokens":100,"stop":"END","temperature":0.2,
    "messages":[
      {"role":"system","content":"Be brief."},
      {"role":"user","content":[{"type":"text","text":"What is here?"},
                                {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},
      {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
         "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
      {"role":"tool","tool_call_id":"call_1","content":"sunny"},
      {"role":"user","content":"thanks"}],
    "tools":[{"type":"function","function":{"name":"get_weather","description":"w",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
    "tool_choice":"required"})"));
  EXPECT_EQ(a.at("system"), "Be brief.");
  EXPECT_EQ(a.at("max_tokens"), 100);
  EXPECT_EQ(a.at("stop_sequences").at(0), "END");
  const auto& m = a.at("messages").as_array();
  ASSERT_EQ(m.size(), 3u);  // user, assistant, user (tool result and "thanks" merged)
  EXPECT_EQ(m[0].at("content").at(1).at("source").at("media_type"), "image/png");
  EXPECT_EQ(m[0].at("content").at(1).at("source").at("data"), "AAAA");
  EXPECT_EQ(m[1].at("content").at(0).at("type"), "tool_use");
  EXPECT_EQ(m[1].at("content").at(0).at("input").at("city"), "Paris");
  EXPECT_EQ(m[2].at("content").at(0).at("type"), "tool_result");
  EXPECT_EQ(m[2].at("content").at(0).at("tool_use_id"), "call_1");
  EXPECT_EQ(m[2].at("content").at(1).at("text"), "thanks");
  EXPECT_EQ(a.at("tools").at(0).at("input_schema").at("type"), "object");
  EXPECT_EQ(a.at("tool_choice").at("type"), "any");
}

TEST(Translate, AnthropicRequestWithToolUseAndResultsBecomesOpenAi) {
  const auto o = anthropic_request_to_openai(obj(R"({
    "model":"g","max_tokens":50,"system":[{"type":"text","text":"Be brief."}],
    "messages":[
      {"role":"user","content":"weather?"},
      {"role":"assistant","content":[{"type":"text","text":"Checking."},
         {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}],
    "tools":[{"name":"get_weather","input_schema":{"type":"object"}}],
    "tool_choice":{"type":"tool","name":"get_weather"},"stream":true})"));
  const auto& m = o.at("messages").as_array();
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].at("role"), "system");
  EXPECT_EQ(m[2].at("tool_calls").at(0).at("function").at("arguments"), R"({"city":"Paris"})");
  EXPECT_EQ(m[2].at("content"), "Checking.");
  EXPECT_EQ(m[3].at("role"), "tool");
  EXPECT_EQ(m[3].at("tool_call_id"), "toolu_1");
  EXPECT_EQ(o.at("tools").at(0).at("function").at("parameters").at("type"), "object");
  EXPECT_EQ(o.at("tool_choice").at("function").at("name"), "get_weather");
  EXPECT_EQ(o.at("stream_options").at("include_usage"), true);
}

TEST(Translate, AnswersCarryToolCallsStopReasonsAndCachedUsage) {
  const auto openai = anthropic_response_to_openai(obj(R"({"id":"msg_1","model":"c","stop_reason":"tool_use",
    "content":[{"type":"tool_use","id":"toolu_1","name":"f","input":{"x":1}}],
    "usage":{"input_tokens":10,"cache_read_input_tokens":90,"output_tokens":5}})"));
  EXPECT_EQ(openai.at("choices").at(0).at("finish_reason"), "tool_calls");
  EXPECT_TRUE(openai.at("choices").at(0).at("message").at("content").is_null());
  EXPECT_EQ(openai.at("usage").at("prompt_tokens"), 100);
  EXPECT_EQ(openai.at("usage").at("prompt_tokens_details").at("cached_tokens"), 90);
  const auto anthropic = openai_response_to_anthropic(obj(R"({"id":"c1","model":"g","choices":[{"index":0,
    "message":{"role":"assistant","content":"hi"},"finish_reason":"length"}],
    "usage":{"prompt_tokens":100,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":40}}})"));
  EXPECT_EQ(anthropic.at("stop_reason"), "max_tokens");
  EXPECT_EQ(anthropic.at("content").at(0).at("text"), "hi");
  EXPECT_EQ(anthropic.at("usage").at("input_tokens"), 60);
  EXPECT_EQ(anthropic.at("usage").at("cache_read_input_tokens"), 40);
}

std::vector<http::SseEvent> run(StreamTranslator& t, std::string_view upstream, bool& content_seen) {
  http::SseParser in;
  in.feed(upstream);
  std::string out;
  while (auto e = in.next()) {
    TranslatedChunk c;
    t.on_event(*e, c);
    out += c.bytes;
    content_seen = content_seen || c.content;
  }
  TranslatedChunk end;
  t.on_end(end);
  out += end.bytes;
  http::SseParser parsed;
  parsed.feed(out);
  std::vector<http::SseEvent> events;
  while (auto e = parsed.next()) events.push_back(*e);
  return events;
}

TEST(StreamTranslate, AnthropicToolStreamBecomesOpenAiChunksWithReassemblableArguments) {
  auto t = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::openai, true);
  bool content = false;
  const auto events = run(*t, R"(event: message_start
data: {"type":"message_start","message":{"id":"m1","model":"c","usage":{"input_tokens":12}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"ci"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"ty\":\"Paris\"}"}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

event: message_stop
data: {"type":"message_stop"}

)", content);
  EXPECT_TRUE(content);
  ASSERT_GE(events.size(), 5u);
  EXPECT_EQ(events.back().data, "[DONE]");
  std::string args, finish;
  for (const auto& e : events) {
    if (e.data == "[DONE]") continue;
    const auto c = json::parse(e.data).as_object();
    for (const auto& ch : c.at("choices").as_array()) {
      if (const auto* calls = ch.at("delta").as_object().if_contains("tool_calls"))
        args += calls->at(0).at("function").at("arguments").as_string();
      if (ch.at("finish_reason").is_string()) finish = ch.at("finish_reason").as_string();
    }
  }
  EXPECT_EQ(args, R"({"city":"Paris"})");
  EXPECT_EQ(finish, "tool_calls");
  EXPECT_EQ(t->usage().input_tokens, 12);
  EXPECT_EQ(t->usage().output_tokens, 9);
}

TEST(StreamTranslate, OpenAiTextStreamBecomesAnthropicEventsInOrder) {
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  bool content = false;
  const auto events = run(*t, R"(data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

data: {"id":"c1","model":"g","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}

data: [DONE]

)", content);
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e.event);
  EXPECT_EQ(types, (std::vector<std::string>{"message_start", "content_block_start", "content_block_delta",
                                             "content_block_delta", "content_block_stop", "message_delta", "message_stop"}));
  EXPECT_EQ(json::parse(events[5].data).at("usage").at("output_tokens"), 2);
  EXPECT_EQ(json::parse(events[5].data).at("delta").at("stop_reason"), "end_turn");
}

// Structured outputs' refusal has no Anthropic field: whole or streamed, it is the answer's text.
TEST(Translate, OpenAiRefusalReachesAnAnthropicClientAsText) {
  const auto m = openai_response_to_anthropic(json::parse(
      R"({"id":"c","model":"g","choices":[{"index":0,"message":{"role":"assistant","refusal":"I'm sorry, I cannot assist with that request."},"finish_reason":"stop"}]})")
                                                  .as_object());
  ASSERT_EQ(m.at("content").as_array().size(), 1u);
  EXPECT_EQ(m.at("content").at(0).at("text"), "I'm sorry, I cannot assist with that request.");
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  bool content = false;
  const auto events = run(*t, R"(data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"role":"assistant","refusal":""},"finish_reason":null}]}

data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"refusal":"No."},"finish_reason":"stop"}]}

data: [DONE]

)", content);
  EXPECT_TRUE(content);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(json::parse(events[2].data).at("delta").at("text"), "No.");
}

// Moonshot (Kimi) streams its usage inside the last choice, next to finish_reason.
TEST(StreamTranslate, UsageInsideTheChoiceIsRead) {
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  bool content = false;
  run(*t, R"(data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}

data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{},"finish_reason":"length","usage":{"prompt_tokens":18,"completion_tokens":50,"prompt_tokens_details":{"cached_tokens":18}}}]}

data: [DONE]

)", content);
  EXPECT_EQ(t->usage().input_tokens, 18);
  EXPECT_EQ(t->usage().output_tokens, 50);
  EXPECT_EQ(t->usage().cached_tokens, 18);
}

// Databricks (Claude reasoning) and Mistral (magistral) answer content as a list of parts.
TEST(Translate, ContentPartsBecomeTextAndReasoning) {
  auto databricks = json::parse(R"({"choices":[{"index":0,"message":{"role":"assistant","content":[
      {"type":"reasoning","summary":[{"type":"summary_text","text":"Think.","signature":"sig"},{"type":"summary_encrypted_text","data":"enc"}]},
      {"type":"text","text":"Blue"},{"type":"text","text":" sky."}]},"finish_reason":"stop"}]})").as_object();
  normalize_answer_content_parts(databricks);
  const auto& m = databricks.at("choices").at(0).at("message");
  EXPECT_EQ(m.at("content"), "Blue sky.");
  EXPECT_EQ(m.at("reasoning_content"), "Think.");
  EXPECT_EQ(m.at("thinking_blocks"), json::parse(R"([{"type":"thinking","thinking":"Think.","signature":"sig"},{"type":"redacted_thinking","data":"enc"}])"));
  auto mistral = json::parse(R"({"choices":[{"message":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"Hmm"}]},{"type":"text","text":"42"}]}}]})").as_object();
  normalize_answer_content_parts(mistral);
  EXPECT_EQ(mistral.at("choices").at(0).at("message").at("content"), "42");
  EXPECT_EQ(mistral.at("choices").at(0).at("message").at("reasoning_content"), "Hmm");
}

// A server tool (web search) runs at Anthropic: its streamed input is not an OpenAI tool call.
TEST(StreamTranslate, ServerToolInputIsNotAToolCall) {
  auto t = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::openai, false);
  bool content = false;
  const auto events = run(*t, R"(event: message_start
data: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":5}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"x\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Found."}}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}

event: message_stop
data: {"type":"message_stop"}

)", content);
  for (const auto& e : events) EXPECT_EQ(e.data.find("tool_calls"), std::string::npos) << e.data;
}

// Databricks' Claude streams delta.content as a list of parts; an OpenAI client of a Databricks
// deployment gets them as the pivot's reasoning_content and text, other streams are not touched.
TEST(StreamTranslate, DatabricksContentPartsAreReshapedForOpenAiClients) {
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::openai, false, true);
  bool content = false;
  const auto events = run(*t, R"(data: {"choices":[{"index":0,"delta":{"content":[{"type":"reasoning","summary":[{"type":"summary_text","text":"Hm","signature":"s"}]}]}}]}

data: {"choices":[{"index":0,"delta":{"content":"Blue"},"finish_reason":"stop"}]}

data: [DONE]

)", content);
  ASSERT_EQ(events.size(), 3u);
  const auto first = json::parse(events[0].data);
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("reasoning_content"), "Hm");
  EXPECT_EQ(first.at("choices").at(0).at("delta").at("content"), "");
  EXPECT_EQ(json::parse(events[1].data).at("choices").at(0).at("delta").at("content"), "Blue");
  EXPECT_TRUE(content);
}

// OpenRouter, Groq, Ollama and vLLM >= 0.10 name the reasoning `reasoning`, not `reasoning_content`.
TEST(Translate, ReasoningFieldBecomesAnthropicThinking) {
  const auto m = openai_response_to_anthropic(json::parse(
      R"({"id":"c","model":"g","choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","reasoning":"Capital?"},"finish_reason":"stop"}]})")
                                                  .as_object());
  ASSERT_EQ(m.at("content").as_array().size(), 2u);
  EXPECT_EQ(m.at("content").at(0).at("thinking"), "Capital?");
  auto t = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  bool content = false;
  const auto events = run(*t, R"(data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Hm"},"finish_reason":null}]}

data: {"id":"c1","model":"g","choices":[{"index":0,"delta":{"content":"Paris.","reasoning":null},"finish_reason":"stop"}]}

data: [DONE]

)", content);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(json::parse(events[2].data).at("delta").at("thinking"), "Hm");
}

TEST(StreamTranslate, ErrorEventsAreReportedNotForwarded) {
  auto t = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::anthropic, false);
  http::SseEvent e{"error", R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"};
  TranslatedChunk c;
  t->on_event(e, c);
  ASSERT_TRUE(c.error_body);
  EXPECT_TRUE(c.bytes.empty());
  EXPECT_FALSE(c.content);
}

TEST(StreamTranslate, ErrorEventForTheClientIsWellFormedInItsFormat) {
  http::SseParser p;
  p.feed(stream_error_event(core::WireFormat::anthropic, errors::ErrorClass::overloaded, "busy"));
  auto e = p.next();
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, "error");
  EXPECT_EQ(json::parse(e->data).at("error").at("type"), "overloaded_error");
  http::SseParser q;
  q.feed(stream_error_event(core::WireFormat::openai, errors::ErrorClass::connection, "dropped"));
  auto o = q.next();
  ASSERT_TRUE(o);
  EXPECT_EQ(json::parse(o->data).at("error").at("code"), "connection");
}

}  // namespace
}  // namespace switchyard::providers
