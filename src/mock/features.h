// What the mock does with the features a request asks for, in each provider's real shapes:
// extended thinking (a thinking block with a signature the mock issues, streamed as thinking_delta
// + signature_delta; Bedrock reasoningContent; Gemini thought parts), prompt caching (the prefix up
// to the last cache_control / cachePoint is written on first sight and read afterwards, reported
// as cache_creation/cache_read tokens), and the checks the real APIs make on the way back: a
// thinking block whose signature the mock did not issue is a 400, as Anthropic's "Invalid
// signature". Applied to the plain replies built by wire.h (parse, add, re-serialize).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mock/wire.h"

namespace switchyard::mock {

struct RequestedFeatures {
  bool thinking = false;
  std::int64_t cached_prefix_words = 0;  // words up to the last cache breakpoint (0: none)
  std::string cached_prefix_key;         // the prefix's text, to tell a cache write from a read
  // Set: the 400 message the real API gives for the request's thinking: a thinking block the mock
  // did not sign, or thinking on while the assistant turn in progress does not start with one.
  std::string invalid_thinking;
  // The last turn carries tool results: a model answers them (text), it does not call again, so
  // an agent loop (Claude Code) ends.
  bool answers_tool_result = false;
};

// Reads what an Anthropic Messages, Bedrock Converse, Gemini or OpenAI body asks for.
std::optional<RequestedFeatures> requested_features(WireFormat format, const boost::json::object& body);

// The prompt cache's answer for this request: {read, written} words (process-wide state).
struct CacheUse {
  std::int64_t read = 0;
  std::int64_t written = 0;
};
CacheUse use_prompt_cache(const RequestedFeatures& features);

// Adds thinking and cache usage to a whole reply / to a stream's events.
std::string decorate_reply(WireFormat format, const RequestedFeatures& f, CacheUse cache, std::string body,
                           ReplyIds ids);
void decorate_events(WireFormat format, const RequestedFeatures& f, CacheUse cache, std::vector<StreamEvent>& events,
                     ReplyIds ids);

// POST /v1/messages/count_tokens (Anthropic), count-tokens:rawPredict (Vertex; `model` in the
// body), /model/{id}/count-tokens (Bedrock: {"input":{"converse":{…}}}): the words of the request's
// text, in each API's answer shape ({"input_tokens"} / {"inputTokens"}); nullopt with `error` set
// for a body the real API refuses (Anthropic: fields Messages takes but counting does not).
std::optional<std::string> count_tokens_answer(WireFormat format, std::string_view body, std::string& error);

}  // namespace switchyard::mock
