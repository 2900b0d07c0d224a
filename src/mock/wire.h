// The wire formats the mock speaks: Anthropic Messages (`…/v1/messages`) and OpenAI chat
// completions (`…/chat/completions`, which also covers Databricks serving endpoints and Azure
// deployments), chosen by path here; Gemini and Bedrock Converse bodies (cloud_google.h,
// cloud_bedrock.h; routes in cloud_routes.h) are dispatched to from the same functions. Decodes just enough of a request to answer it, and encodes successful
// replies, whole or as server-sent events. No I/O here.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/fault_bodies.h"

namespace switchyard::mock {

std::optional<WireFormat> format_for_path(std::string_view path);

struct Call {
  WireFormat format = WireFormat::openai;
  std::string model;
  bool stream = false;
  bool include_usage = false;  // OpenAI stream_options.include_usage
  bool has_tools = false;      // declares tools (a non-empty `tools`, tool_choice not "none")
  std::int64_t input_tokens = 0;
  // The last message is a tool's result: answer with text quoting it (end of an agent loop).
  std::optional<std::string> tool_result;
};

// nullopt with `error` set when the body is not a request the mock can answer (not JSON, no
// model). Azure's model is the `{name}` of `/openai/deployments/{name}/…` when the body has none;
// `url_model` (Vertex: the model is in the URL) likewise.
std::optional<Call> parse_call(WireFormat format, std::string_view path, std::string_view body, std::string& error,
                               std::string_view url_model = {});

// Rough token count: whitespace-separated words.
std::int64_t count_words(std::string_view text);
// Words in a message `content`: a string, or a list of parts of which the text ones count.
std::int64_t content_words(const boost::json::value& content);

struct ReplyIds {
  std::uint64_t sequence = 0;  // msg_mock_N / chatcmpl-mock-N
  std::int64_t created = 0;    // unix seconds (OpenAI `created`)
  std::int64_t latency_ms = 0;  // Bedrock `metrics.latencyMs`
};

// The reply cut at word boundaries into pieces that concatenate back (see kMaxStreamTextChunks).
std::vector<std::string_view> split_reply(std::string_view reply);
// Tool arguments (JSON text) cut into at most kMaxStreamTextChunks fragments on UTF-8 boundaries.
std::vector<std::string_view> split_arguments(std::string_view json_text);
boost::json::object tool_arguments(const ToolCall& tool);  // the arguments object ({} if not one)
std::int64_t tool_call_tokens(const ToolCall& tool);

std::string reply_body(const Call& call, std::string_view reply, ReplyIds ids);

// A tool call answer: OpenAI `message.tool_calls` (id call_mock_N, arguments as a JSON string,
// content null, finish_reason "tool_calls"); Anthropic one `tool_use` block (id toolu_mock_N,
// `input` the arguments object, stop_reason "tool_use").
std::string tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids);

// One server-sent event ("event: …\ndata: …\n\n" or "data: …\n\n") and what it carries, so
// stream faults can cut a stream before or after its first content.
enum class EventKind {
  opening,  // Anthropic message_start, OpenAI role chunk
  content,  // a text delta, a tool call's start or one of its argument fragments
  other,    // everything else (block start/stop, ping, finish, usage, [DONE])
};
struct StreamEvent {
  std::string text;
  EventKind kind = EventKind::other;
};

// The whole stream of a text reply (SSE; Bedrock: eventstream frames), its text spread over kMaxStreamTextChunks deltas (more
// for long replies: at most kMaxWordsPerChunk words a delta).
inline constexpr std::size_t kMaxStreamTextChunks = 4;
inline constexpr std::size_t kMaxWordsPerChunk = 8;
std::vector<StreamEvent> reply_events(const Call& call, std::string_view reply, ReplyIds ids);
std::vector<std::string> reply_stream(const Call& call, std::string_view reply, ReplyIds ids);

// The complete SSE stream of a tool call, as the providers' streaming docs show it. OpenAI: a
// first chunk with role, id, type and function.name (arguments ""), then argument fragments, then
// finish_reason "tool_calls". Anthropic: content_block_start tool_use, input_json_delta
// partial_json fragments, content_block_stop, stop_reason "tool_use". The arguments are cut into
// at most kMaxStreamTextChunks fragments (on UTF-8 boundaries).
std::vector<StreamEvent> tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids);

// The provider's real mid-stream overload error event. Anthropic: `event: error` with
// {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}; OpenAI: a data-only
// {"error":{"message":"The server had an error while processing your request. …","type":"server_error",…}}.
std::string stream_error_event(WireFormat format);

// The mock's own refusal of a request it cannot parse, shaped like the provider's 400.
std::string invalid_request_body(WireFormat format, std::string_view message);

}  // namespace switchyard::mock
