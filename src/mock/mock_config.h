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

struct AwsMockCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string region{kDefaultAwsRegion};
};

// What the cloud endpoints check callers against (cloud_auth.h).
struct CloudCredentials {
  std::optional<providers::google::ServiceAccount> google_account;
  long google_token_ttl_seconds = 3600;  // expires_in of issued tokens (short: exercise refresh)
  std::optional<std::string> gemini_api_key;
  std::optional<AwsMockCredentials> aws;
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
