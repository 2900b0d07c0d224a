// Which request parameters a deployment can honour, and what happens to those it cannot
// (LiteLLM's drop_params semantics): without drop_params the attempt is refused as bad_request
// before any call, so the router tries a deployment that can; with it the parameter is removed
// and named in `x-switchyard-dropped-params` and the request log. The table of what each kind
// of deployment lacks is data (param_support.cpp); docs/ARCHITECTURE.md shows it as
// feature × provider. Also the last shaping of an OpenAI-format body for the server it goes to:
// the pivot's LiteLLM extensions (thinking, cache_control, thinking_blocks) become what that
// server accepts.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"
#include "errors/classifier.h"
#include "providers/provider.h"

namespace switchyard::providers {

// The kinds of upstream APIs that differ in what they accept.
enum class ApiKind {
  anthropic,          // api.anthropic.com
  vertex_claude,      // Claude on Vertex AI (rawPredict)
  bedrock_claude,     // Claude through Bedrock Converse
  bedrock_nova,       // Amazon Nova through Converse
  bedrock_other,      // other Converse models (Llama, Mistral, …)
  gemini,             // Gemini API and Vertex AI Gemini
  openai,             // OpenAI itself
  azure,              // Azure OpenAI
  databricks,         // Databricks serving endpoints (OpenAI format; Claude, Llama, GPT…)
  openai_compatible,  // any other OpenAI-format server: it decides, nothing is refused here
};

ApiKind api_kind(const Endpoint& endpoint);
std::string_view to_string(ApiKind kind);

// The request's parameters (the client's names) that the endpoint cannot honour.
std::vector<std::string> unsupported_params(ApiKind kind, const core::ChatRequest& request);

// Removes the named parameters from a body in the client's format.
void drop_params(boost::json::object& body, core::WireFormat format, const std::vector<std::string>& names);

// drop_params for this call: the request's (body or litellm_settings) or the deployment's.
bool drop_params_enabled(const Endpoint& endpoint, const core::ChatRequest& request);

// The refusal of an attempt for unsupported parameters, already classified: bad_request (what the
// client sees when no deployment can), but specific to this deployment, so its decision lets the
// router try the group's other deployments and the fallbacks, and cools nothing down.
errors::Classification unsupported_params_refusal(const Endpoint& endpoint, const std::vector<std::string>& names);

// Any request this deployment cannot carry (a Responses feature, an embeddings model it lacks…),
// classified the same way: bad_request for the client when no deployment can, but a decision that
// moves on to the group's other deployments and the fallbacks, cooling nothing down.
errors::Classification deployment_refusal(std::string rule, std::string message);

// The pivot's LiteLLM extensions → what an OpenAI-format server (no native dialect) accepts.
void shape_openai_body(ApiKind kind, std::string_view model, boost::json::object& body);

}  // namespace switchyard::providers
