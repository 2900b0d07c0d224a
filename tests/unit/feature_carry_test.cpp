// Features carried across wire formats (thinking and its signatures, prompt caching, structured
// output, top_k, documents), what each kind of deployment cannot honour (drop_params), and where
// client headers go.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/sse.h"
#include "providers/aws/eventstream.h"
#include "providers/forwarding.h"
#include "providers/native_dialect.h"
#include "providers/param_support.h"
#include "providers/stream_translate.h"
#include "providers/translate.h"
#include "router/retry_state.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;
namespace es = aws::eventstream;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }
json::value val(std::string_view text) { return json::parse(text); }

// What Claude Code sends: cached system and tools, thinking, a tool turn with its signed thinking.
const char* kClaudeCodeLikeRequest = R"({
  "model":"claude","max_tokens":8000,"top_k":20,
  "thinking":{"type":"enabled","budget_tokens":6000},
  "system":[{"type":"text","text":"You are Claude Code."},
            {"type":"text","text":"Long instructions","cache_control":{"type":"ephemeral"}}],
  "messages":[
    {"role":"user","content":[{"type":"text","text":"list files"}]},
    {"role":"assistant","content":[
       {"type":"thinking","thinking":"I should call ls.","signature":"sig-abc"},
       {"type":"redacted_thinking","data":"opaque=="},
       {"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}]},
    {"role":"user","content":[
       {"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt","cache_control":{"type":"ephemeral"}}]}],
  "tools":[{"name":"Bash","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}]})";

TEST(FeatureCarry, AnthropicThinkingCacheAndTopKSurviveThePivotAndComeBack) {
  const auto pivot = anthropic_request_to_openai(obj(kClaudeCodeLikeRequest));
  EXPECT_EQ(pivot.at("thinking").at("budget_tokens"), 6000);
  EXPECT_EQ(pivot.at("reasoning_effort"), "medium");  // LiteLLM: >= 5000 is medium
  EXPECT_EQ(pivot.at("top_k"), 20);
  const auto& messages = pivot.at("messages").as_array();
  EXPECT_EQ(messages[0].at("content").at(1).at("cache_control").at("type"), "ephemeral");
  EXPECT_EQ(messages[2].at("thinking_blocks").at(0).at("signature"), "sig-abc");
  EXPECT_EQ(messages[2].at("thinking_blocks").at(1).at("type"), "redacted_thinking");
  EXPECT_EQ(messages[2].at("reasoning_content"), "I should call ls.");
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("content").at(0).at("cache_control").at("type"), "ephemeral");
  EXPECT_EQ(pivot.at("tools").at(0).at("cache_control").at("type"), "ephemeral");

  const auto back = openai_request_to_anthropic(pivot);
  EXPECT_EQ(back.at("thinking"), val(R"({"type":"enabled","budget_tokens":6000})"));
  EXPECT_EQ(back.at("top_k"), 20);
  EXPECT_EQ(back.at("max_tokens"), 8000);
  EXPECT_EQ(back.at("system").at(1).at("cache_control").at("type"), "ephemeral");
  const auto& assistant = back.at("messages").at(1).at("content").as_array();
  EXPECT_EQ(assistant[0], val(R"({"type":"thinking","thinking":"I should call ls.","signature":"sig-abc"})"));
  EXPECT_EQ(assistant[1], val(R"({"type":"redacted_thinking","data":"opaque=="})"));
  EXPECT_EQ(assistant[2].at("type"), "tool_use");
  EXPECT_EQ(back.at("messages").at(2).at("content").at(0).at("cache_control").at("type"), "ephemeral");
  EXPECT_EQ(back.at("tools").at(0).at("cache_control").at("type"), "ephemeral");
}

TEST(FeatureCarry, ReasoningEffortBecomesAThinkingBudgetWithRoomForTheAnswer) {
  const auto a = openai_request_to_anthropic(obj(R"({"model":"m","max_tokens":1000,"reasoning_effort":"medium",
    "messages":[{"role":"user","content":"hi"}]})"));
  EXPECT_EQ(a.at("thinking"), val(R"({"type":"enabled","budget_tokens":2048})"));
  EXPECT_EQ(a.at("max_tokens"), 3048);  // Anthropic wants max_tokens above the budget
  const auto none = openai_request_to_anthropic(obj(R"({"reasoning_effort":"none","messages":[]})"));
  EXPECT_FALSE(none.contains("thinking"));
}

TEST(FeatureCarry, ResponseFormatIsForcedThroughJsonToolCallAndComesBackAsText) {
  const auto a = openai_request_to_anthropic(obj(R"({"model":"m","messages":[{"role":"user","content":"x"}],
    "response_format":{"type":"json_schema","json_schema":{"name":"p","schema":{"type":"object",
      "properties":{"name":{"type":"string"}}}}}})"));
  EXPECT_EQ(a.at("tools").at(0).at("name"), "json_tool_call");
  EXPECT_EQ(a.at("tools").at(0).at("input_schema").at("properties").at("name").at("type"), "string");
  EXPECT_EQ(a.at("tool_choice"), val(R"({"type":"tool","name":"json_tool_call"})"));

  const auto o = anthropic_response_to_openai(obj(R"({"id":"m1","model":"c","stop_reason":"tool_use",
    "content":[{"type":"tool_use","id":"t","name":"json_tool_call","input":{"name":"Ada"}}],
    "usage":{"input_tokens":3,"output_tokens":4}})"));
  const auto& message = o.at("choices").at(0).at("message");
  EXPECT_EQ(val(message.at("content").as_string()), val(R"({"name":"Ada"})"));
  EXPECT_FALSE(message.as_object().contains("tool_calls"));
  EXPECT_EQ(o.at("choices").at(0).at("finish_reason"), "stop");
}

TEST(FeatureCarry, AnthropicStructuredOutputBecomesResponseFormat) {
  const auto o = anthropic_request_to_openai(obj(R"({"model":"m","max_tokens":5,"messages":[],
    "output_format":{"type":"json_schema","schema":{"type":"object"}}})"));
  EXPECT_EQ(o.at("response_format").at("type"), "json_schema");
  EXPECT_EQ(o.at("response_format").at("json_schema").at("schema"), val(R"({"type":"object"})"));
}

TEST(FeatureCarry, ThinkingBlocksAndCacheUsageComeBackInBothFormats) {
  const auto o = anthropic_response_to_openai(obj(R"({"id":"m1","model":"c","stop_reason":"end_turn",
    "content":[{"type":"thinking","thinking":"Hmm.","signature":"sig-1"},
               {"type":"redacted_thinking","data":"xyz"},{"type":"text","text":"Paris."}],
    "usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":20}})"));
  const auto& message = o.at("choices").at(0).at("message");
  EXPECT_EQ(message.at("reasoning_content"), "Hmm.");
  EXPECT_EQ(message.at("thinking_blocks").at(0).at("signature"), "sig-1");
  EXPECT_EQ(message.at("thinking_blocks").at(1).at("data"), "xyz");
  EXPECT_EQ(o.at("usage").at("prompt_tokens"), 130);
  EXPECT_EQ(o.at("usage").at("prompt_tokens_details").at("cached_tokens"), 100);
  EXPECT_EQ(o.at("usage").at("cache_creation_input_tokens"), 20);

  const auto a = openai_response_to_anthropic(o);
  EXPECT_EQ(a.at("content").at(0), val(R"({"type":"thinking","thinking":"Hmm.","signature":"sig-1"})"));
  EXPECT_EQ(a.at("content").at(1).at("type"), "redacted_thinking");
  EXPECT_EQ(a.at("content").at(2).at("text"), "Paris.");
  EXPECT_EQ(a.at("usage"), val(R"({"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":100,
                                  "cache_creation_input_tokens":20})"));
}

std::string translate_all(StreamTranslator& t, std::string_view upstream) {
  http::SseParser in;
  in.feed(upstream);
  std::string out;
  while (auto e = in.next()) {
    TranslatedChunk c;
    t.on_event(*e, c);
    out += c.bytes;
  }
  TranslatedChunk end;
  t.on_end(end);
  return out + end.bytes;
}

const char* kAnthropicThinkingStream = R"(event: message_start
data: {"type":"message_start","message":{"id":"m1","model":"c","usage":{"input_tokens":5,"cache_read_input_tokens":50,"cache_creation_input_tokens":7,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig-xyz"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"42"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}

event: message_stop
data: {"type":"message_stop"}

)";

TEST(FeatureCarry, StreamedThinkingAndSignatureCrossThePivotBothWays) {
  auto to_openai = make_stream_translator(core::WireFormat::anthropic, core::WireFormat::openai, true);
  const auto openai = translate_all(*to_openai, kAnthropicThinkingStream);
  EXPECT_NE(openai.find(R"("reasoning_content":"Let me think.")"), std::string::npos) << openai;
  EXPECT_NE(openai.find(R"("signature":"sig-xyz")"), std::string::npos) << openai;
  EXPECT_NE(openai.find(R"("cached_tokens":50)"), std::string::npos) << openai;
  EXPECT_NE(openai.find(R"("cache_creation_input_tokens":7)"), std::string::npos) << openai;

  auto to_anthropic = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  const auto anthropic = translate_all(*to_anthropic, openai);
  http::SseParser parsed;
  parsed.feed(anthropic);
  std::vector<json::object> events;
  while (auto e = parsed.next()) events.push_back(obj(e->data));
  ASSERT_GE(events.size(), 8u) << anthropic;
  EXPECT_EQ(events[1].at("content_block").at("type"), "thinking");
  EXPECT_EQ(events[2].at("delta"), val(R"({"type":"thinking_delta","thinking":"Let me think."})"));
  EXPECT_EQ(events[3].at("delta"), val(R"({"type":"signature_delta","signature":"sig-xyz"})"));
  EXPECT_EQ(events[4].at("type"), "content_block_stop");
  EXPECT_EQ(events[5].at("content_block").at("type"), "text");
  const auto& delta = events[events.size() - 2];
  EXPECT_EQ(delta.at("type"), "message_delta");
  EXPECT_EQ(delta.at("usage").at("cache_read_input_tokens"), 50);
  EXPECT_EQ(delta.at("usage").at("cache_creation_input_tokens"), 7);
  EXPECT_EQ(delta.at("usage").at("input_tokens"), 5);
}

// ---- Bedrock Converse ---------------------------------------------------------------------------

TEST(FeatureCarry, BedrockClaudeGetsThinkingTopKCachePointsAndSignedReasoning) {
  const auto pivot = anthropic_request_to_openai(obj(kClaudeCodeLikeRequest));
  const auto c = bedrock_dialect().request_from_openai(pivot, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  EXPECT_EQ(c.at("additionalModelRequestFields"),
            val(R"({"thinking":{"type":"enabled","budget_tokens":6000},"top_k":20})"));
  EXPECT_EQ(c.at("system").at(2), val(R"({"cachePoint":{"type":"default"}})"));
  const auto& assistant = c.at("messages").at(1).at("content").as_array();
  EXPECT_EQ(assistant[0], val(R"({"reasoningContent":{"reasoningText":{"text":"I should call ls.","signature":"sig-abc"}}})"));
  EXPECT_EQ(assistant[1], val(R"({"reasoningContent":{"redactedContent":"opaque=="}})"));
  const auto& results = c.at("messages").at(2).at("content").as_array();
  EXPECT_TRUE(results[0].as_object().contains("toolResult"));
  EXPECT_EQ(results[1], val(R"({"cachePoint":{"type":"default"}})"));
  EXPECT_EQ(c.at("toolConfig").at("tools").at(1), val(R"({"cachePoint":{"type":"default"}})"));

  // Other Converse models have no thinking field: nothing Claude-specific is sent to them.
  const auto llama = bedrock_dialect().request_from_openai(pivot, "meta.llama3-70b-instruct-v1:0");
  EXPECT_FALSE(llama.contains("additionalModelRequestFields"));
}

TEST(FeatureCarry, BedrockStructuredOutputAndReasoningAnswerComeBack) {
  const auto c = bedrock_dialect().request_from_openai(obj(R"({"messages":[{"role":"user","content":"x"}],
    "response_format":{"type":"json_schema","json_schema":{"name":"p","schema":{"type":"object"}}}})"),
                                                       "anthropic.claude-3-haiku");
  EXPECT_EQ(c.at("toolConfig").at("toolChoice"), val(R"({"tool":{"name":"json_tool_call"}})"));
  const auto o = bedrock_dialect().response_to_openai(obj(R"({"output":{"message":{"role":"assistant","content":[
      {"reasoningContent":{"reasoningText":{"text":"Thinking.","signature":"s1"}}},
      {"toolUse":{"toolUseId":"t","name":"json_tool_call","input":{"a":1}}}]}},"stopReason":"tool_use",
      "usage":{"inputTokens":3,"outputTokens":4,"cacheReadInputTokens":30,"cacheWriteInputTokens":8}})"),
                                                      "m");
  ASSERT_TRUE(o);
  const auto& message = o->at("choices").at(0).at("message");
  EXPECT_EQ(val(message.at("content").as_string()), val(R"({"a":1})"));
  EXPECT_EQ(message.at("thinking_blocks").at(0).at("signature"), "s1");
  EXPECT_EQ(o->at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(o->at("usage").at("prompt_tokens"), 41);
  EXPECT_EQ(o->at("usage").at("cache_creation_input_tokens"), 8);
  EXPECT_EQ(o->at("usage").at("prompt_tokens_details").at("cached_tokens"), 30);
}

std::string converse_event(std::string_view type, std::string_view payload) {
  return es::encode({{":event-type", std::string(type)},
                     {":content-type", std::string("application/json")},
                     {":message-type", std::string("event")}},
                    payload);
}

TEST(FeatureCarry, BedrockStreamedReasoningBecomesThinkingDeltas) {
  const auto wire =
      converse_event("messageStart", R"({"role":"assistant"})") +
      converse_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Hm"}}})") +
      converse_event("contentBlockDelta", R"({"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"s9"}}})") +
      converse_event("contentBlockDelta", R"({"contentBlockIndex":1,"delta":{"text":"Yes"}})") +
      converse_event("messageStop", R"({"stopReason":"end_turn"})") +
      converse_event("metadata", R"({"usage":{"inputTokens":1,"outputTokens":2,"cacheReadInputTokens":5}})");
  auto d = bedrock_dialect().stream_decoder("m", true);
  d->feed(wire);
  d->end_of_body();
  std::string sse;
  while (auto e = d->next()) sse += http::format_sse(e->event, e->data);
  auto to_anthropic = make_stream_translator(core::WireFormat::openai, core::WireFormat::anthropic, false);
  const auto anthropic = translate_all(*to_anthropic, sse);
  EXPECT_NE(anthropic.find(R"({"type":"thinking_delta","thinking":"Hm"})"), std::string::npos) << anthropic;
  EXPECT_NE(anthropic.find(R"({"type":"signature_delta","signature":"s9"})"), std::string::npos) << anthropic;
  EXPECT_NE(anthropic.find(R"("cache_read_input_tokens":5)"), std::string::npos) << anthropic;
}

