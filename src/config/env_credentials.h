// Where LiteLLM finds a deployment's credentials and endpoint when the config does not give them:
// the provider's usual environment variables (OPENAI_API_KEY, AZURE_API_BASE, …). One table, read at
// load time; `check` reports which variable each deployment reads and fails when a required one is
// not set.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_loader.h"

namespace switchyard::config {

using EnvNames = std::array<std::string_view, 7>;  // unused slots are empty

struct EnvSources {
  std::string_view prefix;  // LiteLLM provider prefix ("openai", "groq", …)
  EnvNames api_key;
  EnvNames api_base;
  EnvNames api_version;
  bool key_required;  // the hosted service refuses calls without one
  // Params or variables that authenticate instead of an api key (Azure AD, Databricks OAuth):
  // handled by the provider's credential chain, so a missing key is not a problem then.
  EnvNames key_alternatives;
};

const EnvSources* env_sources_for(std::string_view prefix);

// Every setting of a loaded deployment that comes from the environment, as (setting, variable)
// pairs: what apply_env_credentials filled in, and the cloud variables the provider adapters read
// (VERTEXAI_PROJECT, AWS_REGION, …) when the params do not set them. For `check`; never values.
std::vector<std::pair<std::string, std::string>> environment_sources(const Deployment& d, const EnvLookup& env);

}  // namespace switchyard::config
