// Translation between the OpenAI Chat Completions and Anthropic Messages wire formats, both ways,
// for requests and for non-streaming responses: system prompts, multi-turn, images (base64 and
// URL), tool definitions, tool calls and results, stop/finish reasons, usage (cached tokens
// included). Pure functions on JSON values; no I/O. What does not carry is listed in
// docs/ARCHITECTURE.md.
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

// Finish/stop reason mapping, shared with the streaming translator.
std::string anthropic_stop_to_openai_finish(std::string_view stop_reason);
std::string openai_finish_to_anthropic_stop(std::string_view finish_reason);

}  // namespace switchyard::providers
