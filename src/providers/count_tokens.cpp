#include "providers/count_tokens.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "providers/aws/sigv4.h"
#include "providers/deployment_defaults.h"
#include "providers/json_fields.h"
#include "providers/param_support.h"
#include "providers/translate.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {

// What Anthropic's count_tokens accepts of a Messages body (generation settings are refused).
constexpr std::string_view kCountTokensFields[] = {"model", "messages", "system", "tools", "tool_choice", "thinking",
                                                   "mcp_servers"};
constexpr std::int64_t kCharsPerToken = 4;

std::int64_t text_chars(const json::value& v) {
  if (v.is_string()) return static_cast<std::int64_t>(v.get_string().size());
  std::int64_t n = 0;
  if (v.is_array())
    for (const auto& child : v.get_array()) n += text_chars(child);
  if (v.is_object())
    for (const auto& [key, child] : v.get_object())
      if (key != "type" && key != "id" && key != "tool_use_id" && key != "cache_control" && key != "signature")
        n += text_chars(child);
  return n;
}

CallResult answer(std::int64_t tokens, bool estimated) {
  core::ChatResponse r;
  r.format = core::WireFormat::anthropic;
  r.body = json::object{{"input_tokens", tokens}};
  r.estimated = estimated;
  CallResult result;
  result.response = std::move(r);
  return result;
}

// Bedrock's model id as in the Converse path (LiteLLM's bedrock/converse/<id> spelling removed).
std::string_view bedrock_model_id(std::string_view model) {
  for (std::string_view route : {"converse/", "invoke/"})
    if (model.starts_with(route)) return model.substr(route.size());
  return model;
}

}  // namespace

json::object count_tokens_body(const json::object& in) {
  json::object out;
  for (const auto field : kCountTokensFields)
    if (const auto* v = in.if_contains(field)) out[field] = *v;
  return out;
}

std::int64_t estimate_input_tokens(const json::object& body) {
  std::int64_t chars = 0;
  for (const auto field : {"system", "messages", "tools"})
    if (const auto* v = body.if_contains(field)) chars += text_chars(*v);
  return (chars + kCharsPerToken - 1) / kCharsPerToken;
}

http::Awaitable<CallResult> count_tokens(const Endpoint& endpoint, const core::ChatRequest& request,
                                         const auth::Credential* credential, std::chrono::milliseconds timeout) {
  const auto kind = api_kind(endpoint);
  if (kind != ApiKind::anthropic && kind != ApiKind::vertex_claude && kind != ApiKind::bedrock_claude)
    co_return answer(estimate_input_tokens(request.body), true);

  const auto& d = *endpoint.deployment;
  http::UpstreamRequest out;
  out.url = endpoint.base;
  out.timeout = timeout;
  out.headers.emplace_back("content-type", "application/json");
  out.headers.emplace_back("accept", "application/json");
  auto body = count_tokens_body(request.body);
  body["model"] = d.model;
  endpoint.adapter->prepare(endpoint, false, out);  // auth headers (and a messages path, replaced below)
  if (kind == ApiKind::anthropic) {
    out.target = endpoint.base.path + "/v1/messages/count_tokens";
  } else if (kind == ApiKind::vertex_claude) {
    out.target = endpoint.base.path + "/v1/projects/" + endpoint.vertex_project + "/locations/" +
                 endpoint.vertex_location + "/publishers/anthropic/models/count-tokens:rawPredict";
  } else {
    // CountTokens takes the request in Converse's shape.
    auto converse = bedrock_dialect().request_from_openai(anthropic_request_to_openai(body), d.model);
    json::object input;
    for (const auto field : {"messages", "system", "toolConfig"})
      if (const auto* v = converse.if_contains(field)) input[field] = *v;
    body = json::object{{"input", {{"converse", std::move(input)}}}};
    out.target = endpoint.base.path + "/model/" + aws::uri_encode(bedrock_model_id(d.model), true) + "/count-tokens";
  }
  if (!request.forward_headers.empty() && kind == ApiKind::anthropic)
    for (const auto& [name, value] : request.forward_headers)
      if (name == "anthropic-beta" || name == "anthropic-version") http::set_header(out.headers, name, value);
  add_extra_headers(d, out);
  out.body = json::serialize(body);
  endpoint.adapter->authorize(endpoint, credential, out);  // bearer token, or SigV4 over the final body
  add_userinfo_authorization(endpoint, out);
  const auto executor = co_await boost::asio::this_coro::executor;
  auto response = co_await http::client_pool_for_this_thread(executor).send(out);
  if (response.ok()) {
    if (auto parsed = json_fields::parse_object(response.body)) {
      const char* field = kind == ApiKind::bedrock_claude ? "inputTokens" : "input_tokens";
      if (const auto* n = parsed->if_contains(field); n && n->is_number()) co_return answer(json_fields::integer(*parsed, field), false);
    }
  }
  CallResult failed;
  failed.error.provider = d.provider;
  failed.error.status = response.status;
  failed.error.headers = std::move(response.headers);
  failed.error.body = response.transport_error == errors::TransportError::none ? std::move(response.body)
                                                                              : std::move(response.transport_message);
  failed.error.transport_error = response.transport_error;
  co_return failed;
}

}  // namespace switchyard::providers
