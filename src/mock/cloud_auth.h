// The callers' credentials the cloud endpoints check, as the real services do: the Google OAuth
// token endpoint (a JWT-bearer assertion signed with the configured service account's key, for
// an access token the mock remembers), Vertex's Bearer tokens, Gemini API keys and Bedrock's SigV4
// signatures. Thread-safe; the issued-token set is the only state (a mutex, off the hot path of
// the classic endpoints).
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "mock/call_stats.h"
#include "mock/cloud_credentials.h"
#include "mock/mock_config.h"

namespace switchyard::mock {

inline constexpr std::string_view kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

struct TokenAnswer {
  int status = 200;
  std::string body;  // Google's JSON: the token, or {"error":…,"error_description":…}
  bool granted = false;
};

enum class SigV4Check { ok, unknown_access_key, bad_signature, expired_token };

class CloudAuth {
 public:
  explicit CloudAuth(CloudCredentials credentials) : credentials_(std::move(credentials)), issuer_(credentials_) {}

  // The other credential flows (STS, metadata servers, Entra, Databricks): cloud_credentials.h.
  CredentialIssuer& issuer() { return issuer_; }

  // POST …/token with `grant_type=…jwt-bearer&assertion=<JWT>`: verifies the RS256 signature with
  // the service account's key and the claims iss == client_email, scope ∋ cloud-platform,
  // aud == token_uri, exp > now. Granted: {"access_token":"mock-token-<n>","expires_in":3600,…}.
  TokenAnswer grant(std::string_view form_body, std::chrono::system_clock::time_point now);

  // `authorization: Bearer <token>`: a token this mock issued and that has not expired (any
  // non-empty token when no google section is configured).
  bool bearer_ok(std::string_view authorization_header) const;
  // Gemini's key (x-goog-api-key or ?key=): the configured one; any non-empty key when none is.
  bool gemini_key_ok(std::string_view key) const;
  // SigV4 for service `bedrock` in the configured region, by the base keys or temporary keys this
  // mock issued (with their session token, before expiry); `ok` when no aws section is set.
  SigV4Check check_sigv4(std::string_view method, std::string_view target, const HeaderList& headers,
                         std::string_view payload, std::chrono::system_clock::time_point now) const;

 private:
  CloudCredentials credentials_;
  CredentialIssuer issuer_;
  std::atomic<std::uint64_t> next_token_{1};
};

}  // namespace switchyard::mock
