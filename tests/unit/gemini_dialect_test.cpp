// OpenAI chat ⇄ Gemini generateContent: requests, answers and SSE streams.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <vector>

#include "providers/native_dialect.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const NativeDialect& gemini() { return gemini_dialect(); }

// ---- request ----------------------------------------------------------------------------------

TEST(GeminiRequest, SystemMultiTurnAndMergedRolesBecomeContents) {
  const auto g = gemini().request_from_openai(obj(R"({
    "model":"gemini-2.5-pro","stream":true,
    "messages":[
      {"role":"system","content":"Be brief."},
      {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
      {"role":"user","content":"Hi"},
      {"role":"user","content":[{"type":"text","text":"there"}]},
      {"role":"assistant","content":"Bonjour"},
      {"role":"user","content":"Weather?"}]})"));
  EXPECT_EQ(g.at("systemInstruction"), json::parse(R"({"parts":[{"text":"Be brief."},{"text":"Answer in French."}]})"));
  EXPECT_EQ(g.at("contents"), json::parse(R"([
    {"role":"user","parts":[{"text":"Hi"},{"text":"there"}]},
    {"role":"model","parts":[{"text":"Bonjour"}]},
    {"role":"user","parts":[{"text":"Weather?"}]}])"));
  EXPECT_FALSE(g.contains("model"));  // the model is in the URL
  EXPECT_FALSE(g.contains("stream"));
  EXPECT_FALSE(g.contains("generationConfig"));
  EXPECT_FALSE(g.contains("tools"));
}

TEST(GeminiRequest, DataUrlImagesGoInlineAndOtherUrlsAsFileDataWithAGuessedMimeType) {
  const auto g = gemini().request_from_openai(obj(R"({"messages":[{"role":"user","content":[
    {"type":"text","text":"Compare"},
    {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},
    {"type":"image_url","image_url":{"url":"gs://bucket/photo.WEBP"}},
    {"type":"image_url","image_url":{"url":"https://example.com/doc.pdf?sig=1"}},
    {"type":"image_url","image_url":{"url":"https://example.com/image"}}]}]})"));
  EXPECT_EQ(g.at("contents").at(0).at("parts"), json::parse(R"([
    {"text":"Compare"},
    {"inlineData":{"mimeType":"image/png","data":"AAAA"}},
    {"fileData":{"mimeType":"image/webp","fileUri":"gs://bucket/photo.WEBP"}},
    {"fileData":{"mimeType":"application/pdf","fileUri":"https://example.com/doc.pdf?sig=1"}},
    {"fileData":{"mimeType":"image/jpeg","fileUri":"https://example.com/image"}}])"));
}

TEST(GeminiRequest, ToolCallsAndResultsBecomeFunctionCallsAndResponsesNamedByTheirCall) {
  const auto g = gemini().request_from_openai(obj(R"({"messages":[
    {"role":"user","content":"Weather in Paris and Rome?"},
    {"role":"assistant","content":null,"tool_calls":[
      {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
      {"id":"call_b","type":"function","function":{"name":"get_time","arguments":"not json"}}]},
    {"role":"tool","tool_call_id":"call_a","content":"{\"temp\":21}"},
    {"role":"tool","tool_call_id":"call_b","content":"noon"},
    {"role":"user","content":"Thanks"}]})"));
  EXPECT_EQ(g.at("contents"), json::parse(R"([
    {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
    {"role":"model","parts":[
      {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
      {"functionCall":{"name":"get_time","args":{}}}]},
    {"role":"user","parts":[
      {"functionResponse":{"name":"get_weather","response":{"temp":21}}},
      {"functionResponse":{"name":"get_time","response":{"content":"noon"}}},
      {"text":"Thanks"}]}])"));
}

TEST(GeminiRequest, ThoughtSignatureCarriedInTheToolCallIdGoesBackOnTheFunctionCall) {
  const auto g = gemini().request_from_openai(obj(R"({"messages":[
    {"role":"assistant","tool_calls":[{"id":"call_x__thought__c2lnbmF0dXJl","type":"function",
      "function":{"name":"f","arguments":"{}"}}]},
    {"role":"tool","tool_call_id":"call_x__thought__c2lnbmF0dXJl","content":"[1,2]"}]})"));
  EXPECT_EQ(g.at("contents").at(0).at("parts").at(0).at("thoughtSignature"), "c2lnbmF0dXJl");
  // A JSON array result is not an object: it is wrapped.
  EXPECT_EQ(g.at("contents").at(1).at("parts").at(0).at("functionResponse"),
            json::parse(R"({"name":"f","response":{"content":"[1,2]"}})"));
}

TEST(GeminiRequest, ToolSchemasLoseKeywordsGeminiRejectsAtEveryDepth) {
  const auto g = gemini().request_from_openai(obj(R"({"messages":[{"role":"user","content":"x"}],
    "tools":[
      {"type":"function","function":{"name":"search","description":"Search the web","strict":true,
        "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
          "properties":{
            "query":{"type":"string","description":"q"},
            "strict":{"type":"boolean"},
            "filters":{"type":"array","items":{"type":"object","additionalProperties":false,
                                                "properties":{"site":{"type":"string"}}}}},
          "required":["query"]}}},
      {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}]})"));
  EXPECT_EQ(g.at("tools"), json::parse(R"([{"functionDeclarations":[
    {"name":"search","description":"Search the web",
     "parameters":{"type":"object",
       "properties":{
         "query":{"type":"string","description":"q"},
         "strict":{"type":"boolean"},
         "filters":{"type":"array","items":{"type":"object","properties":{"site":{"type":"string"}}}}},
       "required":["query"]}},
    {"name":"now"}]}])"));
}

