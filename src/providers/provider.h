// A provider adapter knows one upstream API: its wire format, its URL scheme and its auth. One
// file pair per provider; the registry maps a deployment to its adapter. Adapters are stateless
// and shared by every I/O thread; what a deployment needs at call time (parsed base URL, cloud
// credentials, a token cache) lives in its Endpoint, built once per config load.
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/chat.h"
#include "http/client.h"
#include "providers/aws/sigv4.h"
#include "providers/native_dialect.h"

namespace switchyard::providers {

namespace google {
class TokenSource;
}
class ProviderAdapter;

// A deployment ready to call, prepared once per config load.
struct Endpoint {
  const config::Deployment* deployment = nullptr;
  const ProviderAdapter* adapter = nullptr;  // null: not callable (see unusable_reason)
  std::string unusable_reason;               // why not: unsupported, bad api_base, missing credentials
  http::Url base;
  // "Basic …" from credentials in api_base (https://user:pass@host); empty when there are none.
  std::string basic_authorization;
  std::string api_key;  // Gemini: the deployment's api_key, else the one found in the environment
  // Vertex AI
  std::string vertex_project;
  std::string vertex_location;
  std::shared_ptr<google::TokenSource> google_token;  // service-account token cache; null: api_key is the token
  // Bedrock
  std::string aws_region;
  aws::Credentials aws_credentials;
};

class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;
  // The format the request is translated to (and the answer read from): OpenAI or Anthropic.
  virtual core::WireFormat wire_format() const = 0;
  // Gemini and Bedrock speak neither: their dialect converts from/to OpenAI (native_dialect.h).
  virtual const NativeDialect* dialect() const { return nullptr; }
  // Cloud setup done once per config load: default host, credentials. Sets endpoint.adapter to
  // null with a reason when the deployment cannot be called.
  virtual void configure(Endpoint&) const {}
  // The body in the adapter's wire format, just before it is serialized: most set `model`.
  virtual void shape_body(const Endpoint& endpoint, boost::json::object& body) const;
  // Path + query under the base and static auth headers.
  virtual void prepare(const Endpoint& endpoint, bool stream, http::UpstreamRequest& out) const = 0;
  // After the body is final: request signing (Bedrock's SigV4).
  virtual void sign(const Endpoint&, http::UpstreamRequest&) const {}
};

const ProviderAdapter* adapter_for(const config::Deployment& deployment);

const ProviderAdapter& anthropic_adapter();
const ProviderAdapter& openai_adapter();  // openai and every openai_compatible server
const ProviderAdapter& databricks_adapter();
const ProviderAdapter& azure_adapter();
const ProviderAdapter& vertex_claude_adapter();  // vertex_ai/claude-*: Anthropic on rawPredict
const ProviderAdapter& vertex_gemini_adapter();  // vertex_ai/gemini-*: generateContent on Vertex
const ProviderAdapter& gemini_adapter();         // gemini/*: Google AI Studio's generateContent
const ProviderAdapter& bedrock_adapter();        // bedrock/*: Converse with SigV4

// Endpoint for a deployment: adapter, parsed api_base (or the cloud's default host), credentials.
Endpoint make_endpoint(const config::Deployment& deployment);

// Credentials written in api_base go upstream as HTTP Basic, as curl sends them, unless the
// provider's own auth already set Authorization (a bearer key, SigV4, a Google token): like
// curl, an explicit Authorization header wins over the URL's userinfo. Call after all auth.
void add_userinfo_authorization(const Endpoint& endpoint, http::UpstreamRequest& request);

}  // namespace switchyard::providers
