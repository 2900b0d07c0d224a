// What the router remembers about deployments between requests: cooldowns (with the class that
// caused them), failures in the current minute, in-flight counts, recent latency. The in-memory
// store is the default; a Redis-backed store shares the same view across instances (issue 6).
// Deployments are addressed by their index in Config::deployments. Never blocks an I/O thread.
#pragma once

#include <cstddef>
#include <optional>

#include "core/clock.h"
#include "errors/error_class.h"

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
};

}  // namespace switchyard::state
