// Provider identities and the LiteLLM model-prefix table ("anthropic/claude-…", "groq/llama-…").
// Pure data: which wire protocol a prefix speaks and its default api_base. No I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::core {

// One value per wire protocol / error vocabulary Switchyard speaks.
enum class Provider {
  anthropic,
  openai,
  azure,
  databricks,
  vertex_ai,
  gemini,
  bedrock,
  openai_compatible,
};

std::string_view to_string(Provider p);
std::optional<Provider> provider_from_string(std::string_view name);
std::span<const Provider> all_providers();

struct PrefixInfo {
  std::string_view prefix;            // as written in `model:` before the first '/'
  Provider provider;                  // protocol it speaks
  std::string_view default_api_base;  // empty: api_base is required (or derived from params)
};

// LiteLLM prefixes Switchyard accepts, including the OpenAI-compatible services.
std::span<const PrefixInfo> known_prefixes();
const PrefixInfo* find_prefix(std::string_view prefix);

// LiteLLM's inference for a model written without a prefix ("gpt-4o" → openai).
std::optional<Provider> infer_provider(std::string_view bare_model);

}  // namespace switchyard::core
