// What the mock does for one call: a reply, or one of the faults below, after an optional delay.
// A Behaviour is a plain value read from the mock config or from `PUT /mock/models/<name>`.
// `script` is the per-call sequence (call k gets script[min(k, size-1)]: the last entry repeats);
// `fault: X` in the config is shorthand for `script: [X]`.
// `tool_call` makes the mock answer requests that declare tools with that tool call instead of text.
#pragma once

#include <boost/json/fwd.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::mock {

// The canonical error classes of DESIGN.md that an HTTP response can carry (their snake_case
// names), plus what only a transport can do. `connection` is not here: connection_reset is it.
enum class Fault {
  ok,
  bad_request,
  context_window_exceeded,
  content_policy,
  authentication,
  permission_denied,
  not_found,
  rate_limit,
  quota_exhausted,
  overloaded,
  timeout,
  server_error,
  connection_reset,  // close the socket with RST instead of answering
  hang,              // never answer; keep the socket open until the client gives up
  close_after_read,    // read the request, then close the connection (FIN) without answering
  close_after_answer,  // answer like ok (keep-alive advertised), then close the connection (FIN)
  garbage,           // 200 with a body that is not JSON
  // Failures inside a 200 event stream (for `stream: true` calls), in the path's wire format.
  // "before content": the opening event (Anthropic message_start, OpenAI role chunk) only;
  // "after content": the opening and the first 2 content chunks. Then either the provider's real
  // mid-stream overload error event and the end of the body (`stream_error_*`), or an RST
  // (`stream_drop_*`). A non-streaming call gets `overloaded` (error) or `connection_reset` (drop).
  stream_error_before_content,
  stream_drop_before_content,
  stream_error_after_content,
  stream_drop_after_content,
};

std::string_view to_string(Fault f);
std::optional<Fault> fault_from_string(std::string_view name);
std::span<const Fault> all_faults();

// Faults answered with an HTTP error response taken from fault_bodies.cpp.
bool is_http_error(Fault f);

// The stream_* faults; what they become for a non-streaming call (overloaded or
// connection_reset); every other fault is itself.
bool is_stream_fault(Fault f);
Fault non_streaming_fault(Fault f);

inline constexpr std::string_view kDefaultReply = "Hello from the mock";
inline constexpr int kDefaultRetryAfterSeconds = 1;

// A tool call to answer with: `{name: get_weather, arguments: {city: Paris}}`.
struct ToolCall {
  std::string name;
  std::string arguments_json;  // the arguments object, serialized
};

// `replay`: answer an ok step with these bytes verbatim, whatever path and format the call came
// on (a real provider answer collected elsewhere, tests/data/provider_answers.yaml). A streamed
// call gets `body` as the stream: SSE text is written one event (blank-line separated) per chunk;
// content_type application/vnd.amazon.eventstream takes one JSON object per line,
// `{"<eventType>": {payload}}` as boto3 prints ConverseStream events, and frames each one.
// HTTP-error and transport faults of the script still apply; a stream_* fault step replays the
// whole body (the replay is not cut).
struct Replay {
  int status = 200;
  std::string content_type{"application/json"};
  std::string body;
};

// `replay` from JSON: {status?, content_type?, body}.
std::optional<Replay> replay_from_json(const boost::json::value& json, std::string& error);

struct Behaviour {
  std::vector<Fault> script{Fault::ok};
  std::string reply{kDefaultReply};
  std::int64_t latency_ms = 0;      // before answering (timers, never a sleep)
  std::int64_t chunk_delay_ms = 0;  // between streamed chunks
  std::int64_t retry_after_seconds = kDefaultRetryAfterSeconds;  // rate_limit's retry-after header
  std::string path_prefix;          // only requests whose path starts with this (empty: any)
  std::optional<ToolCall> tool_call;  // answer with it when the request declares tools
  // An HTTP error fault quotes the credential the call carried (Authorization's token without
  // its scheme, api-key, x-api-key, x-goog-api-key) in its message, as some providers and
  // proxies do: the gateway must redact it before a log line or a client sees it.
  bool echo_credential = false;
  std::optional<Replay> replay;
};

// From a `PUT /mock/models/<name>` body. Fields not given keep their defaults. On failure returns
// nullopt and sets `error` to a message naming the field.
std::optional<Behaviour> behaviour_from_json(const boost::json::value& json, std::string& error);

// `tool_call` from JSON: an object with a non-empty string `name` and an object `arguments`.
std::optional<ToolCall> tool_call_from_json(const boost::json::value& json, std::string& error);

}  // namespace switchyard::mock
