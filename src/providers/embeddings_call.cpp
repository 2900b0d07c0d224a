#include "providers/embeddings_call.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "providers/deployment_defaults.h"
#include "providers/embeddings_codec.h"
#include "providers/forwarding.h"
#include "providers/param_support.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {

errors::UpstreamError failure(const Endpoint& endpoint, int status, std::string body) {
  errors::UpstreamError err;
  err.provider = endpoint.deployment->provider;
  err.status = status;
  err.body = std::move(body);
  return err;
}

// A model or option this deployment cannot serve: refused for this deployment only, so the router
// tries one that can (see deployment_refusal).
CallResult refusal(const Endpoint& endpoint, const std::string& message) {
  CallResult result;
  result.error.provider = endpoint.deployment->provider;
  result.error.status = 400;
  result.refusal = deployment_refusal("switchyard:embeddings_unsupported",
                                      "this embeddings request cannot be carried to " +
                                          std::string(core::to_string(endpoint.deployment->provider)) + " deployment " +
                                          endpoint.deployment->id + ": " + message);
  return result;
}

CallResult answered(core::ChatResponse r) {
  CallResult result;
  result.response = std::move(r);
  return result;
}

void replace_suffix(std::string& path, std::string_view from, std::string_view to) {
  if (path.ends_with(from)) path = path.substr(0, path.size() - from.size()) + std::string(to);
}

// The adapter's chat target pointed at the provider's embeddings method.
std::string embeddings_target(EmbeddingsDialect dialect, std::string target) {
  const auto query = target.find('?');
  std::string path = target.substr(0, query);
  std::string rest = query == std::string::npos ? "" : target.substr(query);
  switch (dialect) {
    case EmbeddingsDialect::openai:
      // OpenAI/compatible/Databricks {base}/chat/completions; Azure …/deployments/{d}/chat/completions?api-version=
      replace_suffix(path, "/chat/completions", "/embeddings");
      break;
    case EmbeddingsDialect::gemini:
      replace_suffix(path, ":generateContent", ":batchEmbedContents");
      break;
    case EmbeddingsDialect::vertex:
      replace_suffix(path, ":generateContent", ":predict");
      break;
    case EmbeddingsDialect::bedrock_titan:
    case EmbeddingsDialect::bedrock_cohere:
      replace_suffix(path, "/converse", "/invoke");
      break;
  }
  return path + rest;
}

}  // namespace

http::Awaitable<CallResult> call_embeddings(const Endpoint& endpoint, const core::ChatRequest& request,
                                            const auth::Credential* credential, std::chrono::milliseconds timeout) {
  const auto& d = *endpoint.deployment;
  if (endpoint.adapter->wire_format() == core::WireFormat::anthropic)
    co_return refusal(endpoint, "Anthropic models have no embeddings API");
  const auto dialect = embeddings_dialect(d.provider, d.model);
  auto planned = embeddings_requests(dialect, request.body, d.model);
  if (auto* r = std::get_if<EmbeddingsRefusal>(&planned))
    co_return refusal(endpoint, r->message);
  auto& bodies = std::get<std::vector<json::object>>(planned);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto executor = co_await boost::asio::this_coro::executor;
  Embeddings collected;
  for (auto& body : bodies) {
    http::UpstreamRequest upstream;
    upstream.url = endpoint.base;
    upstream.headers.emplace_back("content-type", "application/json");
    upstream.headers.emplace_back("accept", "application/json");
    endpoint.adapter->prepare(endpoint, false, upstream);
    upstream.target = embeddings_target(dialect, std::move(upstream.target));
    // What a chat call to this deployment carries too: forwarded client headers, extra_headers,
    // and (after the provider's own auth) Basic from api_base userinfo.
    if (!request.forward_headers.empty()) forward_client_headers(api_kind(endpoint), request.forward_headers, body, upstream);
    add_extra_headers(d, upstream);
    upstream.body = json::serialize(body);
    endpoint.adapter->authorize(endpoint, credential, upstream);  // bearer token, or SigV4 over the body
    add_userinfo_authorization(endpoint, upstream);
    upstream.timeout = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                   deadline - std::chrono::steady_clock::now()));
    auto response = co_await http::client_pool_for_this_thread(executor).send(upstream);
    if (!response.ok()) {
      CallResult failed;
      failed.error = failure(endpoint, response.status,
                             response.transport_error == errors::TransportError::none ? std::move(response.body)
                                                                                     : std::move(response.transport_message));
      failed.error.headers = std::move(response.headers);
      failed.error.transport_error = response.transport_error;
      co_return failed;
    }
    boost::system::error_code ec;
    auto parsed = json::parse(response.body, ec);
    if (ec || !parsed.is_object()) co_return CallResult::failed(failure(endpoint, 200, std::move(response.body)));
    auto& answer = parsed.get_object();
    if (dialect == EmbeddingsDialect::openai) {
      // OpenAI-format answers pass through (base64 included), with usage read for the counters.
      if (!looks_like_embeddings(answer))
        co_return CallResult::failed(failure(endpoint, 200, std::move(response.body)));
      core::ChatResponse r;
      r.format = core::WireFormat::openai;
      r.body = std::move(answer);
      if (const auto* u = r.body.if_contains("usage"); u && u->is_object())
        if (const auto* p = u->get_object().if_contains("prompt_tokens"); p && p->is_int64()) r.usage.input_tokens = p->get_int64();
      co_return answered(std::move(r));
    }
    if (!read_embeddings(dialect, answer, collected))
      co_return CallResult::failed(failure(endpoint, 200, std::move(response.body)));
  }
  const auto* format = request.body.if_contains("encoding_format");
  const bool base64 = format && format->is_string() && format->get_string() == "base64";
  core::ChatResponse r;
  r.format = core::WireFormat::openai;
  r.body = openai_embeddings_answer(collected, d.model, base64);
  r.usage.input_tokens = collected.prompt_tokens;
  co_return answered(std::move(r));
}

}  // namespace switchyard::providers
