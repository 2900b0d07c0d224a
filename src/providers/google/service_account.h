// Google service-account credentials for Vertex AI: the key file (LiteLLM's `vertex_credentials`,
// a path or the JSON itself), the signed JWT assertion exchanged for an OAuth access token, and
// the token endpoint's form body and answer. Flow:
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
// Also the other side, for the mock token endpoint: parse the form, verify the assertion.
// Pure code except `load_service_account` (reads a file: config load only, never the hot path).
// Errors are values; nothing throws on bad input.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::providers::google {

inline constexpr std::string_view kDefaultTokenUri = "https://oauth2.googleapis.com/token";
inline constexpr std::string_view kCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
// Google accepts assertions valid for at most one hour.
inline constexpr std::chrono::seconds kAssertionLifetime{3600};
// A service-account key file is ~2.3 KiB; anything far larger is not one.
inline constexpr std::size_t kMaxKeyFileBytes = 1 << 20;

template <class T>
struct Result {
  std::optional<T> value;
  std::string error;  // why, when value is empty
  bool ok() const { return value.has_value(); }
  static Result success(T v) { return {std::move(v), {}}; }
  static Result failure(std::string why) { return {std::nullopt, std::move(why)}; }
};

struct ServiceAccount {
  std::string client_email;
  std::string private_key_pem;
  std::string private_key_id;
  std::string token_uri;
  std::string project_id;
};

// The key file's JSON (type "service_account"). The error names the missing or wrong field.
Result<ServiceAccount> parse_service_account(std::string_view json_text);
// `vertex_credentials` is either the JSON text itself or a path to the key file.
Result<ServiceAccount> load_service_account(std::string_view path_or_json);

// The RS256-signed JWT (header alg/typ/kid; claims iss, scope, aud = token_uri, iat, exp).
Result<std::string> make_jwt_assertion(const ServiceAccount& account, std::string_view scope,
                                       std::chrono::system_clock::time_point now);

// The application/x-www-form-urlencoded body POSTed to token_uri.
std::string token_request_body(std::string_view jwt);

struct AccessToken {
  std::string access_token;
  std::int64_t expires_in_seconds = 0;
};
// The token endpoint's answer; Google's {"error":"invalid_grant","error_description":"…"} becomes
// the error "invalid_grant: …".
Result<AccessToken> parse_token_response(std::string_view body);

// For the mock token endpoint: checks an RS256 JWT against a public key PEM, or a private key PEM
// (its public half is used, so the mock can share the service-account file). Returns the claims.
// Fails on bad format, alg other than RS256, a bad signature, or exp <= now.
Result<boost::json::object> verify_jwt_rs256(std::string_view jwt, std::string_view public_or_private_key_pem,
                                             std::chrono::system_clock::time_point now);

// application/x-www-form-urlencoded → name → value, percent-decoded ('+' is a space). Later
// duplicates win. Fails on malformed percent escapes.
Result<std::map<std::string, std::string>> parse_form(std::string_view body);

// RFC 7515 §2 base64url without padding (JWT segments).
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace switchyard::providers::google
