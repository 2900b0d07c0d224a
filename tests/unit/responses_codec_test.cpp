// The Responses API ⇄ chat codec and the embeddings codec, without sockets: request items to chat
// messages, refusals by name, the stream event sequence (text then a tool call), incomplete
// answers, Titan's one-text-per-call bodies, base64 as OpenAI encodes it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/sse.h"
#include "providers/embeddings_codec.h"
#include "providers/responses_codec.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;

json::object parse(std::string_view text) { return json::parse(text).as_object(); }

TEST(ResponsesCodec, ItemsBecomeChatMessages) {
  const auto request = parse(R"({"model":"g","instructions":"Be brief.","input":[
    {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev"}]},
    {"role":"user","content":[{"type":"input_text","text":"look"},{"type":"input_image","image_url":"data:image/png;base64,AA"}]},
    {"type":"reasoning","summary":[],"encrypted_content":"xyz"},
    {"type":"function_call","call_id":"c1","name":"f","arguments":"{\"a\":1}"},
    {"type":"function_call","call_id":"c2","name":"g","arguments":"{}"},
    {"type":"function_call_output","call_id":"c1","output":"one"},
    {"type":"function_call_output","call_id":"c2","output":[{"type":"input_text","text":"two"}]}],
    "tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":true},{"type":"web_search"}],
    "tool_choice":{"type":"function","name":"f"},"max_output_tokens":50,"stream":true})");
  auto converted = responses_request_to_chat(request);
  ASSERT_TRUE(std::holds_alternative<json::object>(converted)) << std::get<ResponsesRefusal>(converted).message;
  const auto& chat = std::get<json::object>(converted);
  const auto& m = chat.at("messages").as_array();
  ASSERT_EQ(m.size(), 6u) << json::serialize(m);
  EXPECT_EQ(m[0], json::parse(R"({"role":"system","content":"Be brief."})"));
  EXPECT_EQ(m[1].at("role"), "system");  // developer
  EXPECT_EQ(m[2].at("content").at(1).at("image_url").at("url"), "data:image/png;base64,AA");
  EXPECT_EQ(m[3].at("tool_calls").as_array().size(), 2u);  // consecutive calls: one assistant turn
  EXPECT_EQ(m[3].at("tool_calls").at(1).at("function").at("name"), "g");
  EXPECT_EQ(m[4], json::parse(R"({"role":"tool","tool_call_id":"c1","content":"one"})"));
  EXPECT_EQ(m[5].at("content"), "two");
  EXPECT_EQ(chat.at("tools").as_array().size(), 1u);  // web_search is offered, not carried
  EXPECT_EQ(offered_tools_not_carried(request), std::vector<std::string>{"web_search"});
  EXPECT_EQ(chat.at("tool_choice"), json::parse(R"({"type":"function","function":{"name":"f"}})"));
  EXPECT_EQ(chat.at("max_tokens"), 50);
  EXPECT_EQ(chat.at("stream_options").at("include_usage"), true);
}

TEST(ResponsesCodec, WhatChatCannotCarryIsRefusedByName) {
  const auto refused = [](std::string_view body) {
    auto r = responses_request_to_chat(parse(body));
    return std::holds_alternative<ResponsesRefusal>(r) ? std::get<ResponsesRefusal>(r).message : std::string();
  };
  EXPECT_NE(refused(R"({"input":"x","background":true})").find("'background'"), std::string::npos);
  EXPECT_NE(refused(R"({"input":"x","tools":[{"type":"web_search"}],"tool_choice":{"type":"web_search"}})").find("web_search"),
            std::string::npos);
  EXPECT_NE(refused(R"({"input":[{"role":"user","content":[{"type":"input_image","file_id":"f"}]}]})").find("file_id"),
            std::string::npos);
  EXPECT_NE(refused(R"({"input":[{"type":"item_reference","id":"x"}]})").find("item_reference"), std::string::npos);
  EXPECT_NE(refused(R"({"input":"x","truncation":"auto"})").find("truncation"), std::string::npos);
  EXPECT_NE(refused(R"({"input":[{"type":"function_call_output","call_id":"c","output":[{"type":"input_image","image_url":"u"}]}]})")
                .find("input_image"),
            std::string::npos);
  EXPECT_EQ(refused(R"({"input":"x","background":false,"truncation":"disabled","store":false})"), "");
}

