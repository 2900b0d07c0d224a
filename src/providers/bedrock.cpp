// AWS Bedrock runtime, Converse API: POST {endpoint}/model/{modelId}/converse, or
// /converse-stream (binary application/vnd.amazon.eventstream), signed with SigV4 (service
// "bedrock"). Host https://bedrock-runtime.{region}.amazonaws.com unless api_base (or LiteLLM's
// aws_bedrock_runtime_endpoint) says otherwise. Credentials: the AWS SDKs' chain
// (aws/credential_chain.h), temporary ones sent with x-amz-security-token.
// Bodies through bedrock_dialect.
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
#include <chrono>

#include "providers/auth/credential.h"
#include "providers/aws/credential_chain.h"
#include "providers/cloud_params.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
constexpr const char* kService = "bedrock";

// LiteLLM spells the API in the model name (bedrock/converse/<id>, bedrock/invoke/<id>); the id
// is what follows. Switchyard always calls Converse.
std::string_view model_id(std::string_view model) {
  for (std::string_view route : {"converse/", "invoke/"})
    if (model.starts_with(route)) return model.substr(route.size());
  return model;
}

class BedrockAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  const NativeDialect* dialect() const override { return &bedrock_dialect(); }

  void configure(Endpoint& e) const override {
    const auto& d = *e.deployment;
    const auto unusable = [&e](std::string why) {
      e.adapter = nullptr;
      e.unusable_reason = std::move(why);
    };
    e.aws_region = param_or_env(d, {"aws_region_name"}, {"AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"});
    if (e.aws_region.empty()) return unusable("bedrock deployments need aws_region_name (or AWS_REGION)");
    auto chosen = aws::choose_credentials(d, e.aws_region);
    if (!chosen.source) return unusable("bedrock: " + chosen.error);
    e.credentials = std::move(chosen.source);
    if (e.base.host.empty()) {
      const auto endpoint = param_or_env(d, {"aws_bedrock_runtime_endpoint"});
      if (auto url = http::parse_url(endpoint.empty() ? "https://bedrock-runtime." + e.aws_region + ".amazonaws.com"
                                                      : endpoint)) {
        e.base = *url;
      } else {
        return unusable("aws_bedrock_runtime_endpoint '" + endpoint + "' is not an http(s) URL");
      }
    }
  }

  void shape_body(const Endpoint&, boost::json::object&) const override {}  // the model is in the URL

  void prepare(const Endpoint& e, bool stream, http::UpstreamRequest& out) const override {
    // Model ids carry ':' (…-v1:0): encoded once on the wire; SigV4 encodes the path again.
    out.target = e.base.path + "/model/" + aws::uri_encode(model_id(e.deployment->model), true) +
                 (stream ? "/converse-stream" : "/converse");
    if (stream) http::set_header(out.headers, "accept", "application/vnd.amazon.eventstream");
  }

  void authorize(const Endpoint& e, const auth::Credential* credential, http::UpstreamRequest& out) const override {
    if (!credential) return;
    aws::SigningInput in;
    in.method = "POST";
    in.host = http::host_header(e.base);
    in.target = out.target;
    in.headers = out.headers;
    in.payload = out.body;
    in.region = e.aws_region;
    in.service = kService;
    in.now = std::chrono::system_clock::now();
    for (auto& header : aws::sign(in, credential->aws)) out.headers.push_back(std::move(header));
  }
};
}  // namespace

const ProviderAdapter& bedrock_adapter() {
  static const BedrockAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
