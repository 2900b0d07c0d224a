// The mock's side of every cloud credential flow, issuing short-lived credentials and accepting
// only what it issued, as the real services do:
//   AWS   STS AssumeRoleWithWebIdentity (unsigned; the configured web identity token) and
//         AssumeRole (SigV4, service sts, with the base keys or keys it issued), answered in
//         STS's XML; ECS/EKS container credentials (GET /v1/credentials or /ecs/…, with the
//         authorization token); EC2 IMDSv2 (PUT /latest/api/token, GET …/security-credentials/…).
//         Bedrock then accepts a SigV4 signature by issued keys only with their session token and
//         before their expiry (ExpiredTokenException after).
//   Google refresh_token and token-exchange grants at …/token (besides the JWT-bearer grant of
//         cloud_auth.h), …:generateAccessToken (impersonation, Bearer of an issued token), the
//         metadata server (/computeMetadata/v1/…, Metadata-Flavor: Google), and a subject-token
//         URL (GET /mock/subject-token, Metadata: True → {"access_token": subject_token}).
//   Azure Entra ID …/oauth2/v2.0/token (client secret or federated client assertion), IMDS
//         /metadata/identity/oauth2/token (Metadata: true); Azure OpenAI paths then need the
//         api-key or an issued token.
//   Databricks …/oidc/v1/token (Basic client_id:client_secret); /serving-endpoints then need the
//         PAT or an issued token.
// GET /mock/credentials counts grants and refusals per flow. Thread-safe (one mutex; the
// credential flows are rare next to chat calls, and sections that are not configured cost nothing).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/types.h"
#include "mock/call_stats.h"
#include "mock/mock_config.h"

namespace switchyard::mock {

class CredentialIssuer {
 public:
  explicit CredentialIssuer(const CloudCredentials& config) : config_(config) {}

  // The answer when `request` is a credential endpoint this mock serves, else nullopt.
  std::optional<http::Response> answer(const http::Request& request, std::string_view path);

  // SigV4 secret lookup over issued temporary keys: the secret when `akid` was issued, its
  // session token is `session_token` and it has not expired. `expired` is set when it had.
  std::optional<std::string> issued_aws_secret(std::string_view akid, std::string_view session_token, bool& expired) const;
  bool issued_google_token(std::string_view token) const;
  // nullopt when an Azure / Databricks chat request carries acceptable credentials (or that
  // cloud's section is not configured); else the refusal.
  std::optional<http::Response> check_azure(const http::Request& request) const;
  std::optional<http::Response> check_databricks(const http::Request& request) const;

  // Called by CloudAuth for the tokens its JWT-bearer grant issues.
  void remember_google_token(const std::string& token, std::chrono::seconds ttl);

 private:
  using Steady = std::chrono::steady_clock;
  struct IssuedAws {
    std::string secret;
    std::string session_token;
    Steady::time_point expires;
  };
  http::Response sts(const http::Request& request, std::string_view action, const std::map<std::string, std::string>& form);
  http::Response aws_container(const http::Request& request);
  http::Response aws_imds(const http::Request& request, std::string_view path);
  http::Response google_token(const std::map<std::string, std::string>& form, std::string_view grant);
  http::Response google_impersonate(const http::Request& request);
  http::Response google_metadata(const http::Request& request, std::string_view path);
  http::Response entra_token(const std::map<std::string, std::string>& form);
  http::Response azure_imds(const http::Request& request);
  http::Response databricks_token(const http::Request& request, const std::map<std::string, std::string>& form);

  std::string issue_aws(std::string& secret, std::string& session_token, std::chrono::system_clock::time_point& expiry);
  std::string issue_token(std::string_view prefix, std::chrono::seconds ttl);
  bool issued_token_ok(std::string_view token) const;
  void count(const std::string& flow, bool granted);

  const CloudCredentials& config_;
  mutable std::mutex mutex_;
  std::uint64_t next_ = 1;
  std::map<std::string, IssuedAws, std::less<>> aws_;
  std::map<std::string, Steady::time_point, std::less<>> tokens_;  // bearer tokens of every cloud
  std::map<std::string, std::string, std::less<>> imds_sessions_;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> counts_;  // flow → granted, refused
};

}  // namespace switchyard::mock