TEST(GeminiRequest, ToolChoiceBecomesFunctionCallingMode) {
  auto mode = [](std::string_view choice) {
    const auto g = gemini().request_from_openai(
        obj(std::string(R"({"messages":[{"role":"user","content":"x"}],"tool_choice":)") + std::string(choice) + "}"));
    return g.at("toolConfig").at("functionCallingConfig");
  };
  EXPECT_EQ(mode(R"("auto")"), json::parse(R"({"mode":"AUTO"})"));
  EXPECT_EQ(mode(R"("none")"), json::parse(R"({"mode":"NONE"})"));
  EXPECT_EQ(mode(R"("required")"), json::parse(R"({"mode":"ANY"})"));
  EXPECT_EQ(mode(R"({"type":"function","function":{"name":"get_weather"}})"),
            json::parse(R"({"mode":"ANY","allowedFunctionNames":["get_weather"]})"));
}

TEST(GeminiRequest, SamplingLimitsAndJsonSchemaBecomeGenerationConfig) {
  const auto g = gemini().request_from_openai(obj(R"({"messages":[{"role":"user","content":"x"}],
    "max_tokens":50,"max_completion_tokens":80,"temperature":0.3,"top_p":0.9,"stop":"END","n":2,
    "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}}})"));
  EXPECT_EQ(g.at("generationConfig"), json::parse(R"({"maxOutputTokens":80,"temperature":0.3,"topP":0.9,
    "stopSequences":["END"],"candidateCount":2,"responseMimeType":"application/json","responseSchema":{"type":"object"}})"));
  const auto stops = gemini().request_from_openai(
      obj(R"({"messages":[],"max_tokens":7,"stop":["a","b"],"response_format":{"type":"text"}})"));
  EXPECT_EQ(stops.at("generationConfig"), json::parse(R"({"maxOutputTokens":7,"stopSequences":["a","b"]})"));
}

TEST(GeminiRequest, OddInputDoesNotThrow) {
  for (const char* text : {R"({})", R"({"messages":7})", R"({"messages":[1,null,{"role":"tool"},{"role":"assistant",
       "tool_calls":[3,{"function":4},{"function":{"arguments":7}}]}],"tools":[1,{"function":{"parameters":[]}}],
       "tool_choice":5,"stop":3,"n":1e300,"max_tokens":-4,"response_format":"json"})"}) {
    EXPECT_NO_THROW(gemini().request_from_openai(obj(text))) << text;
  }
}

// ---- answer -----------------------------------------------------------------------------------

