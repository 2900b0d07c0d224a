// Databricks Model Serving (foundation and external models): OpenAI's chat format at
// POST {api_base}/chat/completions, api_base ending in /serving-endpoints, bearer token: a
// personal access token (api_key) or an OAuth M2M token (auth/entra.h), fetched and refreshed.
// https://docs.databricks.com/en/machine-learning/model-serving/score-foundation-models.html
#include "providers/auth/entra.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
class DatabricksAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  void configure(Endpoint& e) const override { e.credentials = auth::choose_databricks_credentials(*e.deployment, e.base); }
  void prepare(const Endpoint& e, bool, http::UpstreamRequest& out) const override {
    const auto& d = *e.deployment;
    const auto& base = e.base;
    out.target = base.path + "/chat/completions";
    if (!d.api_key.empty()) out.headers.emplace_back("authorization", "Bearer " + d.api_key);
  }
};
}  // namespace

const ProviderAdapter& databricks_adapter() {
  static const DatabricksAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
