// The default StateStore: one cache-line-aligned slot of atomics per deployment. Lock-free, so
// I/O threads never wait on each other to read or record deployment health.
#pragma once

#include <atomic>
#include <memory>

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
};

}  // namespace switchyard::state
