// Deployment → adapter, and the Endpoint each deployment is called through. Adding a provider
// touches its file pair, this table and its tests.
#include <boost/json.hpp>

#include "providers/auth/credential.h"
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

void ProviderAdapter::authorize(const Endpoint&, const auth::Credential* credential, http::UpstreamRequest& out) const {
  if (credential && !credential->bearer.empty()) http::set_header(out.headers, "authorization", "Bearer " + credential->bearer);
}

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
      e.unusable_reason = "api_base '" + d.api_base + "' is not an http(s) URL";
      return e;
    }
  }
  e.adapter->configure(e);  // clouds: default host from region/location, credentials
  return e;
}

}  // namespace switchyard::providers
