// Client headers meant for the provider, placed where each API takes them: `anthropic-beta` and
// `anthropic-version` as headers on Anthropic's API; on Vertex AI Claude `anthropic_beta` in the
// body (anthropic_version stays Vertex's own); on Bedrock Claude `anthropic_beta` in
// additionalModelRequestFields. Vertex and Bedrock refuse beta flags they do not know, so only
// the flags each supports go there (LiteLLM's anthropic_beta_headers_config.json, as data here).
// Other allow-listed headers (forward_client_headers_to_llm_api) go to every provider as they came.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/client.h"
#include "providers/param_support.h"

namespace switchyard::providers {

// `body` is final except for serialization; headers are added before signing (SigV4 covers them).
void forward_client_headers(ApiKind kind, const std::vector<std::pair<std::string, std::string>>& headers,
                            boost::json::object& body, http::UpstreamRequest& out);

// The comma-separated beta flags a kind of API accepts, renamed where it spells them differently.
std::vector<std::string> supported_betas(ApiKind kind, std::string_view header_value);

}  // namespace switchyard::providers
