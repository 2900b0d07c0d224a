// The default StateStore: one cache-line-aligned slot of atomics per deployment. Lock-free, so
// I/O threads never wait on each other to read or record deployment health.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "state/rate_window.h"
#include "state/state_store.h"

namespace switchyard::state {

class InMemoryStore final : public StateStore {
 public:
  explicit InMemoryStore(std::size_t deployments);

  std::optional<Cooldown> cooldown(std::size_t d, core::Nanos now) const override;
  std::optional<Cooldown> record_failure(std::size_t d, errors::ErrorClass cause, const FailurePolicy& policy,
                                         core::Nanos now) override;
  void record_success(std::size_t d, core::Nanos latency) override;
  void begin_request(std::size_t d) override;
  void end_request(std::size_t d) override;
  int in_flight(std::size_t d) const override;
  core::Nanos average_latency(std::size_t d) const override;
  void clear_cooldowns() override;
  http::Awaitable<Admission> admit(std::string subject, RateLimits limits, core::Nanos now) override;
  void record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) override;
  WindowUsage usage(const std::string& subject, core::Nanos now) const override;

  // The synchronous core of admit(), and the Redis store's fallback when Redis is down.
  Admission admit_now(const std::string& subject, const RateLimits& limits, core::Nanos now);
  // Records a slot Redis granted, so a fallback to local counting starts from it.
  void note_admitted(const std::string& subject, const RateLimits& limits, core::Nanos now);
  // A cooldown learned from elsewhere (another instance); the later of the two wins.
  void apply_cooldown(std::size_t d, errors::ErrorClass cause, core::Nanos until);
  void clear_cooldown(std::size_t d);
  struct ActiveCooldown {
    std::size_t deployment;
    Cooldown cooldown;
  };
  std::vector<ActiveCooldown> active_cooldowns(core::Nanos now) const;
  std::size_t size() const { return size_; }

 private:
  struct alignas(64) Slot {
    std::atomic<core::Nanos> cooldown_until{0};
    std::atomic<int> cooldown_cause{0};
    std::atomic<core::Nanos> window_start{0};  // start of the current one-minute failure window
    std::atomic<int> window_failures{0};
    std::atomic<int> in_flight{0};
    std::atomic<core::Nanos> latency_ewma{0};
  };
  std::size_t size_;
  std::unique_ptr<Slot[]> slots_;
  // Rate windows are touched only by requests with limits and by usage-based routing; a short
  // critical section (no I/O under it).
  mutable std::mutex windows_mutex_;
  std::unordered_map<std::string, RateWindow> windows_;
};

}  // namespace switchyard::state
