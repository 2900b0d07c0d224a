// Hex digits, SHA-256 digests and HMAC-SHA-256, shared by SigV4 signing, deployment ids, Responses
// ids and the Responses store's key fingerprints (OpenSSL's libcrypto; no I/O).
#pragma once

#include <string>
#include <string_view>

namespace switchyard::core {

// Two lower-case hex digits per byte of `bytes`.
std::string hex_lower(std::string_view bytes);

// SHA-256 of `data` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// HMAC-SHA-256 of `data` keyed with `key` (RFC 2104), as 64 lower-case hex digits.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace switchyard::core