std::vector<json::object> events_of(const std::string& sse) {
  http::SseParser parser;
  parser.feed(sse);
  std::vector<json::object> out;
  while (auto e = parser.next()) out.push_back(parse(e->data));
  return out;
}

TEST(ResponsesCodec, ChatChunksBecomeTheResponsesEventSequence) {
  const auto request = parse(R"({"model":"g","input":"hi"})");
  auto t = make_responses_stream_translator(core::WireFormat::openai, {&request, "resp_abc", "g", 7});
  const char* chunks[] = {
      R"({"choices":[{"delta":{"role":"assistant","content":""}}]})",
      R"({"choices":[{"delta":{"content":"Hel"}}]})",
      R"({"choices":[{"delta":{"content":"lo"}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{\"a\""}}]}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]},"finish_reason":"tool_calls"}]})",
      R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}})",
      "[DONE]"};
  std::string sse;
  bool content = false;
  for (const auto* c : chunks) {
    TranslatedChunk out;
    t->on_event({"", c}, out);
    sse += out.bytes;
    content = content || out.content;
  }
  EXPECT_TRUE(content);
  const auto events = events_of(sse);
  std::vector<std::string> types;
  for (std::size_t i = 0; i < events.size(); ++i) {
    types.emplace_back(events[i].at("type").as_string());
    EXPECT_EQ(events[i].at("sequence_number"), static_cast<std::int64_t>(i));
  }
  const std::vector<std::string> expected{
      "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
      "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
      "response.content_part.done", "response.output_item.done", "response.output_item.added",
      "response.function_call_arguments.delta", "response.function_call_arguments.delta",
      "response.function_call_arguments.done", "response.output_item.done", "response.completed"};
  EXPECT_EQ(types, expected);
  const auto* final_response = t->final_response();
  ASSERT_NE(final_response, nullptr);
  EXPECT_EQ(final_response->at("id"), "resp_abc");
  EXPECT_EQ(final_response->at("output").at(0).at("content").at(0).at("text"), "Hello");
  EXPECT_EQ(final_response->at("output").at(1).at("arguments"), R"({"a":1})");
  EXPECT_EQ(final_response->at("output").at(1).at("call_id"), "call_1");
  EXPECT_EQ(final_response->at("usage").at("total_tokens"), 7);
  EXPECT_EQ(t->usage().output_tokens, 4);
}

// Text after a tool call (Anthropic: text, server tool, text) is a second message item: its own id
// and only its own text (it used to reuse the first item's id and repeat its text).
TEST(ResponsesCodec, TextAfterAToolCallIsASecondMessageItem) {
  const auto request = parse(R"({"model":"g","input":"hi"})");
  auto t = make_responses_stream_translator(core::WireFormat::openai, {&request, "resp_abc", "g", 7});
  const char* chunks[] = {
      R"({"choices":[{"delta":{"content":"Let me look."}}]})",
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}}]})",
      R"({"choices":[{"delta":{"content":" Found it."}}]})",
      R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", "[DONE]"};
  for (const auto* c : chunks) {
    TranslatedChunk out;
    t->on_event({"", c}, out);
  }
  const auto* r = t->final_response();
  ASSERT_NE(r, nullptr);
  const auto& output = r->at("output").as_array();
  ASSERT_EQ(output.size(), 3u);
  EXPECT_EQ(output[0].at("content").at(0).at("text"), "Let me look.");
  EXPECT_EQ(output[2].at("content").at(0).at("text"), " Found it.");
  EXPECT_NE(output[0].at("id"), output[2].at("id"));
}

