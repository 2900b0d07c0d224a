// Server-sent events built from a complete answer, in the client's format: OpenAI
// chat.completion.chunk lines ending in `data: [DONE]`, or Anthropic's message_start …
// message_stop events. Used while upstream streaming is not yet wired through: the client's SDK
// gets a well-formed stream, the first byte simply arrives when the whole answer is ready.
#pragma once

#include <string>

#include "core/chat.h"

namespace switchyard::api {

// `response` must already be in the client's wire format.
std::string replay_as_sse(const core::ChatResponse& response, bool include_usage);

}  // namespace switchyard::api
