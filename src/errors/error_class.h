// The canonical failure classes and the default decision for each (DESIGN.md table).
// The snake_case names are a public contract: they appear in `explain`, logs, metrics and config.
// This header must not know about providers or HTTP; it is the vocabulary every layer shares.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace switchyard::errors {

enum class ErrorClass {
  bad_request,
  context_window_exceeded,
  content_policy,
  authentication,
  permission_denied,
  not_found,
  rate_limit,
  quota_exhausted,
  overloaded,
  timeout,
  server_error,
  connection,
};

inline constexpr std::size_t kErrorClassCount = 12;

// How long a deployment stays out of rotation once it is cooled down.
enum class CooldownLength {
  none,          // never cooled down for this class
  normal,        // router_settings.cooldown_time
  long_,         // quota problems do not fix themselves in seconds
  until_reload,  // a wrong key or a missing model stays wrong until the config changes
};

// Which fallback list a class may move through.
enum class FallbackScope {
  none,            // every provider would refuse the same request
  general,         // fallbacks + default_fallbacks
  context_window,  // only context_window_fallbacks
  content_policy,  // only content_policy_fallbacks
};

struct Decision {
  bool retry = false;     // try the same group again (after backoff)
  bool cooldown = false;  // count the failure against the deployment
  bool fallback = false;  // may move to another group at all
  CooldownLength cooldown_length = CooldownLength::none;
  FallbackScope fallback_scope = FallbackScope::none;
  // Overrides from config (retry_policy / allowed_fails_policy); unset means router defaults.
  std::optional<int> max_retries;
  std::optional<int> allowed_fails;
};

std::string_view to_string(ErrorClass c);
std::optional<ErrorClass> error_class_from_string(std::string_view name);

// LiteLLM's exception names as used in `retry_policy` / `allowed_fails_policy` keys
// ("RateLimitErrorRetries" → rate_limit). Accepts the bare name ("RateLimitError") too.
std::optional<ErrorClass> error_class_from_litellm_name(std::string_view name);

// The DESIGN.md decision table, before any config override.
Decision default_decision(ErrorClass c);

// The HTTP status a client receives when this class is the final outcome.
int client_status(ErrorClass c);

const std::array<ErrorClass, kErrorClassCount>& all_error_classes();

}  // namespace switchyard::errors
