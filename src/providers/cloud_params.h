// Reading a cloud deployment's parameters: LiteLLM's param names first, then the environment
// variables the clouds' own SDKs read. Config-load time only (getenv is not for the hot path).
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <string>

#include "config/config.h"

namespace switchyard::providers {

inline std::string param_or_env(const config::Deployment& d, std::initializer_list<const char*> params,
                                std::initializer_list<const char*> env = {}) {
  for (const char* name : params)
    if (const auto it = d.params.find(name); it != d.params.end() && !it->second.empty()) return it->second;
  for (const char* name : env)
    if (const char* value = std::getenv(name); value && *value) return value;
  return {};
}

}  // namespace switchyard::providers
