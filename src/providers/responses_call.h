// How a Responses API request meets one deployment: OpenAI and Azure deployments get it as is on
// their own /responses endpoint (passthrough); every other provider gets the chat completions
// request responses_codec.h derives from it, through the usual adapters, and its answer is turned
// back into a Response. The router and its retries, cooldowns and fallbacks see neither: they
// call call_deployment (chat_call.h), which asks this file. What a provider cannot carry is
// refused with a 400 naming the feature (never silently dropped).
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "core/chat.h"
#include "errors/upstream_error.h"
#include "http/client.h"
#include "providers/provider.h"
#include "providers/responses_codec.h"

namespace switchyard::providers {

// OpenAI and Azure serve the Responses API themselves.
bool serves_responses_api(const Endpoint& endpoint);

struct ResponsesPlan {
  bool passthrough = false;
  core::ChatRequest chat;  // the derived chat request when not passthrough
};

// The plan for one deployment, or why this deployment cannot carry the request (the caller turns
// it into a deployment-specific refusal: the router moves on to a deployment that can).
struct ResponsesRefused {
  std::string message;
};
std::variant<ResponsesPlan, ResponsesRefused> plan_responses(const Endpoint& endpoint, const core::ChatRequest& request);

ResponsesEcho echo_of(const core::ChatRequest& request);

// The passthrough request: the client's body (model = the deployment's), on {base}/responses
// (OpenAI) or {base}/openai/responses?api-version=… (Azure).
// `credential`: the endpoint's current credential (auth::CredentialSource), null when it has none.
http::UpstreamRequest encode_responses_passthrough(const Endpoint& endpoint, const core::ChatRequest& request,
                                                   const auth::Credential* credential);

// A passthrough answer: a Response object under our id, or nullopt when the body is not one.
std::optional<core::ChatResponse> decode_responses_passthrough(const std::string& body, const core::ChatRequest& request);

// A chat answer (OpenAI or Anthropic format) → the Response the client gets.
core::ChatResponse chat_answer_to_responses(core::ChatResponse answer, const core::ChatRequest& request);

}  // namespace switchyard::providers