// ---- Gemini -------------------------------------------------------------------------------------

TEST(FeatureCarry, GeminiGetsThinkingBudgetTopKAndResponseSchemaAndReturnsThoughts) {
  const auto pivot = anthropic_request_to_openai(obj(R"({"model":"m","max_tokens":100,"top_k":7,
    "thinking":{"type":"enabled","budget_tokens":3000},"messages":[{"role":"user","content":"hi"}],
    "output_format":{"type":"json_schema","schema":{"type":"object","additionalProperties":false,
       "properties":{"a":{"type":"string"}}}}})"));
  const auto g = gemini_dialect().request_from_openai(pivot, "gemini-2.5-pro");
  const auto& config = g.at("generationConfig");
  EXPECT_EQ(config.at("thinkingConfig"), val(R"({"thinkingBudget":3000,"includeThoughts":true})"));
  EXPECT_EQ(config.at("topK"), 7);
  EXPECT_EQ(config.at("responseMimeType"), "application/json");
  EXPECT_EQ(config.at("responseSchema"), val(R"({"type":"object","properties":{"a":{"type":"string"}}})"));

  const auto o = gemini_dialect().response_to_openai(obj(R"({"candidates":[{"content":{"role":"model","parts":[
      {"text":"Pondering.","thought":true},{"text":"Done."}]},"finishReason":"STOP"}],
      "usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":2,"thoughtsTokenCount":3,"cachedContentTokenCount":2}})"),
                                                     "gemini-2.5-pro");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->at("choices").at(0).at("message").at("content"), "Done.");
  EXPECT_EQ(o->at("choices").at(0).at("message").at("reasoning_content"), "Pondering.");
  EXPECT_EQ(o->at("usage").at("prompt_tokens_details").at("cached_tokens"), 2);
}

