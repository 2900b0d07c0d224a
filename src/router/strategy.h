// Choosing one deployment among a group's candidates (already filtered: not cooled down, not
// tried in this request). simple-shuffle is weighted random; least-busy takes the fewest
// in-flight requests; latency-based-routing the lowest recent latency within a buffer, so traffic
// is not all sent to one deployment. usage-based-routing needs shared TPM/RPM state and uses
// simple-shuffle until the state issue lands.
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <string_view>

#include "config/config.h"
#include "state/state_store.h"

namespace switchyard::router {

enum class Strategy { simple_shuffle, least_busy, latency_based };

Strategy strategy_from_name(std::string_view name);

// Returns an index into `candidates` (which hold deployment indices); candidates is not empty.
std::size_t pick(Strategy strategy, std::span<const std::size_t> candidates, const config::Config& config,
                 const state::StateStore& state, std::mt19937_64& rng);

inline constexpr double kLatencyBufferFraction = 0.1;  // within 10% of the fastest counts as fastest

}  // namespace switchyard::router
