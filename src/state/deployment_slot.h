// One deployment's state as this instance sees it, addressed by the deployment's stable id. A slot
// is shared by every config generation that has the deployment: a request that started before a
// reload ends its in-flight count and records its outcome on the same object as requests after it.
// Plain atomics: read and written by I/O threads without locks.
#pragma once

#include <atomic>
#include <string>

#include "core/clock.h"
#include "errors/error_class.h"

namespace switchyard::state {

struct Cooldown {
  errors::ErrorClass cause = errors::ErrorClass::server_error;
  core::Nanos until = 0;  // steady-clock time it ends; kForever for until-reload cooldowns
};

inline constexpr core::Nanos kForever = INT64_MAX;

inline std::string deployment_subject(const std::string& deployment_id) { return "deployment:" + deployment_id; }

// A deployment as a config load hands it to the store: its id and its call fingerprint
// (config::call_fingerprint), which tells a new key or base under an unchanged id.
struct DeploymentSpec {
  std::string id;
  std::string fingerprint;
};

struct alignas(64) DeploymentSlot {
  explicit DeploymentSlot(std::string deployment_id)
      : id(std::move(deployment_id)), subject(deployment_subject(id)) {}
  DeploymentSlot(const DeploymentSlot&) = delete;
  DeploymentSlot& operator=(const DeploymentSlot&) = delete;

  const std::string id;
  const std::string subject;  // its rate-window subject, built once
  std::atomic<core::Nanos> cooldown_until{0};
  std::atomic<int> cooldown_cause{0};
  std::atomic<core::Nanos> window_start{0};  // start of the current one-minute failure window
  std::atomic<int> window_failures{0};
  std::atomic<int> in_flight{0};
  std::atomic<core::Nanos> latency_ewma{0};
  // The Redis store's view of the other instances (refreshed by its resync): their in-flight
  // calls summed, and the fleet's average latency (0: none known).
  std::atomic<int> others_in_flight{0};
  std::atomic<core::Nanos> shared_latency{0};
};

}  // namespace switchyard::state
