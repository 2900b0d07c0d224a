#include "core/provider.h"

#include <array>

namespace switchyard::core {
namespace {

constexpr std::array<std::pair<Provider, std::string_view>, 8> kNames = {{
    {Provider::anthropic, "anthropic"},
    {Provider::openai, "openai"},
    {Provider::azure, "azure"},
    {Provider::databricks, "databricks"},
    {Provider::vertex_ai, "vertex_ai"},
    {Provider::gemini, "gemini"},
    {Provider::bedrock, "bedrock"},
    {Provider::openai_compatible, "openai_compatible"},
}};

constexpr std::array<Provider, 8> kAll = {Provider::anthropic, Provider::openai,  Provider::azure,
                                          Provider::databricks, Provider::vertex_ai, Provider::gemini,
                                          Provider::bedrock,   Provider::openai_compatible};

// Default bases follow each service's public docs; OpenAI-style bases include `/v1`.
// Clouds whose host depends on params (region, project) have an empty default here.
constexpr std::array<PrefixInfo, 27> kPrefixes = {{
    {"anthropic", Provider::anthropic, "https://api.anthropic.com"},
    {"openai", Provider::openai, "https://api.openai.com/v1"},
    {"azure", Provider::azure, ""},
    {"azure_ai", Provider::openai_compatible, ""},
    {"databricks", Provider::databricks, ""},
    {"vertex_ai", Provider::vertex_ai, ""},
    {"vertex_ai_beta", Provider::vertex_ai, ""},
    {"gemini", Provider::gemini, "https://generativelanguage.googleapis.com"},
    {"bedrock", Provider::bedrock, ""},
    {"openai_compatible", Provider::openai_compatible, ""},
    {"openai_like", Provider::openai_compatible, ""},
    {"custom_openai", Provider::openai_compatible, ""},
    {"hosted_vllm", Provider::openai_compatible, ""},
    {"vllm", Provider::openai_compatible, ""},
    {"ollama", Provider::openai_compatible, "http://localhost:11434/v1"},
    {"ollama_chat", Provider::openai_compatible, "http://localhost:11434/v1"},
    {"lm_studio", Provider::openai_compatible, "http://localhost:1234/v1"},
    {"groq", Provider::openai_compatible, "https://api.groq.com/openai/v1"},
    {"together_ai", Provider::openai_compatible, "https://api.together.xyz/v1"},
    {"deepseek", Provider::openai_compatible, "https://api.deepseek.com/v1"},
    {"mistral", Provider::openai_compatible, "https://api.mistral.ai/v1"},
    {"fireworks_ai", Provider::openai_compatible, "https://api.fireworks.ai/inference/v1"},
    {"openrouter", Provider::openai_compatible, "https://openrouter.ai/api/v1"},
    {"perplexity", Provider::openai_compatible, "https://api.perplexity.ai"},
    {"xai", Provider::openai_compatible, "https://api.x.ai/v1"},
    {"cerebras", Provider::openai_compatible, "https://api.cerebras.ai/v1"},
    {"deepinfra", Provider::openai_compatible, "https://api.deepinfra.com/v1/openai"},
}};

}  // namespace

std::string_view to_string(Provider p) {
  for (const auto& [value, name] : kNames)
    if (value == p) return name;
  return "unknown";
}

std::optional<Provider> provider_from_string(std::string_view name) {
  for (const auto& [value, n] : kNames)
    if (n == name) return value;
  return std::nullopt;
}

std::span<const Provider> all_providers() { return kAll; }

std::span<const PrefixInfo> known_prefixes() { return kPrefixes; }

const PrefixInfo* find_prefix(std::string_view prefix) {
  for (const auto& info : kPrefixes)
    if (info.prefix == prefix) return &info;
  return nullptr;
}

std::optional<Provider> infer_provider(std::string_view m) {
  constexpr std::array<std::string_view, 7> kOpenAiStarts = {"gpt-", "o1", "o3", "o4", "chatgpt-",
                                                             "text-", "davinci"};
  for (auto s : kOpenAiStarts)
    if (m.starts_with(s)) return Provider::openai;
  if (m.starts_with("claude-") || m.starts_with("claude")) return Provider::anthropic;
  if (m.starts_with("gemini-")) return Provider::vertex_ai;  // LiteLLM's default for bare gemini
  return std::nullopt;
}

}  // namespace switchyard::core