TEST(FeatureCarry, GeminiLogprobsAreAskedForAndComeBackInOpenAisShape) {
  const auto g = gemini_dialect().request_from_openai(obj(R"({"messages":[{"role":"user","content":"x"}],
    "logprobs":true,"top_logprobs":2})"), "gemini-2.5-flash");
  EXPECT_EQ(g.at("generationConfig").at("responseLogprobs"), true);
  EXPECT_EQ(g.at("generationConfig").at("logprobs"), 2);
  const auto o = gemini_dialect().response_to_openai(obj(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},
    "finishReason":"STOP","logprobsResult":{"chosenCandidates":[{"token":"Hi","logProbability":-0.5}],
    "topCandidates":[{"candidates":[{"token":"Hi","logProbability":-0.5},{"token":"Hello","logProbability":-1.5}]}]}}]})"),
                                                     "gemini-2.5-flash");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->at("choices").at(0).at("logprobs").at("content"), val(R"([{"token":"Hi","logprob":-0.5,"bytes":null,
    "top_logprobs":[{"token":"Hi","logprob":-0.5,"bytes":null},{"token":"Hello","logprob":-1.5,"bytes":null}]}])"));
}

// ---- what each kind of deployment cannot honour ---------------------------------------------------

core::ChatRequest request(core::WireFormat format, std::string_view body) {
  core::ChatRequest r;
  r.format = format;
  r.body = obj(body);
  return r;
}

