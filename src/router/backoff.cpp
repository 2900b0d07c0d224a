#include "router/backoff.h"

#include <algorithm>

namespace switchyard::router {

std::optional<std::chrono::milliseconds> backoff_delay(int retry, std::optional<double> retry_after_seconds,
                                                       std::mt19937_64& rng) {
  using std::chrono::milliseconds;
  const auto exp = kBackoffBase.count() << std::clamp(retry, 0, 16);
  const auto ceiling = std::min<long long>(exp, kBackoffCap.count());
  // "Equal jitter": at least half the exponential delay, so retries spread without collapsing to 0.
  std::uniform_int_distribution<long long> jitter(ceiling / 2, ceiling);
  milliseconds delay{jitter(rng)};
  if (retry_after_seconds) {
    const milliseconds asked{static_cast<long long>(*retry_after_seconds * 1000.0)};
    if (asked > kMaxRetryAfterWait) return std::nullopt;
    delay = std::max(delay, asked);
  }
  return delay;
}

}  // namespace switchyard::router
