// POST /v1/messages/count_tokens for one deployment: Anthropic's own endpoint
// (/v1/messages/count_tokens), Vertex AI's (publishers/anthropic/models/count-tokens:rawPredict,
// the model in the body) and Bedrock's CountTokens (/model/{id}/count-tokens, the request as
// Converse input) are called; every other provider gets Switchyard's estimate (about four
// characters a token over the request's text), marked `estimated` so the gateway says so.
#pragma once

#include <chrono>

#include "core/chat.h"
#include "providers/chat_call.h"

namespace switchyard::providers {

// Anthropic's count_tokens takes the Messages body less what only generation uses.
boost::json::object count_tokens_body(const boost::json::object& messages_body);

// Rough local count: the request's text (system, messages, tools) at ~4 characters a token.
std::int64_t estimate_input_tokens(const boost::json::object& messages_body);

http::Awaitable<CallResult> count_tokens(const Endpoint& endpoint, const core::ChatRequest& request,
                                         std::chrono::milliseconds timeout);

}  // namespace switchyard::providers
