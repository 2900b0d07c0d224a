// The mock's OpenAI Responses API (`…/v1/responses`, what OpenAI and Azure deployments serve):
// a Response object, or the event stream (response.created … response.completed, each with its
// sequence_number), for a text reply or a function call; the mid-stream failure event. Faults
// answer with OpenAI's real error bodies (fault_bodies.cpp). No I/O here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "mock/wire.h"

namespace switchyard::mock {

inline constexpr std::string_view kResponsesPathSuffix = "/responses";

// Input tokens (words) and the output of the last item when it is a function_call_output.
void read_responses_input(const boost::json::object& body, Call& call);

std::string responses_reply_body(const Call& call, std::string_view reply, ReplyIds ids);
std::string responses_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids);
std::vector<StreamEvent> responses_reply_events(const Call& call, std::string_view reply, ReplyIds ids);
std::vector<StreamEvent> responses_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids);
// OpenAI's mid-stream failure: response.failed with error {code: server_error, message}.
std::string responses_stream_error_event();

// The text of the last message when it is a tool's result (OpenAI `tool` message, Anthropic
// `tool_result` block, Responses `function_call_output`): the mock then answers with text that
// quotes it, as a model ends an agent loop, instead of calling the tool again.
std::optional<std::string> trailing_tool_result(const boost::json::object& body);

}  // namespace switchyard::mock
