// What of the client's request goes on to the provider besides the body: LiteLLM's drop_params
// (request body or litellm_settings) and the client headers meant for the provider
// (anthropic-beta / anthropic-version always, for Anthropic-format deployments; the
// forward_client_headers_to_llm_api allow-list for every deployment). Credentials the client
// presented to the gateway are never forwarded.
#pragma once

#include "config/config.h"
#include "core/chat.h"
#include "http/types.h"

namespace switchyard::api {

// Fills request.drop_params and request.forward_headers; takes `drop_params` out of the body.
void take_passing_controls(const http::Request& req, const config::RequestPassing& passing, core::ChatRequest& request);

}  // namespace switchyard::api
