// The validated configuration: what the router, the classifier and the server act on.
// Produced only by the loader (config_loader.h); every field is already checked, defaults applied
// and `os.environ/NAME` references resolved. Immutable once loaded; a reload builds a new one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/redis_endpoint.h"
#include "core/provider.h"
#include "errors/classifier.h"

namespace switchyard::config {

struct SourceLocation {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

struct Deployment {
  std::string id;                // model_info.id, else "provider/model@api_base"
  std::string group;             // model_name: what clients ask for
  core::Provider provider = core::Provider::openai_compatible;
  std::string prefix;            // as written: "groq", "anthropic", "" when inferred
  std::string model;             // upstream model name, without the prefix
  std::string api_base;          // empty only for clouds whose host comes from params
  std::string api_key;           // secret: never log
  std::string api_version;       // Azure
  std::optional<std::int64_t> rpm;
  std::optional<std::int64_t> tpm;
  double weight = 1.0;
  std::optional<double> timeout_seconds;
  // Longest silence of a stream (LiteLLM's stream_timeout); router_settings.stream_timeout when
  // the deployment has none (resolved at load).
  std::optional<double> stream_timeout_seconds;
  std::map<std::string, std::string> params;  // other provider params (vertex_project, aws_region_name, …)
  SourceLocation where;
};

struct FallbackRule {
  std::string group;
  std::vector<std::string> targets;
  SourceLocation where;
};

// Strategies LiteLLM defines; the router implements them as they land.
inline constexpr const char* kRoutingStrategies[] = {
    "simple-shuffle", "least-busy", "usage-based-routing", "usage-based-routing-v2",
    "latency-based-routing", "cost-based-routing"};

struct RouterSettings {
  std::string routing_strategy = "simple-shuffle";
  int num_retries = 2;                // LiteLLM/OpenAI SDK default
  int allowed_fails = 3;              // failures per minute before a cooldown
  double cooldown_seconds = 5;        // LiteLLM's default cooldown_time
  std::optional<double> timeout_seconds;  // request-level deadline over all attempts
  std::optional<double> stream_timeout_seconds;  // default of the deployments' stream_timeout
  int max_fallbacks = 5;              // depth limit for fallback chains
  std::vector<FallbackRule> fallbacks;
  std::vector<FallbackRule> context_window_fallbacks;
  std::vector<FallbackRule> content_policy_fallbacks;
  std::vector<std::string> default_fallbacks;
  errors::ClassifierSettings classifier;  // fallback_on, retry_policy, allowed_fails_policy
  std::string redis_url;                  // empty: in-memory state
  std::string redis_password;
  // Resolved from redis_url or redis_host/redis_port/redis_db/redis_password; absent: in-memory.
  std::optional<RedisEndpoint> redis;
};

// A client key of general_settings.keys, accepted like master_key, with optional limits that
// hold across every instance sharing the Redis.
struct ApiKey {
  std::string key;   // secret: never log
  std::string name;  // shown in errors and used as the shared-state subject
  std::optional<std::int64_t> rpm_limit;
  std::optional<std::int64_t> tpm_limit;
  SourceLocation where;
};

// Server limits (read at start; `serve` flags override them). 0 / unset: the built-in default.
struct ServerLimits {
  std::optional<std::int64_t> max_connections;           // open client connections
  std::optional<std::int64_t> max_in_flight_requests;    // chat requests at once (LiteLLM: global_max_parallel_requests)
  std::optional<std::int64_t> max_request_body_memory_mb;  // request bodies held at once
  std::optional<double> client_write_timeout_seconds;    // one write to a client that stopped reading
};

struct GeneralSettings {
  std::string master_key;  // secret: empty means no auth (unless keys are listed)
  std::vector<ApiKey> keys;
  ServerLimits limits;
};

// What of the client's request is passed on to providers (LiteLLM's names).
struct RequestPassing {
  bool drop_params = false;  // litellm_settings.drop_params: drop what a deployment cannot honour
  // general_settings.forward_client_headers_to_llm_api: true forwards the client's x-* headers
  // (not x-stainless-*) as LiteLLM does; a list forwards exactly those headers (lower-case).
  bool forward_x_headers = false;
  std::vector<std::string> forward_headers;
};

struct Config {
  std::string path;
  RequestPassing passing;
  std::vector<Deployment> deployments;
  RouterSettings router;
  GeneralSettings general;

  std::vector<std::string> groups() const;  // model_names in first-seen order
  bool has_group(const std::string& group) const;
};

}  // namespace switchyard::config
