// Deployment → adapter, and the Endpoint each deployment is called through. Adding a provider
// touches its file pair, this table and its tests.
#include <openssl/evp.h>

#include <boost/json.hpp>

#include "core/text.h"
#include "core/url_userinfo.h"
#include "providers/provider.h"

namespace switchyard::providers {

const ProviderAdapter* adapter_for(const config::Deployment& d) {
  using P = core::Provider;
  switch (d.provider) {
    case P::anthropic: return &anthropic_adapter();
    case P::openai:
    case P::openai_compatible: return &openai_adapter();
    case P::databricks: return &databricks_adapter();
    case P::azure: return &azure_adapter();
    case P::gemini: return &gemini_adapter();
    case P::bedrock: return &bedrock_adapter();
    case P::vertex_ai:
      // Vertex serves Anthropic's models in Anthropic's format; Google's own in generateContent.
      if (d.model.starts_with("claude")) return &vertex_claude_adapter();
      return &vertex_gemini_adapter();
  }
  return nullptr;
}

void ProviderAdapter::shape_body(const Endpoint& endpoint, boost::json::object& body) const {
  body["model"] = endpoint.deployment->model;
}

namespace {
// RFC 7617: "Basic " + base64(user ":" password), the decoded userinfo as curl sends it.
std::string basic_authorization(const core::Userinfo& u) {
  const std::string plain = u.user + ":" + u.password;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
  encoded.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return "Basic " + encoded;
}
}  // namespace

Endpoint make_endpoint(const config::Deployment& d) {
  Endpoint e;
  e.deployment = &d;
  e.adapter = adapter_for(d);
  if (!e.adapter) {
    e.unusable_reason = "Switchyard cannot call " + std::string(to_string(d.provider)) + " deployments";
    return e;
  }
  if (!d.api_base.empty()) {
    if (auto url = http::parse_url(d.api_base)) {
      e.base = *url;
    } else {
      e.adapter = nullptr;
      e.unusable_reason = "api_base '" + core::without_userinfo(d.api_base) + "' is not an http(s) URL";
      return e;
    }
  }
  if (const auto userinfo = core::userinfo_of(d.api_base)) e.basic_authorization = basic_authorization(*userinfo);
  e.adapter->configure(e);  // clouds: default host from region/location, credentials
  return e;
}

void add_userinfo_authorization(const Endpoint& endpoint, http::UpstreamRequest& request) {
  if (endpoint.basic_authorization.empty()) return;
  for (const auto& [name, value] : request.headers)
    if (core::iequals(name, "authorization")) return;
  request.headers.emplace_back("authorization", endpoint.basic_authorization);
}

}  // namespace switchyard::providers
