#include "providers/responses_call.h"

#include "providers/chat_call.h"

#include <boost/json.hpp>

#include "providers/deployment_defaults.h"
#include "providers/forwarding.h"
#include "providers/param_support.h"  // api_kind
#include "providers/translate.h"

namespace switchyard::providers {
namespace json = boost::json;

bool serves_responses_api(const Endpoint& endpoint) {
  const auto p = endpoint.deployment->provider;
  return p == core::Provider::openai || p == core::Provider::azure;
}

ResponsesEcho echo_of(const core::ChatRequest& request) {
  return ResponsesEcho{&request.body, request.response_id, request.model, request.created_at};
}

namespace {

ResponsesRefused refusal(const Endpoint& endpoint, const std::string& message) {
  return {"this Responses API request cannot be carried to " + std::string(core::to_string(endpoint.deployment->provider)) +
          " deployment " + endpoint.deployment->id + ": " + message};
}

}  // namespace

std::variant<ResponsesPlan, ResponsesRefused> plan_responses(const Endpoint& endpoint, const core::ChatRequest& request) {
  ResponsesPlan plan;
  if (serves_responses_api(endpoint)) {
    plan.passthrough = true;
    return plan;
  }
  auto converted = responses_request_to_chat(request.body);
  if (auto* r = std::get_if<ResponsesRefusal>(&converted)) return refusal(endpoint, r->message);
  auto& chat = std::get<json::object>(converted);
  // Structured output has no carrier to Anthropic Messages or Bedrock Converse through the pivot.
  const bool no_structured_output = endpoint.adapter->wire_format() == core::WireFormat::anthropic ||
                                    endpoint.deployment->provider == core::Provider::bedrock;
  if (no_structured_output && !response_format_as_forced_tool(chat))
    return refusal(endpoint, "text.format (structured JSON output) together with tools: this provider has no "
                             "response format, and forcing the schema as a tool would stop the model calling yours");
  // reasoning.effort becomes the pivot's reasoning_effort: carried to Anthropic thinking, Gemini's
  // thinkingConfig and Bedrock Claude by the translators; where it has no carrier, param_support
  // refuses it for this deployment (or drops it under drop_params), like any chat request.
  plan.chat.format = core::WireFormat::openai;
  plan.chat.model = request.model;
  plan.chat.stream = request.stream;
  plan.chat.body = std::move(chat);
  plan.chat.request_id = request.request_id;
  plan.chat.drop_params = request.drop_params;
  plan.chat.forward_headers = request.forward_headers;
  plan.chat.controls = request.controls;
  return plan;
}

http::UpstreamRequest encode_responses_passthrough(const Endpoint& endpoint, const core::ChatRequest& request,
                                                   const auth::Credential* credential) {
  json::object body = request.body;
  body["model"] = endpoint.deployment->model;
  body.erase("previous_response_id");  // the gateway's own store expanded it into `input`
  http::UpstreamRequest out;
  out.url = endpoint.base;
  out.headers.emplace_back("content-type", "application/json");
  out.headers.emplace_back("accept", request.stream ? "text/event-stream" : "application/json");
  endpoint.adapter->prepare(endpoint, request.stream, out);
  // The adapter's chat path, pointed at the Responses endpoint: OpenAI {base}/chat/completions →
  // {base}/responses; Azure {base}/openai/deployments/{d}/chat/completions?api-version=V →
  // {base}/openai/responses?api-version=V (the deployment goes in `model`).
  const auto query = out.target.find('?');
  std::string path = out.target.substr(0, query);
  const std::string rest = query == std::string::npos ? "" : out.target.substr(query);
  if (endpoint.deployment->provider == core::Provider::azure) {
    if (const auto at = path.find("/openai/deployments/"); at != std::string::npos) path = path.substr(0, at) + "/openai/responses";
  } else if (path.ends_with("/chat/completions")) {
    path = path.substr(0, path.size() - std::string_view("/chat/completions").size()) + "/responses";
  }
  out.target = path + rest;
  if (!request.forward_headers.empty()) forward_client_headers(api_kind(endpoint), request.forward_headers, body, out);
  add_extra_headers(*endpoint.deployment, out);
  out.body = json::serialize(body);
  endpoint.adapter->authorize(endpoint, credential, out);
  return out;
}

std::optional<core::ChatResponse> decode_responses_passthrough(const std::string& body, const core::ChatRequest& request) {
  boost::system::error_code ec;
  auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object() || !looks_like_response(parsed.get_object())) return std::nullopt;
  core::ChatResponse r;
  r.format = core::WireFormat::responses;
  r.body = std::move(parsed.get_object());
  r.body["id"] = request.response_id;
  r.usage = usage_of_response(r.body);
  return r;
}

core::ChatResponse chat_answer_to_responses(core::ChatResponse answer, const core::ChatRequest& request) {
  answer_object(answer);  // an answer kept as its wire bytes is parsed here
  if (answer.format == core::WireFormat::anthropic) replace_answer_object(answer, anthropic_response_to_openai(answer.body));
  core::ChatResponse r;
  r.format = core::WireFormat::responses;
  r.body = chat_response_to_responses(answer.body, echo_of(request));
  r.usage = answer.usage;
  return r;
}

}  // namespace switchyard::providers
