// OpenAI Chat Completions and every OpenAI-compatible server (vLLM, Ollama, Groq, Together…):
// POST {api_base}/chat/completions (api_base includes /v1) with a bearer key.
// https://platform.openai.com/docs/api-reference/chat
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
class OpenAiAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  void prepare(const Endpoint& e, bool, http::UpstreamRequest& out) const override {
    const auto& d = *e.deployment;
    const auto& base = e.base;
    out.target = base.path + "/chat/completions";
    if (!d.api_key.empty()) out.headers.emplace_back("authorization", "Bearer " + d.api_key);
    if (const auto org = d.params.find("organization"); org != d.params.end())
      out.headers.emplace_back("openai-organization", org->second);
  }
};
}  // namespace

const ProviderAdapter& openai_adapter() {
  static const OpenAiAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
