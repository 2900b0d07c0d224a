#include "providers/auth/credential_summary.h"

#include "providers/auth/credential_source.h"
#include "providers/cloud_params.h"

namespace switchyard::providers::auth {

std::string credential_summary(const Endpoint& e) {
  if (!e.adapter) return "cannot be called: " + e.unusable_reason;
  if (e.credentials) return e.credentials->describe();
  const auto& d = *e.deployment;
  if (!param_or_env(d, {"azure_ad_token"}).empty()) return "azure_ad_token (a given Entra ID token)";
  if (!d.api_key.empty() || !e.api_key.empty()) return "api_key";
  return "no credentials";
}

}  // namespace switchyard::providers::auth
