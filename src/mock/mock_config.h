// The mock's YAML config: per-model behaviour plus a default for models not listed.
//
//   models:
//     claude-no-credit:  {fault: quota_exhausted}
//     gpt-flaky:         {script: [rate_limit, ok], retry_after: 1}   # per call; the last repeats
//     slow-model:        {reply: "hi", latency_ms: 50, chunk_delay_ms: 10}
//     gpt-mid-stream:    {fault: stream_error_after_content}              # streaming faults too
//     gpt-tools:         {tool_call: {name: get_weather, arguments: {city: Paris}}}
//     "/no-credit|claude-opus-4-6": {fault: quota_exhausted}        # only under that path prefix
//     claude-opus-4-6-b: {model: claude-opus-4-6, path_prefix: /v1}  # same, spelled as fields
//     "/no-credit|*":    {fault: quota_exhausted}                   # any model under the prefix
//   default: {reply: "Hello from the mock"}
//   google: {service_account: /path/key.json}   # or the key JSON itself; Vertex token endpoint
//           (token_ttl_seconds: N — lifetime of issued tokens, default 3600)
//   gemini: {api_key: K}                        # absent: any Gemini API key is accepted
//   aws: {access_key_id: AKID, secret_access_key: S, region: us-east-1}  # Bedrock SigV4
//        (web_identity_token, role_arn, external_id, container_token, credentials_ttl_seconds: STS,
//         container and instance-metadata flows, see cloud_credentials.h)
//   google: … client_id, client_secret, refresh_token (authorized_user), subject_token, audience
//           (external_account), metadata_project; service_account is optional
//   azure: {tenant_id, client_id, client_secret, federated_token, api_key, token_ttl_seconds}
//   databricks: {client_id, client_secret, token, token_ttl_seconds}
//
// Without `google:` the token endpoint refuses every assertion and Vertex accepts any Bearer
// token; without `aws:` Bedrock requests are not signature-checked.
//
// The key is the upstream model name, or "<path-prefix>|<model>" when two deployments send the
// same model name through different api_bases; `model:`/`path_prefix:` fields say the same and win
// over the key. Matching (see BehaviourTable): an exact model beats `*`, then the longest path
// prefix that the request path starts with wins; nothing matching → `default`.
// Errors carry file:line:col; an unknown fault name or field is an error, not a warning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "mock/behaviour.h"
#include "providers/google/service_account.h"

namespace switchyard::mock {

inline constexpr std::string_view kAnyModel = "*";

struct ModelEntry {
  std::string model;  // upstream model name, or kAnyModel
  Behaviour behaviour;
};

inline constexpr std::string_view kDefaultAwsRegion = "us-east-1";

// Credential flows (cloud_credentials.h): an empty field is not checked / that flow refused.
struct AwsMockCredentials {
  std::string access_key_id;  // the base keys (static, or the source of AssumeRole)
  std::string secret_access_key;
  std::string region{kDefaultAwsRegion};
  std::string web_identity_token;  // AssumeRoleWithWebIdentity accepts this token only
  std::string role_arn;            // roles STS lets callers assume (empty: any)
  std::string external_id;         // AssumeRole must carry it when set
  std::string container_token;     // container credentials endpoint's Authorization
  long credentials_ttl_seconds = 3600;  // lifetime of issued temporary keys
};

struct GoogleMockFlows {
  std::string client_id, client_secret, refresh_token;  // authorized_user
  std::string subject_token, audience;                  // external_account (STS token exchange)
  std::string metadata_project = "mock-project";        // metadata server's project id
};

struct AzureMockCredentials {
  std::string tenant_id, client_id, client_secret, federated_token, api_key;
  long token_ttl_seconds = 3600;
};

struct DatabricksMockCredentials {
  std::string client_id, client_secret, token;  // token: a personal access token
  long token_ttl_seconds = 3600;
};

// What the cloud endpoints check callers against (cloud_auth.h, cloud_credentials.h).
struct CloudCredentials {
  std::optional<providers::google::ServiceAccount> google_account;
  std::optional<GoogleMockFlows> google;  // set whenever a google: section is given
  long google_token_ttl_seconds = 3600;  // expires_in of issued tokens (short: exercise refresh)
  std::optional<std::string> gemini_api_key;
  std::optional<AwsMockCredentials> aws;
  std::optional<AzureMockCredentials> azure;
  std::optional<DatabricksMockCredentials> databricks;
};

struct MockConfig {
  std::vector<ModelEntry> models;
  Behaviour default_behaviour;
  CloudCredentials cloud;
};

struct MockConfigResult {
  MockConfig config;
  std::vector<config::Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

MockConfigResult load_mock_config_file(const std::string& path);
MockConfigResult load_mock_config_text(std::string_view yaml, const std::string& display_name);

// Splits "<prefix>|<model>" (prefix may be empty); a key without '|' is a bare model.
std::pair<std::string, std::string> split_model_key(std::string_view key);

}  // namespace switchyard::mock
