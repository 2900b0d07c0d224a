#include "config/env_credentials.h"

#include <array>

namespace switchyard::config {
namespace {

// Variable names as LiteLLM reads them (litellm/llms/*, get_llm_provider_logic.py), first wins.
const std::array<EnvSources, 24> kSources = {{
    {"openai", {"OPENAI_API_KEY"}, {"OPENAI_BASE_URL", "OPENAI_API_BASE"}, {}, true, {}},
    {"anthropic", {"ANTHROPIC_API_KEY"}, {"ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL"}, {}, true, {}},
    {"azure", {"AZURE_API_KEY", "AZURE_OPENAI_API_KEY"}, {"AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"},
     {"AZURE_API_VERSION"}, true,
     {"azure_ad_token", "tenant_id", "client_id", "azure_username", "AZURE_CLIENT_ID", "AZURE_AD_TOKEN",
      "AZURE_FEDERATED_TOKEN_FILE"}},
    {"azure_ai", {"AZURE_AI_API_KEY"}, {"AZURE_AI_API_BASE"}, {}, true, {}},
    {"databricks", {"DATABRICKS_API_KEY", "DATABRICKS_TOKEN"}, {"DATABRICKS_API_BASE", "DATABRICKS_HOST"}, {}, true,
     {"databricks_client_id", "DATABRICKS_CLIENT_ID"}},
    {"gemini", {"GEMINI_API_KEY", "GOOGLE_API_KEY"}, {"GEMINI_API_BASE"}, {}, true, {}},
    {"groq", {"GROQ_API_KEY"}, {"GROQ_API_BASE"}, {}, true, {}},
    {"together_ai", {"TOGETHERAI_API_KEY", "TOGETHER_AI_API_KEY", "TOGETHER_API_KEY"}, {"TOGETHERAI_API_BASE"}, {},
     true, {}},
    {"deepseek", {"DEEPSEEK_API_KEY"}, {"DEEPSEEK_API_BASE"}, {}, true, {}},
    {"mistral", {"MISTRAL_API_KEY"}, {"MISTRAL_API_BASE"}, {}, true, {}},
    {"fireworks_ai", {"FIREWORKS_API_KEY", "FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY", "FIREWORKS_AI_TOKEN"},
     {"FIREWORKS_API_BASE"}, {}, true, {}},
    {"openrouter", {"OPENROUTER_API_KEY", "OR_API_KEY"}, {"OPENROUTER_API_BASE"}, {}, true, {}},
    {"perplexity", {"PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"}, {"PERPLEXITY_API_BASE"}, {}, true, {}},
    {"xai", {"XAI_API_KEY"}, {"XAI_API_BASE"}, {}, true, {}},
    {"cerebras", {"CEREBRAS_API_KEY"}, {"CEREBRAS_API_BASE"}, {}, true, {}},
    {"deepinfra", {"DEEPINFRA_API_KEY"}, {"DEEPINFRA_API_BASE"}, {}, true, {}},
    {"hosted_vllm", {"HOSTED_VLLM_API_KEY"}, {"HOSTED_VLLM_API_BASE"}, {}, false, {}},
    {"vllm", {"HOSTED_VLLM_API_KEY"}, {"HOSTED_VLLM_API_BASE"}, {}, false, {}},
    {"ollama", {"OLLAMA_API_KEY"}, {"OLLAMA_API_BASE"}, {}, false, {}},
    {"ollama_chat", {"OLLAMA_API_KEY"}, {"OLLAMA_API_BASE"}, {}, false, {}},
    {"lm_studio", {"LM_STUDIO_API_KEY"}, {"LM_STUDIO_API_BASE"}, {}, false, {}},
    {"openai_like", {"OPENAI_LIKE_API_KEY"}, {"OPENAI_LIKE_API_BASE"}, {}, false, {}},
    {"custom_openai", {"CUSTOM_OPENAI_API_KEY"}, {"CUSTOM_OPENAI_API_BASE"}, {}, false, {}},
    {"openai_compatible", {}, {}, {}, false, {}},
}};

}  // namespace

std::vector<std::pair<std::string, std::string>> environment_sources(const Deployment& d, const EnvLookup& env) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!d.api_key_env.empty()) out.emplace_back("api_key", d.api_key_env);
  if (!d.api_base_env.empty()) out.emplace_back("api_base", d.api_base_env);
  if (!d.api_version_env.empty()) out.emplace_back("api_version", d.api_version_env);
  struct CloudSetting {
    core::Provider provider;
    std::array<const char*, 2> params;
    std::array<const char*, 2> variables;
  };
  // The adapters' own fallbacks (providers/vertex.cpp, providers/bedrock.cpp), listed for check.
  static const CloudSetting kCloud[] = {
      {core::Provider::vertex_ai, {"vertex_project", "vertex_ai_project"}, {"VERTEXAI_PROJECT", nullptr}},
      {core::Provider::vertex_ai, {"vertex_location", "vertex_ai_location"}, {"VERTEXAI_LOCATION", nullptr}},
      {core::Provider::vertex_ai, {"vertex_credentials", nullptr}, {"GOOGLE_APPLICATION_CREDENTIALS", nullptr}},
      {core::Provider::bedrock, {"aws_region_name", nullptr}, {"AWS_REGION", "AWS_DEFAULT_REGION"}},
      {core::Provider::bedrock, {"aws_access_key_id", nullptr}, {"AWS_ACCESS_KEY_ID", nullptr}},
  };
  for (const auto& c : kCloud) {
    if (c.provider != d.provider || !env) continue;
    const bool in_params = (c.params[0] && d.params.contains(c.params[0])) || (c.params[1] && d.params.contains(c.params[1]));
    if (in_params) continue;
    for (const char* var : c.variables)
      if (var && env(var).value_or("") != "") {
        out.emplace_back(c.params[0], var);
        break;
      }
  }
  return out;
}

const EnvSources* env_sources_for(std::string_view prefix) {
  for (const auto& s : kSources)
    if (s.prefix == prefix) return &s;
  return nullptr;
}

}  // namespace switchyard::config
