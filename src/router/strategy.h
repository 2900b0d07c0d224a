// Choosing one deployment among a group's candidates (already filtered: not cooled down, not
// tried in this request). simple-shuffle is weighted random; least-busy takes the fewest
// in-flight requests; latency-based-routing the lowest recent latency within a buffer, so traffic
// is not all sent to one deployment. usage-based-routing (and -v2) takes the deployment with the
// most rpm/tpm headroom over the last minute (shared across instances with the Redis store).
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <string_view>

#include "config/config.h"
#include "router/deployments.h"
#include "state/state_store.h"

namespace switchyard::router {

enum class Strategy { simple_shuffle, least_busy, latency_based, usage_based };

Strategy strategy_from_name(std::string_view name);

// Returns an index into `candidates`, which is not empty.
// `now` is the router's clock (usage windows are read at it).
std::size_t pick(Strategy strategy, std::span<const DeploymentEntry* const> candidates, const state::StateStore& state,
                 std::mt19937_64& rng, core::Nanos now = 0);

// A deployment's own rpm/tpm (litellm_params rpm, tpm); enforced across instances by the router.
inline state::RateLimits deployment_limits(const config::Deployment& d) {
  state::RateLimits l;
  if (d.rpm && *d.rpm > 0) l.rpm = *d.rpm;
  if (d.tpm && *d.tpm > 0) l.tpm = *d.tpm;
  return l;
}

// Fraction of its rpm/tpm a deployment has used in the last minute (the larger of the two);
// without limits, its share of the group's traffic decides (see pick()).
double usage_fraction(const config::Deployment& d, const state::WindowUsage& u);

inline constexpr double kLatencyBufferFraction = 0.1;  // within 10% of the fastest counts as fastest

}  // namespace switchyard::router
