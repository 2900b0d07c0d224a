// A deployment's litellm_params request defaults (temperature, max_tokens, stop, extra_body, …)
// and extra headers (extra_headers, custom_user_agent), applied to each call of it. LiteLLM merges
// the deployment's params under the client's (`{**litellm_params, **kwargs}`): a value the client
// set is kept.
#pragma once

#include <boost/json/object.hpp>

#include "config/config.h"
#include "core/chat.h"
#include "http/client.h"

namespace switchyard::providers {

// `body` is in the adapter's wire format; Anthropic's takes the OpenAI names it has a twin for.
void apply_request_defaults(const config::Deployment& d, core::WireFormat format, boost::json::object& body);
void add_extra_headers(const config::Deployment& d, http::UpstreamRequest& out);

}  // namespace switchyard::providers
