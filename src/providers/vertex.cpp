// Vertex AI: Anthropic's Claude models through rawPredict / streamRawPredict (Anthropic's Messages
// format, `anthropic_version: vertex-2023-10-16` in the body, no `model`), and Google's Gemini
// models through generateContent / streamGenerateContent (gemini_dialect), under
//   https://{location}-aiplatform.googleapis.com/v1/projects/{project}/locations/{location}/
//     publishers/{anthropic|google}/models/{model}:{method}
// Auth: Application Default Credentials (google/adc.h: `vertex_credentials` or
// GOOGLE_APPLICATION_CREDENTIALS, else the metadata server), cached and refreshed by an
// auth::CredentialSource; or `api_key` used as a ready-made access token.
// https://cloud.google.com/vertex-ai/generative-ai/docs/partner-models/claude/use-claude
#include "providers/cloud_params.h"
#include "providers/google/adc.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
constexpr const char* kVertexAnthropicVersion = "vertex-2023-10-16";
constexpr const char* kDefaultLocation = "us-central1";

void configure_vertex(Endpoint& e) {
  const auto& d = *e.deployment;
  const auto unusable = [&e](std::string why) {
    e.adapter = nullptr;
    e.unusable_reason = std::move(why);
  };
  e.vertex_project = param_or_env(d, {"vertex_project", "vertex_ai_project"}, {"VERTEXAI_PROJECT", "GOOGLE_CLOUD_PROJECT"});
  const auto credentials = param_or_env(d, {"vertex_credentials"}, {"GOOGLE_APPLICATION_CREDENTIALS"});
  // A given access token (api_key) is used as it is; otherwise Application Default Credentials.
  if (!credentials.empty() || d.api_key.empty()) {
    auto chosen = google::choose_credentials(credentials, e.vertex_project.empty());
    if (!chosen.source) return unusable("vertex_credentials: " + chosen.error);
    e.credentials = std::move(chosen.source);
    if (e.vertex_project.empty()) e.vertex_project = chosen.project;
  }
  if (e.vertex_project.empty())
    return unusable("vertex_ai deployments need vertex_project (or credentials that name one, or a metadata server)");
  e.vertex_location = param_or_env(d, {"vertex_location", "vertex_ai_location"}, {"VERTEXAI_LOCATION"});
  if (e.vertex_location.empty()) e.vertex_location = kDefaultLocation;
  if (e.base.host.empty()) {
    e.base.tls = true;
    e.base.port = "443";
    e.base.host = e.vertex_location == "global" ? "aiplatform.googleapis.com"
                                                : e.vertex_location + "-aiplatform.googleapis.com";
  }
}

// An api_base that already holds the model's path (".../publishers/google/models/gemini-x", or a
// private ".../endpoints/123") is used as LiteLLM uses it: the method is appended after a colon.
std::string model_path(const Endpoint& e, std::string_view publisher) {
  if (e.base.path.find("/models/") != std::string::npos || e.base.path.find("/endpoints/") != std::string::npos)
    return e.base.path;
  return e.base.path + "/v1/projects/" + e.vertex_project + "/locations/" + e.vertex_location + "/publishers/" +
         std::string(publisher) + "/models/" + e.deployment->model;
}

// A fetched token is added per call (ProviderAdapter::authorize); a given token here.
void add_static_auth(const Endpoint& e, http::UpstreamRequest& out) {
  if (!e.credentials && !e.deployment->api_key.empty())
    out.headers.emplace_back("authorization", "Bearer " + e.deployment->api_key);
}

class VertexClaudeAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::anthropic; }
  void configure(Endpoint& e) const override { configure_vertex(e); }
  void shape_body(const Endpoint&, boost::json::object& body) const override {
    body.erase("model");  // the model is in the URL
    body["anthropic_version"] = kVertexAnthropicVersion;
  }
  void prepare(const Endpoint& e, bool stream, http::UpstreamRequest& out) const override {
    out.target = model_path(e, "anthropic") + (stream ? ":streamRawPredict" : ":rawPredict");
    add_static_auth(e, out);
  }
};

class VertexGeminiAdapter final : public ProviderAdapter {
 public:
  core::WireFormat wire_format() const override { return core::WireFormat::openai; }
  const NativeDialect* dialect() const override { return &gemini_dialect(); }
  void configure(Endpoint& e) const override { configure_vertex(e); }
  void shape_body(const Endpoint&, boost::json::object&) const override {}  // the model is in the URL
  void prepare(const Endpoint& e, bool stream, http::UpstreamRequest& out) const override {
    out.target = model_path(e, "google") + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    add_static_auth(e, out);
  }
};
}  // namespace

const ProviderAdapter& vertex_claude_adapter() {
  static const VertexClaudeAdapter adapter;
  return adapter;
}

const ProviderAdapter& vertex_gemini_adapter() {
  static const VertexGeminiAdapter adapter;
  return adapter;
}

}  // namespace switchyard::providers
