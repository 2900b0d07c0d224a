// What the router remembers about deployments between requests: cooldowns (with the class that
// caused them), failures in the current minute, in-flight counts, recent latency. The in-memory
// store is the default; the Redis-backed store (redis_store.h) shares the same view across
// instances. Deployments are addressed by their index in Config::deployments; rate windows by a
// subject string that is the same on every instance (`deployment:<Deployment::id>`, `key:<name>`).
// Never blocks an I/O thread: reads come from a local view, shared writes are queued.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "errors/error_class.h"
#include "http/types.h"

namespace switchyard::state {

struct Cooldown {
  errors::ErrorClass cause = errors::ErrorClass::server_error;
  core::Nanos until = 0;  // steady-clock time it ends; kForever for until-reload cooldowns
};

inline constexpr core::Nanos kForever = INT64_MAX;

// How a failure counts, decided by the router from the classification and the config.
struct FailurePolicy {
  bool cooldown_now = false;      // cool down at once (quota, auth, not found)
  int allowed_fails = 3;          // otherwise: cool down when failures in a minute exceed this
  core::Nanos cooldown_for = 0;   // how long a cooldown lasts
};

// Requests and tokens allowed per sliding minute; 0 means no limit.
struct RateLimits {
  std::int64_t rpm = 0;
  std::int64_t tpm = 0;
  bool any() const { return rpm > 0 || tpm > 0; }
};

struct Admission {
  bool admitted = true;
  core::Nanos retry_after = 0;  // when refused: how long until a slot frees (an estimate for tpm)
};

// What a subject used in the last minute, as this instance sees it (shared view when Redis is on).
struct WindowUsage {
  std::int64_t requests = 0;
  std::int64_t tokens = 0;
};

// Shared-state health, for the metrics endpoint (redis_up, redis_errors_total).
struct SharedStatus {
  bool enabled = false;  // false: in-memory only
  bool up = false;
  std::uint64_t errors_total = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  virtual std::optional<Cooldown> cooldown(std::size_t deployment, core::Nanos now) const = 0;
  // Returns the cooldown when this failure started one.
  virtual std::optional<Cooldown> record_failure(std::size_t deployment, errors::ErrorClass cause,
                                                 const FailurePolicy& policy, core::Nanos now) = 0;
  virtual void record_success(std::size_t deployment, core::Nanos latency) = 0;
  virtual void begin_request(std::size_t deployment) = 0;
  virtual void end_request(std::size_t deployment) = 0;
  virtual int in_flight(std::size_t deployment) const = 0;
  virtual core::Nanos average_latency(std::size_t deployment) const = 0;  // 0 when unknown
  virtual void clear_cooldowns() = 0;

  // Takes one request slot of `subject` within `limits` (rpm: sliding minute; tpm: tokens
  // recorded so far this minute). Subjects without limits are always admitted at once.
  virtual http::Awaitable<Admission> admit(std::string subject, RateLimits limits, core::Nanos now) = 0;
  // Counts a finished request's tokens (tpm windows and usage-based routing).
  virtual void record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) = 0;
  virtual WindowUsage usage(const std::string& subject, core::Nanos now) const = 0;
  virtual SharedStatus shared_status() const { return {}; }

  // Values shared across instances (the Responses API store): a put with a TTL that is never
  // waited for, and a lookup. Without Redis there is nothing shared (nullopt).
  virtual void put_shared(const std::string& /*key*/, std::string /*value*/, std::chrono::seconds /*ttl*/) {}
  virtual http::Awaitable<std::optional<std::string>> get_shared(std::string /*key*/) {
    const std::optional<std::string> none;
    co_return none;
  }
};

inline std::string deployment_subject(const std::string& deployment_id) { return "deployment:" + deployment_id; }
inline std::string key_subject(const std::string& key_name) { return "key:" + key_name; }

}  // namespace switchyard::state
