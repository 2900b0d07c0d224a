// Bedrock Converse bodies (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// and …/API_runtime_ConverseStream.html): request checks, the whole reply, and the
// application/vnd.amazon.eventstream frames of converse-stream (every event payload padded with
// a "p" field as real Bedrock streams are), including the exception frame of a stream fault.
// No I/O here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/cloud_routes.h"
#include "mock/wire.h"

namespace switchyard::mock {

inline constexpr std::string_view kEventStreamContentType = "application/vnd.amazon.eventstream";

// `messages` must be a non-empty array and `model` must not be in the body; tools are declared by
// a non-empty toolConfig.tools. The model is the route's (the decoded modelId).
std::optional<Call> parse_bedrock_call(const CloudRoute& route, std::string_view body, std::string& error);

std::string bedrock_reply_body(const Call& call, std::string_view reply, ReplyIds ids);
std::string bedrock_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids);
// messageStart, contentBlockDelta…, contentBlockStop, messageStop, metadata.
std::vector<StreamEvent> bedrock_reply_events(const Call& call, std::string_view reply, ReplyIds ids);
// messageStart, contentBlockStart (toolUse), contentBlockDelta (toolUse.input fragments), …
std::vector<StreamEvent> bedrock_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids);
// An exception frame: :message-type exception, :exception-type serviceUnavailableException.
std::string bedrock_stream_error_frame();

}  // namespace switchyard::mock