TEST(GeminiResponse, TextAnswerKeepsThoughtsApartAndReportsUsageWithCachedAndThinkingTokens) {
  const auto o = gemini().response_to_openai(obj(R"({
    "candidates":[{"content":{"role":"model","parts":[{"text":"planning…","thought":true},{"text":"Hello"},{"text":" world"}]},
                   "finishReason":"STOP","index":0}],
    "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":5,"thoughtsTokenCount":7,"totalTokenCount":22,
                     "cachedContentTokenCount":4},
    "modelVersion":"gemini-2.5-pro-001","responseId":"abc123"})"),
                                             "gemini-2.5-pro");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->at("id"), "chatcmpl-abc123");
  EXPECT_EQ(o->at("object"), "chat.completion");
  EXPECT_EQ(o->at("model"), "gemini-2.5-pro");
  EXPECT_EQ(o->at("choices"), json::parse(R"([{"index":0,"message":{"role":"assistant","content":"Hello world",
                                              "reasoning_content":"planning…",
                                              "thinking_blocks":[{"type":"thinking","thinking":"planning…"}]},
                                              "logprobs":null,"finish_reason":"stop"}])"));
  EXPECT_EQ(o->at("usage"), json::parse(R"({"prompt_tokens":10,"completion_tokens":12,"total_tokens":22,
    "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":7}})"));
}

TEST(GeminiResponse, FunctionCallsBecomeToolCallsWithGeneratedIds) {
  const auto o = gemini().response_to_openai(obj(R"({"candidates":[{"content":{"role":"model","parts":[
      {"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"U0lH"},
      {"functionCall":{"name":"get_time"}}]},"finishReason":"STOP"}]})"),
                                             "m");
  ASSERT_TRUE(o);
  const auto& choice = o->at("choices").at(0);
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  EXPECT_TRUE(choice.at("message").at("content").is_null());
  const auto& calls = choice.at("message").at("tool_calls").as_array();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].at("id").as_string().starts_with("call_"));
  EXPECT_TRUE(calls[0].at("id").as_string().ends_with("__thought__U0lH"));
  EXPECT_NE(calls[0].at("id"), calls[1].at("id"));
  EXPECT_EQ(calls[0].at("type"), "function");
  EXPECT_EQ(calls[0].at("function"), json::parse(R"({"name":"get_weather","arguments":"{\"city\":\"Paris\"}"})"));
  EXPECT_EQ(calls[1].at("function").at("arguments"), "{}");
  EXPECT_TRUE(o->at("id").as_string().starts_with("chatcmpl-"));
}

TEST(GeminiResponse, FinishReasonsMapToOpenAi) {
  const std::pair<const char*, const char*> cases[] = {
      {"STOP", "stop"},           {"MAX_TOKENS", "length"},         {"SAFETY", "content_filter"},
      {"RECITATION", "content_filter"}, {"BLOCKLIST", "content_filter"}, {"PROHIBITED_CONTENT", "content_filter"},
      {"SPII", "content_filter"}, {"IMAGE_SAFETY", "content_filter"}, {"MALFORMED_FUNCTION_CALL", "stop"},
      {"OTHER", "stop"}};
  for (const auto& [gemini_reason, openai_reason] : cases) {
    const auto o = gemini().response_to_openai(
        obj(std::string(R"({"candidates":[{"content":{"parts":[{"text":"x"}]},"finishReason":")") + gemini_reason + "\"}]}"),
        "m");
    ASSERT_TRUE(o) << gemini_reason;
    EXPECT_EQ(o->at("choices").at(0).at("finish_reason"), openai_reason) << gemini_reason;
  }
}

TEST(GeminiResponse, BlockedPromptOrEmptySafetyStopIsNotAnAnswer) {
  EXPECT_FALSE(gemini().response_to_openai(
      obj(R"({"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":12}})"), "m"));
  EXPECT_FALSE(gemini().response_to_openai(obj(R"({"candidates":[]})"), "m"));
  EXPECT_FALSE(gemini().response_to_openai(obj(R"({"candidates":[{"finishReason":"SAFETY","index":0}]})"), "m"));
  EXPECT_FALSE(gemini().response_to_openai(obj(R"({"candidates":[{"content":{"parts":[]},"finishReason":"BLOCKLIST"}]})"), "m"));
  // Cut off by the filter after some text: an answer, finish_reason content_filter.
  const auto partial = gemini().response_to_openai(
      obj(R"({"candidates":[{"content":{"parts":[{"text":"Once"}]},"finishReason":"SAFETY"}]})"), "m");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->at("choices").at(0).at("finish_reason"), "content_filter");
}

