// OpenAI Responses API ⇄ the pivot (OpenAI chat completions), both ways, whole answers and
// streams. A Responses request for a provider that is not OpenAI/Azure is turned into a chat
// request here, routed like any chat request, and its chat answer (or chunk stream) turned back
// into a Response object (or the Responses SSE event sequence: response.created,
// response.in_progress, response.output_item.added, response.content_part.added,
// response.output_text.delta/.done, response.function_call_arguments.delta/.done,
// response.content_part.done, response.output_item.done, response.completed, each with a
// sequence_number). OpenAI/Azure deployments get the Responses body as is; their stream goes
// through ResponsesPassThrough (content detection for the hold-back, our response id).
// Pure code on JSON values: no I/O, fuzzable (fuzz/fuzz_stream.cpp).
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/chat.h"
#include "errors/error_class.h"
#include "providers/stream_translate.h"

namespace switchyard::providers {

// What the Response object echoes and how it is named.
struct ResponsesEcho {
  const boost::json::object* request = nullptr;  // the client's Responses body (after previous_response_id)
  std::string response_id;                        // resp_…
  std::string model;                              // the model group the client asked for
  std::int64_t created_at = 0;                    // unix seconds
};

struct ResponsesRefusal {
  std::string message;  // why the request cannot be carried through chat completions
};

// The chat completions body for a Responses body, or why it cannot be carried (a built-in tool
// forced by tool_choice, input_file parts, background mode, …). Merely offered built-in tools
// (web_search, namespaces, …) are left out; offered_tools_not_carried() names them.
std::variant<boost::json::object, ResponsesRefusal> responses_request_to_chat(const boost::json::object& request);
// The types/names of offered tools that a chat provider cannot run ("web_search", …).
std::vector<std::string> offered_tools_not_carried(const boost::json::object& request);

// Structured output for providers without a response_format (Anthropic Messages, Bedrock
// Converse): the JSON schema becomes one function tool the model is forced to call, and that
// call's arguments come back as the answer's text (the approach LiteLLM takes). False when the
// request has tools of its own (forcing ours would stop the model from calling them).
inline constexpr std::string_view kJsonOutputTool = "switchyard_json_output";

// The provider's thinking blocks (signed thinking, redacted thinking) ride in a reasoning item's
// encrypted_content as this prefix + the blocks' JSON, so a client sending the item back (Codex
// with store: false, LangChain, the AI SDK's item_reference) gives Claude its signed thinking
// again: Anthropic requires it before the tool_use of a turn being continued. Encrypted content
// without the prefix (OpenAI's own) is not ours and stays skipped.
inline constexpr std::string_view kThinkingCarrier = "switchyard.thinking_blocks.v1:";
bool response_format_as_forced_tool(boost::json::object& chat);

// A chat.completion object → a Response object.
boost::json::object chat_response_to_responses(const boost::json::object& completion, const ResponsesEcho& echo);

// A Response object with no output yet (status "in_progress"), echoing the request.
boost::json::object response_skeleton(const ResponsesEcho& echo, std::string_view status);

// Usage in Responses shape from the pivot's Usage.
boost::json::object responses_usage(const core::Usage& usage);
core::Usage usage_of_response(const boost::json::object& response);

// The items a stored response contributes to a later turn: its input items (a string input as
// one user message) followed by its output items.
boost::json::array conversation_items(const boost::json::object& request, const boost::json::object& response);

// A Response answer from an OpenAI/Azure upstream: looks like one (has an `output` array).
bool looks_like_response(const boost::json::object& body);

// The stream translator for a Responses client: `upstream` is the adapter's wire format
// (openai: chat chunks; anthropic: Messages events, first brought to chat chunks), or
// WireFormat::responses for an OpenAI/Azure passthrough. The translator keeps the final Response
// object (final_response()) so the gateway can store it.
std::unique_ptr<StreamTranslator> make_responses_stream_translator(core::WireFormat upstream, ResponsesEcho echo);

// The SSE event that ends a Responses stream which failed after content reached the client:
// response.failed with error {code, message}.
std::string responses_failed_event(const ResponsesEcho& echo, std::int64_t sequence_number, errors::ErrorClass cls,
                                   std::string_view message);

}  // namespace switchyard::providers
