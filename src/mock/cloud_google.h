// The Google-side bodies the mock speaks: Claude on Vertex AI (an Anthropic Messages body without
// `model`, with anthropic_version "vertex-2023-10-16") and Gemini generateContent (the Gemini API
// and Vertex alike): request checks, replies whole or as `data: …\r\n\r\n` events, error bodies.
// Shapes: https://ai.google.dev/api/generate-content and
// https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude. No I/O here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/cloud_routes.h"
#include "mock/wire.h"

namespace switchyard::mock {

inline constexpr std::string_view kVertexAnthropicVersion = "vertex-2023-10-16";

// Claude on Vertex: nullopt with `error` (an Anthropic invalid_request_error message) when the
// body names a model or lacks anthropic_version vertex-2023-10-16. The model is the route's;
// streaming is the method's (streamRawPredict).
std::optional<Call> parse_vertex_anthropic_call(const CloudRoute& route, std::string_view path, std::string_view body,
                                                std::string& error);

// Gemini: `contents` must be a non-empty array and `model` must not be in the body. Declares
// tools when `tools` holds functionDeclarations and toolConfig's mode is not NONE.
std::optional<Call> parse_gemini_call(const CloudRoute& route, std::string_view body, std::string& error);

std::string gemini_reply_body(const Call& call, std::string_view reply, ReplyIds ids);
std::string gemini_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids);
// Several GenerateContentResponse chunks; the last carries finishReason and the full usage.
std::vector<StreamEvent> gemini_reply_events(const Call& call, std::string_view reply, ReplyIds ids);
// One chunk with the whole functionCall part (Gemini does not stream arguments).
std::vector<StreamEvent> gemini_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids);
// `data: {"error":{"code":503,…,"status":"UNAVAILABLE"}}` as Gemini sends it mid-stream.
std::string gemini_stream_error_event();
// {"error":{"code":400,"message":…,"status":"INVALID_ARGUMENT"}}
std::string google_invalid_argument_body(std::string_view message);

}  // namespace switchyard::mock
