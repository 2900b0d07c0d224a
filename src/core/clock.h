// Time as a value the caller passes in: cooldowns, failure windows and backoff read this clock,
// so tests move time by hand instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace switchyard::core {

using Nanos = std::int64_t;  // steady-clock nanoseconds; fits in an atomic

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Nanos now() const = 0;
};

class SteadyClock final : public Clock {
 public:
  Nanos now() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

// For tests: time stands still until advanced.
class ManualClock final : public Clock {
 public:
  Nanos now() const override { return now_.load(); }
  void advance(std::chrono::nanoseconds d) { now_ += d.count(); }

 private:
  std::atomic<Nanos> now_{1'000'000'000'000};
};

// Saturates: config values like `cooldown_time: 1e300` must not overflow (undefined behaviour).
constexpr Nanos seconds_to_nanos(double s) {
  constexpr double kMaxSeconds = 9.0e9;  // ~285 years, far below INT64_MAX nanoseconds
  if (!(s > 0)) return 0;
  return s >= kMaxSeconds ? static_cast<Nanos>(kMaxSeconds * 1e9) : static_cast<Nanos>(s * 1e9);
}

}  // namespace switchyard::core
