#include "providers/chat_call.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "providers/translate.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {

errors::UpstreamError unsupported(const config::Deployment& d) {
  errors::UpstreamError e;
  e.provider = d.provider;
  e.status = 404;  // classified not_found: cooled down until reload, requests fall back
  e.body = R"({"error":{"type":"not_found_error","message":"Switchyard cannot call )" + std::string(to_string(d.provider)) +
           R"( deployments yet"}})";
  return e;
}

// A 2xx whose body is not a chat answer in the provider's format is a failure too.
bool looks_like_answer(core::WireFormat f, const json::object& o) {
  if (f == core::WireFormat::anthropic) {
    const auto* content = o.if_contains("content");
    return content && content->is_array() && !o.contains("error");
  }
  const auto* choices = o.if_contains("choices");
  return choices && choices->is_array() && !o.contains("error");
}

}  // namespace

Endpoint make_endpoint(const config::Deployment& d) {
  Endpoint e;
  e.deployment = &d;
  e.adapter = adapter_for(d.provider);
  if (auto url = http::parse_url(d.api_base)) e.base = *url;
  else e.adapter = nullptr;  // no usable base (clouds whose host comes from params land later)
  return e;
}

http::UpstreamRequest encode_chat(const Endpoint& endpoint, const core::ChatRequest& request) {
  const auto& d = *endpoint.deployment;
  const auto format = endpoint.adapter->wire_format();
  json::object body;
  if (format == request.format) body = request.body;
  else if (format == core::WireFormat::anthropic) body = openai_request_to_anthropic(request.body);
  else body = anthropic_request_to_openai(request.body);
  body["model"] = d.model;
  // Streaming to the client is served from a complete upstream answer until the streaming
  // translator lands; ask the upstream for one.
  body.erase("stream");
  body.erase("stream_options");

  http::UpstreamRequest out;
  out.url = endpoint.base;
  out.headers.emplace_back("content-type", "application/json");
  out.headers.emplace_back("accept", "application/json");
  endpoint.adapter->prepare(d, endpoint.base, false, out);
  out.body = json::serialize(body);
  return out;
}

CallResult decode_chat(const Endpoint& endpoint, http::UpstreamResponse&& response) {
  CallResult result;
  const auto& d = *endpoint.deployment;
  if (response.ok()) {
    const auto format = endpoint.adapter->wire_format();
    boost::system::error_code ec;
    auto parsed = json::parse(response.body, ec);
    if (!ec && parsed.is_object() && looks_like_answer(format, parsed.get_object())) {
      core::ChatResponse r;
      r.format = format;
      r.body = std::move(parsed.get_object());
      r.usage = usage_of(format, r.body);
      result.response = std::move(r);
      return result;
    }
  }
  result.error.provider = d.provider;
  result.error.status = response.status;
  result.error.headers = std::move(response.headers);
  result.error.body = std::move(response.body);
  result.error.transport_error = response.transport_error;
  return result;
}

http::Awaitable<CallResult> call_deployment(const Endpoint& endpoint, const core::ChatRequest& request,
                                            std::chrono::milliseconds timeout) {
  if (!endpoint.adapter) co_return CallResult{std::nullopt, unsupported(*endpoint.deployment)};
  auto upstream = encode_chat(endpoint, request);
  upstream.timeout = timeout;
  const auto executor = co_await boost::asio::this_coro::executor;
  auto response = co_await http::client_pool_for_this_thread(executor).send(upstream);
  co_return decode_chat(endpoint, std::move(response));
}

}  // namespace switchyard::providers
