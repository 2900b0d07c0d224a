// The shared vocabulary of the feature carry-over between wire formats (thinking, structured
// output, prompt caching), so the Anthropic translator and the Bedrock/Gemini dialects map the
// same OpenAI-pivot fields the same way. The pivot is OpenAI chat as LiteLLM extends it:
//   request:  `reasoning_effort`, or `thinking` {type, budget_tokens} kept as sent by an
//             Anthropic client (exact budget); `top_k`; `cache_control` on content parts, on tool
//             messages' parts and on tools; `response_format` json_schema; `file` parts.
//   response: message `reasoning_content` (text) and `thinking_blocks`
//             [{type: thinking, thinking, signature} | {type: redacted_thinking, data}], in
//             streams as deltas of the same names; usage `prompt_tokens_details.cached_tokens` and
//             `cache_creation_input_tokens` (LiteLLM's names).
// Pure functions; no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "providers/json_fields.h"

namespace switchyard::providers::features {

// LiteLLM's defaults (constants.py DEFAULT_REASONING_EFFORT_*_THINKING_BUDGET).
inline constexpr std::int64_t kMinimalThinkingBudget = 128;
inline constexpr std::int64_t kLowThinkingBudget = 1024;
inline constexpr std::int64_t kMediumThinkingBudget = 2048;
inline constexpr std::int64_t kHighThinkingBudget = 4096;
// Anthropic refuses budget_tokens below this.
inline constexpr std::int64_t kAnthropicMinThinkingBudget = 1024;

// The tool a JSON schema is forced through where the provider has no native structured output
// (Anthropic Messages, Bedrock Converse), as LiteLLM names it; its call comes back as the text.
inline constexpr std::string_view kJsonToolName = "json_tool_call";

// reasoning_effort → thinking budget; nullopt for "none" (thinking off) or an unknown value.
inline std::optional<std::int64_t> budget_for_effort(std::string_view effort) {
  if (effort == "minimal") return kMinimalThinkingBudget;
  if (effort == "low") return kLowThinkingBudget;
  if (effort == "medium") return kMediumThinkingBudget;
  if (effort == "high" || effort == "xhigh" || effort == "max") return kHighThinkingBudget;
  return std::nullopt;
}

// thinking budget → reasoning_effort, LiteLLM's thresholds
// (translate_anthropic_thinking_to_reasoning_effort).
inline std::string_view effort_for_budget(std::int64_t budget) {
  if (budget >= 10000) return "high";
  if (budget >= 5000) return "medium";
  if (budget >= 2000) return "low";
  return "minimal";
}

// The thinking budget an OpenAI-pivot request asks for: `thinking` (exact, from an Anthropic
// client) first, else `reasoning_effort`. nullopt: no thinking. Adaptive thinking without a
// budget reads as medium.
inline std::optional<std::int64_t> requested_thinking_budget(const boost::json::object& pivot) {
  if (const auto* thinking = json_fields::object_at(pivot, "thinking")) {
    const auto type = json_fields::str(*thinking, "type");
    if (type == "disabled") return std::nullopt;
    if (const auto budget = json_fields::integer(*thinking, "budget_tokens"); budget > 0) return budget;
    if (type == "enabled" || type == "adaptive") return kMediumThinkingBudget;
  }
  const auto effort = json_fields::str(pivot, "reasoning_effort");
  return effort.empty() ? std::nullopt : budget_for_effort(effort);
}

// The JSON schema of an OpenAI response_format (json_schema: its schema; json_object: any object),
// nullopt for text or no response_format.
inline std::optional<boost::json::value> response_schema(const boost::json::object& pivot) {
  const auto* format = json_fields::object_at(pivot, "response_format");
  if (!format) return std::nullopt;
  const auto type = json_fields::str(*format, "type");
  if (type == "json_object") return boost::json::value(boost::json::object{{"type", "object"}});
  if (type != "json_schema") return std::nullopt;
  if (const auto* js = json_fields::object_at(*format, "json_schema"))
    if (const auto* schema = js->if_contains("schema")) return *schema;
  return boost::json::value(boost::json::object{{"type", "object"}});
}

inline bool has_cache_control(const boost::json::object& o) {
  const auto* cc = o.if_contains("cache_control");
  return cc && cc->is_object();
}

// A thinking block of the pivot's thinking_blocks as Anthropic sends it back.
inline bool is_thinking_block(const boost::json::object& b) {
  const auto type = json_fields::str(b, "type");
  return type == "thinking" || type == "redacted_thinking";
}

// A block of the pivot's thinking_blocks that Claude takes back in a later turn: redacted, or
// thinking with its signature (reasoning from a model that signs nothing cannot be verified by
// Anthropic and is left out).
inline bool is_signed_thinking_block(const boost::json::object& b) {
  const auto type = json_fields::str(b, "type");
  return type == "redacted_thinking" || (type == "thinking" && !json_fields::str(b, "signature").empty());
}

}  // namespace switchyard::providers::features
