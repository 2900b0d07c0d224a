// Azure OpenAI: POST {api_base}/openai/deployments/{deployment}/chat/completions?api-version=V
// with an `api-key` header, an Entra ID bearer token given as azure_ad_token, or one fetched and
// refreshed from Entra ID (auth/entra.h: client secret, workload identity, managed identity).
// https://learn.microsoft.com/azure/ai-services/openai/reference
#include "providers/auth/entra.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
class AzureAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  void configure(Endpoint& e) const override { e.credentials = auth::choose_entra_credentials(*e.deployment); }
  void prepare(const Endpoint& e, bool, http::UpstreamRequest& out) const override {
    const auto& d = *e.deployment;
    const auto& base = e.base;
    out.target = base.path + "/openai/deployments/" + d.model + "/chat/completions?api-version=" + d.api_version;
    if (const auto token = d.params.find("azure_ad_token"); token != d.params.end() && !token->second.empty())
      out.headers.emplace_back("authorization", "Bearer " + token->second);
    else if (!d.api_key.empty())
      out.headers.emplace_back("api-key", d.api_key);
  }
};
}  // namespace

const ProviderAdapter& azure_adapter() {
  static const AzureAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
