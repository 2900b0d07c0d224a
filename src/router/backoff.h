// Delay before retrying the same group: jittered exponential backoff that honours the provider's
// Retry-After. Pure: the random source is passed in so tests can pin it.
#pragma once

#include <chrono>
#include <optional>
#include <random>

namespace switchyard::router {

inline constexpr std::chrono::milliseconds kBackoffBase{500};
inline constexpr std::chrono::milliseconds kBackoffCap{8'000};
// A Retry-After longer than this is not waited out: the request falls back instead.
inline constexpr std::chrono::milliseconds kMaxRetryAfterWait{20'000};

// `retry` counts from 0. Returns nullopt when waiting is pointless (Retry-After too long).
std::optional<std::chrono::milliseconds> backoff_delay(int retry, std::optional<double> retry_after_seconds,
                                                       std::mt19937_64& rng);

}  // namespace switchyard::router
