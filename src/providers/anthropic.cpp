// Anthropic Messages API: POST {api_base}/v1/messages with x-api-key and anthropic-version.
// https://docs.anthropic.com/en/api/messages
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
constexpr const char* kDefaultAnthropicVersion = "2023-06-01";

class AnthropicAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::anthropic; }
  void prepare(const Endpoint& e, bool, http::UpstreamRequest& out) const override {
    const auto& d = *e.deployment;
    const auto& base = e.base;
    out.target = base.path + "/v1/messages";
    if (!d.api_key.empty()) out.headers.emplace_back("x-api-key", d.api_key);
    const auto version = d.params.find("anthropic_version");
    out.headers.emplace_back("anthropic-version", version != d.params.end() ? version->second : kDefaultAnthropicVersion);
  }
};
}  // namespace

const ProviderAdapter& anthropic_adapter() {
  static const AnthropicAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
