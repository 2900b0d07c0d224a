// One subject's last minute, counted locally: an exact sliding log of admitted requests (only
// kept for subjects with an rpm limit, at most rpm entries) and per-minute request/token buckets,
// read as "this minute + the previous one weighted by how much of it is still inside the last
// 60 s". Used by the in-memory store, and by the Redis store as its fallback when Redis is down.
// Not thread-safe: the owner locks.
#pragma once

#include <cstdint>
#include <deque>

#include "state/state_store.h"

namespace switchyard::state {

inline constexpr core::Nanos kRateWindow = 60'000'000'000;  // rpm/tpm count over one minute

class RateWindow {
 public:
  // Takes a slot when `limits` allow one now; records it either way it is admitted.
  Admission try_admit(const RateLimits& limits, core::Nanos now);
  // Records a request admitted elsewhere (by Redis), so a later fallback starts from it.
  void note_request(const RateLimits& limits, core::Nanos now);
  // A finished request and its tokens (the usage buckets; tpm limits read the tokens).
  void add_usage(std::int64_t tokens, core::Nanos now);
  WindowUsage usage(core::Nanos now) const;

 private:
  void roll(core::Nanos now);
  void prune(core::Nanos now);
  static std::int64_t weighted(std::int64_t current, std::int64_t previous, core::Nanos now);

  std::deque<core::Nanos> admitted_;  // admission times within the last minute (rpm subjects)
  std::int64_t minute_ = 0;           // index of the current fixed minute
  std::int64_t requests_[2] = {0, 0};  // [current minute, previous minute]
  std::int64_t tokens_[2] = {0, 0};
};

}  // namespace switchyard::state