TEST(ParamSupport, EachKindRefusesOnlyWhatItLacks) {
  using K = ApiKind;
  const auto openai = request(core::WireFormat::openai,
                              R"({"messages":[],"top_k":5,"seed":1,"n":2,"logprobs":true,"presence_penalty":0.5,"stop":"x"})");
  EXPECT_EQ(unsupported_params(K::openai, openai), (std::vector<std::string>{"top_k"}));
  EXPECT_EQ(unsupported_params(K::anthropic, openai),
            (std::vector<std::string>{"n", "seed", "logprobs", "presence_penalty"}));
  EXPECT_TRUE(unsupported_params(K::gemini, openai).empty());
  EXPECT_TRUE(unsupported_params(K::openai_compatible, openai).empty());
  // Values that ask for nothing are never refused.
  const auto harmless = request(core::WireFormat::openai, R"({"messages":[],"n":1,"logprobs":false,"presence_penalty":0})");
  EXPECT_TRUE(unsupported_params(K::bedrock_claude, harmless).empty());

  const auto anthropic = request(core::WireFormat::anthropic, R"({"messages":[],"top_k":3,
    "thinking":{"type":"enabled","budget_tokens":2000},
    "tools":[{"name":"Bash","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}]})");
  EXPECT_TRUE(unsupported_params(K::anthropic, anthropic).empty());
  EXPECT_TRUE(unsupported_params(K::bedrock_claude, anthropic) == (std::vector<std::string>{"tools"}));
  EXPECT_EQ(unsupported_params(K::openai, anthropic), (std::vector<std::string>{"top_k", "tools"}));
  EXPECT_EQ(unsupported_params(K::bedrock_other, anthropic), (std::vector<std::string>{"top_k", "thinking", "tools"}));
}

TEST(ParamSupport, DroppingRemovesOnlyTheNamedParametersAndOnlyServerTools) {
  auto body = obj(R"({"messages":[],"top_k":3,"temperature":0.5,
    "tools":[{"name":"Bash","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search"}]})");
  drop_params(body, core::WireFormat::anthropic, {"top_k", "tools"});
  EXPECT_FALSE(body.contains("top_k"));
  EXPECT_EQ(body.at("temperature"), 0.5);
  ASSERT_EQ(body.at("tools").as_array().size(), 1u);
  EXPECT_EQ(body.at("tools").at(0).at("name"), "Bash");
}

TEST(ParamSupport, OpenAiFormatServersGetReasoningEffortAndNoAnthropicExtensions) {
  auto body = anthropic_request_to_openai(obj(kClaudeCodeLikeRequest));
  shape_openai_body(ApiKind::openai, "o4-mini", body);
  EXPECT_EQ(body.at("reasoning_effort"), "medium");
  EXPECT_FALSE(body.contains("thinking"));
  const auto text = json::serialize(body);
  EXPECT_EQ(text.find("cache_control"), std::string::npos) << text;
  EXPECT_EQ(text.find("thinking_blocks"), std::string::npos) << text;

  auto claude = anthropic_request_to_openai(obj(kClaudeCodeLikeRequest));
  shape_openai_body(ApiKind::databricks, "databricks-claude-sonnet-4", claude);
  EXPECT_EQ(claude.at("thinking").at("budget_tokens"), 6000);
  EXPECT_FALSE(claude.contains("reasoning_effort"));
}

std::string header_value(const errors::Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (n == name) return v;
  return {};
}

TEST(Forwarding, BetaFlagsGoWhereEachPlatformTakesThemAndOnlyThoseItKnows) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"anthropic-beta", "claude-code-20250219, interleaved-thinking-2025-05-14,context-1m-2025-08-07"},
      {"anthropic-version", "2023-06-01"},
      {"x-team", "blue"}};
  json::object body;
  http::UpstreamRequest anthropic;
  forward_client_headers(ApiKind::anthropic, headers, body, anthropic);
  EXPECT_EQ(header_value(anthropic.headers, "anthropic-beta"),
            "claude-code-20250219,interleaved-thinking-2025-05-14,context-1m-2025-08-07");
  EXPECT_EQ(header_value(anthropic.headers, "x-team"), "blue");
  EXPECT_TRUE(body.empty());

  http::UpstreamRequest vertex;
  forward_client_headers(ApiKind::vertex_claude, headers, body, vertex);
  EXPECT_EQ(body.at("anthropic_beta"), val(R"(["interleaved-thinking-2025-05-14","context-1m-2025-08-07"])"));
  EXPECT_EQ(header_value(vertex.headers, "anthropic-version"), "");

  json::object converse{{"additionalModelRequestFields", {{"top_k", 5}}}};
  http::UpstreamRequest bedrock;
  forward_client_headers(ApiKind::bedrock_claude, headers, converse, bedrock);
  EXPECT_EQ(converse.at("additionalModelRequestFields"), val(R"({"top_k":5,"anthropic_beta":["context-1m-2025-08-07"]})"));
}

}  // namespace
}  // namespace switchyard::providers