TEST(GeminiResponse, SeveralCandidatesBecomeSeveralChoicesAndOddJsonDoesNotThrow) {
  const auto o = gemini().response_to_openai(obj(R"({"candidates":[
      {"content":{"parts":[{"text":"a"}]},"finishReason":"STOP","index":0},
      {"content":{"parts":[{"text":"b"}]},"finishReason":"MAX_TOKENS","index":1}]})"),
                                             "");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->at("choices").at(1).at("message").at("content"), "b");
  EXPECT_EQ(o->at("choices").at(1).at("finish_reason"), "length");
  EXPECT_EQ(o->at("usage").at("total_tokens"), 0);
  for (const char* text : {R"({"candidates":7})", R"({"candidates":[1,"x"]})",
                           R"({"candidates":[{"content":{"parts":[1,{"functionCall":3},{"text":5}]},"index":"x"}],
                              "usageMetadata":{"promptTokenCount":1e300}})"}) {
    EXPECT_NO_THROW(gemini().response_to_openai(obj(text), "m")) << text;
  }
}

// ---- stream -----------------------------------------------------------------------------------

struct Drained {
  std::vector<json::object> chunks;
  bool done = false;
  std::optional<std::string> error;
};

// Feeds `pieces` one read at a time, draining after each, then ends the body.
Drained run_stream(const std::vector<std::string>& pieces, bool include_usage = false, std::string_view model = "gemini-x") {
  auto decoder = gemini().stream_decoder(model, include_usage);
  Drained out;
  auto drain = [&] {
    while (auto e = decoder->next()) {
      EXPECT_FALSE(out.done) << "event after [DONE]";
      if (e->data == "[DONE]") out.done = true;
      else out.chunks.push_back(json::parse(e->data).as_object());
    }
  };
  for (const auto& piece : pieces) {
    decoder->feed(piece);
    drain();
  }
  decoder->end_of_body();
  drain();
  out.error = decoder->error();
  return out;
}

// One SSE event as Gemini writes it: the JSON on one line (the literals here are pretty-printed).
std::string event(std::string_view json_text) {
  return "data: " + json::serialize(json::parse(json_text)) + "\r\n\r\n";
}

std::vector<std::string> split_every(const std::string& text, std::size_t n) {
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < text.size(); i += n) pieces.push_back(text.substr(i, n));
  return pieces;
}

std::string content_of(const Drained& d) {
  std::string text;
  for (const auto& c : d.chunks)
    if (const auto& choices = c.at("choices").as_array(); !choices.empty())
      if (const auto* content = choices[0].at("delta").as_object().if_contains("content")) text += content->as_string();
  return text;
}

const std::string kTextStream =
    event(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}],
              "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"r1"})") +
    event(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"lo"}]},"index":0}],"responseId":"r1"})") +
    event(R"({"candidates":[{"content":{"role":"model","parts":[{"text":"!"}]},"finishReason":"STOP","index":0}],
              "usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"totalTokenCount":12},"responseId":"r1"})");

TEST(GeminiStream, TextSplitAcrossReadsBecomesContentDeltasThenStopAndDone) {
  const auto d = run_stream(split_every(kTextStream, 7));
  ASSERT_FALSE(d.error) << *d.error;
  EXPECT_TRUE(d.done);
  ASSERT_EQ(d.chunks.size(), 5u);  // role, 3 texts, finish
  EXPECT_EQ(d.chunks[0].at("choices").at(0).at("delta").at("role"), "assistant");
  EXPECT_EQ(content_of(d), "Hello!");
  EXPECT_EQ(d.chunks[4].at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(d.chunks[4].at("choices").at(0).at("delta"), json::object{});
  for (const auto& c : d.chunks) {
    EXPECT_EQ(c.at("id"), "chatcmpl-r1");
    EXPECT_EQ(c.at("object"), "chat.completion.chunk");
    EXPECT_TRUE(c.contains("created"));
    EXPECT_EQ(c.at("model"), "gemini-x");
    EXPECT_FALSE(c.contains("usage"));  // include_usage off
  }
}

TEST(GeminiStream, IncludeUsageAddsTheLastUsageChunkBeforeDone) {
  const auto d = run_stream({kTextStream}, /*include_usage=*/true);
  ASSERT_TRUE(d.done);
  ASSERT_EQ(d.chunks.size(), 6u);
  const auto& usage_chunk = d.chunks.back();
  EXPECT_EQ(usage_chunk.at("choices"), json::array{});
  EXPECT_EQ(usage_chunk.at("usage"), json::parse(R"({"prompt_tokens":9,"completion_tokens":3,"total_tokens":12})"));
  EXPECT_EQ(usage_chunk.at("id"), "chatcmpl-r1");
}

TEST(GeminiStream, FunctionCallsArriveWholeAsIndexedToolCallDeltas) {
  const auto d = run_stream({event(R"({"candidates":[{"content":{"role":"model","parts":[
      {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
      {"functionCall":{"name":"get_time","args":{}}}]},"finishReason":"STOP","index":0}]})")},
                            false, "");
  ASSERT_TRUE(d.done);
  ASSERT_EQ(d.chunks.size(), 4u);  // role, two calls, finish
  const auto& first = d.chunks[1].at("choices").at(0).at("delta").at("tool_calls").at(0);
  EXPECT_EQ(first.at("index"), 0);
  EXPECT_TRUE(first.at("id").as_string().starts_with("call_"));
  EXPECT_EQ(first.at("type"), "function");
  EXPECT_EQ(first.at("function"), json::parse(R"({"name":"get_weather","arguments":"{\"city\":\"Paris\"}"})"));
  EXPECT_EQ(d.chunks[2].at("choices").at(0).at("delta").at("tool_calls").at(0).at("index"), 1);
  EXPECT_EQ(d.chunks[3].at("choices").at(0).at("finish_reason"), "tool_calls");
  EXPECT_TRUE(d.chunks[0].at("id").as_string().starts_with("chatcmpl-"));  // no responseId: generated
  EXPECT_EQ(d.chunks[0].at("id"), d.chunks[3].at("id"));
}

