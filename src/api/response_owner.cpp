#include "api/response_owner.h"

#include "api/key_limits.h"
#include "core/digest.h"

namespace switchyard::api {

std::string key_fingerprint(std::string_view key, std::string_view secret) {
  return secret.empty() ? core::sha256_hex(key) : core::hmac_sha256_hex(secret, key);
}

StoreCaller store_caller(const http::RequestHead& request, const config::GeneralSettings& general) {
  if (general.master_key.empty() && general.keys.empty()) return {.owner = {}, .sees_all = true};
  const auto presented = presented_key(request);
  return {.owner = key_fingerprint(presented, general.master_key),
          .sees_all = same_secret(presented, general.master_key)};
}

}  // namespace switchyard::api