namespace switchyard::providers {
namespace {

// The refusal for unsupported parameters is bad_request for the client, yet unlike a plain
// bad_request (which stops: every provider would refuse it) it moves on: another deployment of
// the group first, then the fallbacks; nothing is retried and nothing cooled down.
TEST(ParamSupport, RefusalMovesOnToADeploymentThatCanWhereAPlainBadRequestStops) {
  config::Deployment d;
  d.provider = core::Provider::openai;
  d.model = "gpt-4o";
  Endpoint e;
  e.deployment = &d;
  const auto refusal = unsupported_params_refusal(e, {"top_k"});
  EXPECT_EQ(refusal.error_class, errors::ErrorClass::bad_request);
  EXPECT_FALSE(refusal.decision.cooldown);
  EXPECT_NE(refusal.message.find("top_k"), std::string::npos);

  std::mt19937_64 rng(1);
  constexpr core::Nanos kNow = 1'000'000'000'000;
  router::RetryState r(2, kNow + 60'000'000'000, rng);
  r.enter_group();
  EXPECT_EQ(r.next(refusal, /*untried_left=*/true, kNow).step, router::NextStep::call_untried);
  EXPECT_EQ(r.next(refusal, /*untried_left=*/false, kNow).step, router::NextStep::leave_group);
  EXPECT_EQ(r.scope(), errors::FallbackScope::general);

  errors::Classification plain;
  plain.error_class = errors::ErrorClass::bad_request;
  plain.decision = errors::default_decision(errors::ErrorClass::bad_request);
  router::RetryState fresh(2, kNow + 60'000'000'000, rng);
  fresh.enter_group();
  EXPECT_EQ(fresh.next(plain, true, kNow).step, router::NextStep::stop);
}

}  // namespace
}  // namespace switchyard::providers
