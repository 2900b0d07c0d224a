// Gemini API (Google AI Studio): POST {api_base}/v1beta/models/{model}:generateContent, or
// :streamGenerateContent?alt=sse, with the key in `x-goog-api-key` (api_key, else GEMINI_API_KEY).
// Bodies through gemini_dialect. https://ai.google.dev/api/generate-content
#include "providers/cloud_params.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
class GeminiAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  const NativeDialect* dialect() const override { return &gemini_dialect(); }
  void configure(Endpoint& e) const override {
    e.api_key = e.deployment->api_key.empty() ? param_or_env(*e.deployment, {}, {"GEMINI_API_KEY"}) : e.deployment->api_key;
    if (e.api_key.empty()) {
      e.adapter = nullptr;
      e.unusable_reason = "gemini deployments need api_key (or GEMINI_API_KEY in the environment)";
    }
  }
  void shape_body(const Endpoint&, boost::json::object&) const override {}  // the model is in the URL
  void prepare(const Endpoint& e, bool stream, http::UpstreamRequest& out) const override {
    const auto& d = *e.deployment;
    out.target = e.base.path + "/v1beta/models/" + d.model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    out.headers.emplace_back("x-goog-api-key", e.api_key);
  }
};
}  // namespace

const ProviderAdapter& gemini_adapter() {
  static const GeminiAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
