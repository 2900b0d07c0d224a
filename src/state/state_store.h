// What the router remembers about deployments between requests: cooldowns (with the class that
// caused them), failures in the current minute, in-flight counts, recent latency. The in-memory
// store is the default; the Redis-backed store (redis_store.h) shares the same view across
// instances. Deployments are addressed by their stable id (Deployment::id): a config load
// reconciles the store with its deployments and gets one DeploymentSlot per id, the same object a
// previous load had for that id, so state and in-flight counts survive a reload. Rate windows are
// addressed by a subject string that is the same on every instance (`deployment:<id>`, `key:<name>`).
// Never blocks an I/O thread: reads come from a local view, shared writes are queued.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "errors/error_class.h"
#include "http/types.h"
#include "state/deployment_slot.h"

namespace switchyard::state {

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

// What a config load changed, by deployment id (for the reload's summary and the log).
// Every id found again keeps its load (in flight, latency, rpm/tpm windows). Cooldowns that wait
// for a reload (auth, not found: kForever) end at one, whatever else changed.
struct ReconcileResult {
  std::vector<std::string> kept;            // same id, same call parameters: timed cooldowns and failures carried over
  std::vector<std::string> params_changed;  // same id, new key/base/params: every cooldown and failure dropped
  std::vector<std::string> added;           // new ids: clean state
  std::vector<std::string> removed;         // ids no longer configured: state dropped
  std::vector<std::string> until_reload_ended;  // ids (kept or changed) whose until-reload cooldown ended
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Makes the store hold exactly these deployments (see ReconcileResult for what each keeps).
  virtual ReconcileResult reconcile(std::span<const DeploymentSpec> deployments) = 0;
  // The slot of a deployment passed to the last reconcile(); null for an unknown id.
  virtual std::shared_ptr<DeploymentSlot> slot(std::string_view id) const = 0;

  virtual std::optional<Cooldown> cooldown(const DeploymentSlot& d, core::Nanos now) const = 0;
  // Returns the cooldown when this failure started one.
  virtual std::optional<Cooldown> record_failure(DeploymentSlot& d, errors::ErrorClass cause,
                                                 const FailurePolicy& policy, core::Nanos now) = 0;
  virtual void record_success(DeploymentSlot& d, core::Nanos latency) = 0;
  virtual void begin_request(DeploymentSlot& d) = 0;
  virtual void end_request(DeploymentSlot& d) = 0;
  virtual int in_flight(const DeploymentSlot& d) const = 0;
  virtual core::Nanos average_latency(const DeploymentSlot& d) const = 0;  // 0 when unknown
  virtual void clear_cooldowns() = 0;

  // Takes one request slot of `subject` within `limits` (rpm: sliding minute; tpm: tokens
  // recorded so far this minute). Subjects without limits are always admitted at once.
  virtual http::Awaitable<Admission> admit(std::string subject, RateLimits limits, core::Nanos now) = 0;
  // Counts a finished request's tokens (tpm windows and usage-based routing).
  virtual void record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) = 0;
  virtual WindowUsage usage(const std::string& subject, core::Nanos now) const = 0;
  virtual SharedStatus shared_status() const { return {}; }

  // Values shared across instances (the Responses API store): a put with a TTL and a delete,
  // never waited for, and a lookup. Without Redis there is nothing shared (nullopt).
  virtual void put_shared(const std::string& /*key*/, std::string /*value*/, std::chrono::seconds /*ttl*/) {}
  // Leaves an empty value (a tombstone, for `remembered`: get_shared answers "") so an instance
  // that missed the delete tells a deleted value from one Redis lost, and tells every instance
  // (this one included) through its SharedDeletedHandler, so local copies are dropped there too.
  virtual void delete_shared(const std::string& /*key*/, std::chrono::seconds /*remembered*/) {}
  // Called with the key of every shared value an instance deleted, on the store's own thread
  // (never an I/O thread): the handler must be quick and thread-safe. Called with an empty key
  // when deletes may have been missed (the subscription broke and is back): local copies of
  // shared values are then stale. Setting replaces the last handler; without Redis nothing is
  // ever called.
  using SharedDeletedHandler = std::function<void(std::string_view key)>;
  virtual void on_shared_deleted(SharedDeletedHandler /*handler*/) {}
  virtual http::Awaitable<std::optional<std::string>> get_shared(std::string /*key*/) {
    const std::optional<std::string> none;
    co_return none;
  }
};

inline std::string key_subject(const std::string& key_name) { return "key:" + key_name; }

}  // namespace switchyard::state
