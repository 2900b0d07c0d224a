// The default StateStore: one cache-line-aligned DeploymentSlot of atomics per deployment id.
// Lock-free on the hot path, so I/O threads never wait on each other to read or record
// deployment health; the id → slot table takes a mutex only on reload, admin and Redis threads.
// Also the local view of the Redis store, and what a store hands to its successor when a reload
// changes the kind of store (in-memory ↔ Redis, another Redis).
#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "state/rate_window.h"
#include "state/state_store.h"

namespace switchyard::state {

class InMemoryStore final : public StateStore {
 public:
  InMemoryStore() = default;
  // Convenience for tests: reconciled at once with these ids.
  explicit InMemoryStore(const std::vector<std::string>& deployment_ids);

  ReconcileResult reconcile(std::span<const DeploymentSpec> deployments) override;
  std::shared_ptr<DeploymentSlot> slot(std::string_view id) const override;
  std::optional<Cooldown> cooldown(const DeploymentSlot& d, core::Nanos now) const override;
  std::optional<Cooldown> record_failure(DeploymentSlot& d, errors::ErrorClass cause, const FailurePolicy& policy,
                                         core::Nanos now) override;
  void record_success(DeploymentSlot& d, core::Nanos latency) override;
  void begin_request(DeploymentSlot& d) override;
  void end_request(DeploymentSlot& d) override;
  int in_flight(const DeploymentSlot& d) const override;
  core::Nanos average_latency(const DeploymentSlot& d) const override;
  void clear_cooldowns() override;
  http::Awaitable<Admission> admit(std::string subject, RateLimits limits, core::Nanos now) override;
  void record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) override;
  WindowUsage usage(const std::string& subject, core::Nanos now) const override;

  // Takes over another view's slots (the same objects) and rate windows (copies): a reload that
  // replaces the store keeps every deployment's state. Call before the first reconcile().
  void adopt(const InMemoryStore& previous);

  // The synchronous core of admit(), and the Redis store's fallback when Redis is down.
  Admission admit_now(const std::string& subject, const RateLimits& limits, core::Nanos now);
  // Records a slot Redis granted, so a fallback to local counting starts from it.
  void note_admitted(const std::string& subject, const RateLimits& limits, core::Nanos now);
  // A cooldown learned from elsewhere (another instance); the later of the two wins.
  static void apply_cooldown(DeploymentSlot& d, errors::ErrorClass cause, core::Nanos until);
  static void clear_cooldown(DeploymentSlot& d);
  struct ActiveCooldown {
    std::shared_ptr<DeploymentSlot> deployment;
    Cooldown cooldown;
  };
  std::vector<ActiveCooldown> active_cooldowns(core::Nanos now) const;
  std::vector<std::shared_ptr<DeploymentSlot>> slots() const;  // a snapshot, in no order

 private:
  struct Entry {
    std::shared_ptr<DeploymentSlot> slot;
    std::string fingerprint;
  };
  mutable std::mutex table_mutex_;
  std::unordered_map<std::string, Entry> table_;  // by deployment id
  // Rate windows are touched only by requests with limits and by usage-based routing; a short
  // critical section (no I/O under it).
  mutable std::mutex windows_mutex_;
  std::unordered_map<std::string, RateWindow> windows_;
};

}  // namespace switchyard::state
