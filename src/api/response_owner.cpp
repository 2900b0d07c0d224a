#include "api/response_owner.h"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

#include "api/key_limits.h"

namespace switchyard::api {

std::string key_fingerprint(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(key.data(), key.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

StoreCaller store_caller(const http::RequestHead& request, const config::GeneralSettings& general) {
  if (general.master_key.empty() && general.keys.empty()) return {.owner = {}, .sees_all = true};
  const auto presented = presented_key(request);
  return {.owner = key_fingerprint(presented), .sees_all = same_secret(presented, general.master_key)};
}

}  // namespace switchyard::api
