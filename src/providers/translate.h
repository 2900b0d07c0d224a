// Translation between the OpenAI Chat Completions and Anthropic Messages wire formats, both ways,
// for requests and for non-streaming responses: system prompts, multi-turn, images (base64 and
// URL), tool definitions, tool calls and results, stop/finish reasons, usage (cached tokens
// included), thinking (and its signatures), prompt-cache breakpoints, structured output, documents,
// top_k. Pure functions on JSON values; no I/O. What carries where: docs/ARCHITECTURE.md's table;
// the pivot's LiteLLM-style extensions: features.h.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "core/chat.h"

namespace switchyard::providers {

inline constexpr std::int64_t kDefaultAnthropicMaxTokens = 4096;  // Anthropic requires max_tokens

boost::json::object openai_request_to_anthropic(const boost::json::object& openai);
boost::json::object anthropic_request_to_openai(const boost::json::object& anthropic);

boost::json::object anthropic_response_to_openai(const boost::json::object& message);
boost::json::object openai_response_to_anthropic(const boost::json::object& completion);

// Usage from a response body in its own format.
core::Usage usage_of(core::WireFormat format, const boost::json::object& body);
// The same, from the `usage` object itself.
core::Usage usage_from(core::WireFormat format, const boost::json::object& usage);
// An OpenAI-format answer whose message.content is a list of parts (Databricks' Claude and
// Mistral's reasoning models: text, `reasoning` summaries with signatures, `thinking`) made the
// pivot's shape: content a string, the reasoning as reasoning_content + thinking_blocks.
void normalize_answer_content_parts(boost::json::object& answer);
// The reasoning text of an OpenAI-format message or delta: `reasoning_content` (DeepSeek, vLLM
// < 0.10, LiteLLM), else `reasoning` (OpenRouter, Groq, Ollama, vLLM >= 0.10).
std::string_view openai_reasoning_text(const boost::json::object& message_or_delta);
// The same for a streamed chunk's delta.content lists; true when a delta was reshaped.
bool normalize_delta_content_parts(boost::json::object& chunk);
// A streamed OpenAI chunk's `usage` object; Moonshot (Kimi) puts it in the choice instead
// (`choices[i].usage`, next to finish_reason), which is read when the top level has none.
// (Whole answers: usage_of / answer_scan read the top level only.)
const boost::json::object* openai_usage_object(const boost::json::object& body);
// Usage in each format's shape, cache figures included (OpenAI: prompt_tokens_details.cached_tokens
// plus LiteLLM's cache_read/cache_creation_input_tokens; Anthropic: input_tokens without them).
boost::json::object openai_usage_from(const core::Usage& usage);
boost::json::object anthropic_usage_from(const core::Usage& usage);

// Finish/stop reason mapping, shared with the streaming translator.
std::string anthropic_stop_to_openai_finish(std::string_view stop_reason);
std::string openai_finish_to_anthropic_stop(std::string_view finish_reason);

}  // namespace switchyard::providers