TEST(GeminiStream, BodyEndingWithoutFinishReasonIsIncomplete) {
  const auto first_event_only = kTextStream.substr(0, kTextStream.find("\r\n\r\n") + 4);
  const auto d = run_stream({first_event_only}, /*include_usage=*/true);
  EXPECT_FALSE(d.done);
  EXPECT_FALSE(d.error);
  EXPECT_EQ(content_of(d), "Hel");
  for (const auto& c : d.chunks) EXPECT_FALSE(c.contains("usage"));
}

TEST(GeminiStream, ErrorEventBecomesTheErrorAndNothingFollows) {
  const std::string error_json = R"({"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}})";
  const auto d = run_stream({kTextStream.substr(0, kTextStream.find("\r\n\r\n") + 4) + event(error_json) +
                             event(R"({"candidates":[{"content":{"parts":[{"text":"late"}]},"finishReason":"STOP"}]})")});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(*d.error, error_json);
  EXPECT_FALSE(d.done);
  EXPECT_EQ(content_of(d), "Hel");  // what came before the error is still delivered
}

TEST(GeminiStream, BlockedPromptIsAnError) {
  const std::string blocked = R"({"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":3}})";
  const auto d = run_stream({event(blocked)}, true);
  ASSERT_TRUE(d.error);
  EXPECT_EQ(*d.error, blocked);
  EXPECT_TRUE(d.chunks.empty());
  EXPECT_FALSE(d.done);
}

TEST(GeminiStream, UnparseableEventIsAnInternalError) {
  const auto d = run_stream({"data: {not json\n\n"});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(json::parse(*d.error), json::parse(R"({"error":{"code":500,"message":"unparseable stream event","status":"INTERNAL"}})"));
  EXPECT_FALSE(d.done);
}

TEST(GeminiStream, ThoughtPartsAreSkippedAndMaxTokensMapsToLength) {
  const auto d = run_stream({event(R"({"candidates":[{"content":{"parts":[{"text":"hmm","thought":true},{"text":"ok"}]},
                                                     "finishReason":"MAX_TOKENS"}]})")});
  ASSERT_TRUE(d.done);
  EXPECT_EQ(content_of(d), "ok");
  EXPECT_EQ(d.chunks.back().at("choices").at(0).at("finish_reason"), "length");
}

TEST(GeminiStream, OddEventsDoNotThrow) {
  for (const char* data : {"[]", "7", R"({"candidates":7})", R"({"candidates":[1,{"content":3},{"content":{"parts":[2]}}]})",
                           R"({"candidates":[{"index":1e300,"finishReason":5}],"usageMetadata":[]})", R"({"error":"x"})"}) {
    EXPECT_NO_THROW(run_stream({event(data)}, true)) << data;
  }
}

}  // namespace
}  // namespace switchyard::providers