// Databricks' Claude streams delta.content as a list of parts: text and reasoning both arrive.
TEST(ResponsesCodec, ContentPartDeltasBecomeText) {
  const auto request = parse(R"({"model":"g","input":"hi"})");
  auto t = make_responses_stream_translator(core::WireFormat::openai, {&request, "resp_abc", "g", 7});
  const char* chunks[] = {
      R"({"choices":[{"delta":{"content":[{"type":"reasoning","summary":[{"type":"summary_text","text":"Hm","signature":null}]}]}}]})",
      R"({"choices":[{"delta":{"content":[{"type":"text","text":"Blue"}]}}]})",
      R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", "[DONE]"};
  for (const auto* c : chunks) {
    TranslatedChunk out;
    t->on_event({"", c}, out);
  }
  ASSERT_NE(t->final_response(), nullptr);
  std::string text;
  for (const auto& item : t->final_response()->at("output").as_array())
    if (item.at("type") == "message") text += std::string(item.at("content").at(0).at("text").as_string());
  EXPECT_EQ(text, "Blue") << json::serialize(*t->final_response());
}

TEST(ResponsesCodec, StructuredOutputAsAForcedToolComesBackAsText) {
  auto chat = parse(R"({"messages":[],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object","required":["a"]}}}})");
  ASSERT_TRUE(response_format_as_forced_tool(chat));
  EXPECT_FALSE(chat.contains("response_format"));
  EXPECT_EQ(chat.at("tools").at(0).at("function").at("parameters").at("required").at(0), "a");
  auto with_tools = parse(R"({"tools":[{"type":"function","function":{"name":"f"}}],"response_format":{"type":"json_object"}})");
  EXPECT_FALSE(response_format_as_forced_tool(with_tools));
  const auto request = parse(R"({"input":"hi"})");
  const auto r = chat_response_to_responses(
      parse(R"({"choices":[{"message":{"content":null,"tool_calls":[{"id":"c","function":{"name":"switchyard_json_output","arguments":"{\"a\":1}"}}]},"finish_reason":"tool_calls"}]})"),
      {&request, "resp_x", "g", 0});
  ASSERT_EQ(r.at("output").as_array().size(), 1u);
  EXPECT_EQ(r.at("output").at(0).at("content").at(0).at("text"), R"({"a":1})");
}

TEST(ResponsesCodec, LengthFinishIsAnIncompleteResponse) {
  const auto request = parse(R"({"input":"hi"})");
  const auto r = chat_response_to_responses(
      parse(R"({"choices":[{"message":{"content":"cut"},"finish_reason":"length"}],"usage":{"prompt_tokens":1,"completion_tokens":2}})"),
      {&request, "resp_x", "g", 0});
  EXPECT_EQ(r.at("status"), "incomplete");
  EXPECT_EQ(r.at("incomplete_details").at("reason"), "max_output_tokens");
  EXPECT_EQ(r.at("output").at(0).at("id"), "msg_x");
}

TEST(EmbeddingsCodec, TitanEmbedsOneTextPerCallAndBase64IsLittleEndianFloat32) {
  auto planned = embeddings_requests(EmbeddingsDialect::bedrock_titan, parse(R"({"input":["a","b"],"dimensions":256})"), "m");
  const auto& bodies = std::get<std::vector<json::object>>(planned);
  ASSERT_EQ(bodies.size(), 2u);
  EXPECT_EQ(bodies[1], json::parse(R"({"inputText":"b","dimensions":256})"));
  Embeddings e;
  e.vectors = {{1.0, -2.0}};
  EXPECT_EQ(openai_embeddings_answer(e, "m", true).at("data").at(0).at("embedding"), "AACAPwAAAMA=");
  EXPECT_TRUE(std::holds_alternative<EmbeddingsRefusal>(
      embeddings_requests(EmbeddingsDialect::gemini, parse(R"({"input":[[1,2]]})"), "m")));
}

}  // namespace
}  // namespace switchyard::providers
