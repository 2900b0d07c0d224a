#include "router/strategy.h"

#include <algorithm>
#include <compare>
#include <optional>
#include <vector>

namespace switchyard::router {

Strategy strategy_from_name(std::string_view name) {
  if (name == "least-busy") return Strategy::least_busy;
  if (name == "latency-based-routing") return Strategy::latency_based;
  if (name == "usage-based-routing" || name == "usage-based-routing-v2") return Strategy::usage_based;
  return Strategy::simple_shuffle;
}

namespace {

std::size_t weighted_random(std::span<const DeploymentEntry* const> c, std::mt19937_64& rng) {
  double total = 0;
  for (const auto* d : c) total += d->config->weight;
  if (total <= 0) return std::uniform_int_distribution<std::size_t>(0, c.size() - 1)(rng);
  double r = std::uniform_real_distribution<double>(0, total)(rng);
  for (std::size_t k = 0; k < c.size(); ++k) {
    r -= c[k]->config->weight;
    if (r < 0) return k;
  }
  return c.size() - 1;
}

std::size_t random_among(const std::vector<std::size_t>& ties, std::mt19937_64& rng) {
  return ties[std::uniform_int_distribution<std::size_t>(0, ties.size() - 1)(rng)];
}

}  // namespace

double usage_fraction(const config::Deployment& d, const state::WindowUsage& u) {
  double f = 0;
  if (d.rpm && *d.rpm > 0) f = std::max(f, static_cast<double>(u.requests) / static_cast<double>(*d.rpm));
  if (d.tpm && *d.tpm > 0) f = std::max(f, static_cast<double>(u.tokens) / static_cast<double>(*d.tpm));
  return f;
}

std::size_t pick(Strategy strategy, std::span<const DeploymentEntry* const> c, const state::StateStore& state,
                 std::mt19937_64& rng, core::Nanos now) {
  if (c.size() == 1) return 0;
  switch (strategy) {
    case Strategy::simple_shuffle: return weighted_random(c, rng);
    case Strategy::least_busy: {
      int best = INT32_MAX;
      std::vector<std::size_t> ties;
      for (std::size_t k = 0; k < c.size(); ++k) {
        const int n = state.in_flight(*c[k]->slot);
        if (n < best) {
          best = n;
          ties.assign(1, k);
        } else if (n == best) {
          ties.push_back(k);
        }
      }
      return random_among(ties, rng);
    }
    case Strategy::latency_based: {
      // Unknown latency (0) counts as fastest so every deployment gets measured.
      core::Nanos best = INT64_MAX;
      for (const auto* d : c) best = std::min(best, state.average_latency(*d->slot));
      const auto limit = static_cast<core::Nanos>(static_cast<double>(best) * (1.0 + kLatencyBufferFraction));
      std::vector<std::size_t> near;
      for (std::size_t k = 0; k < c.size(); ++k)
        if (state.average_latency(*c[k]->slot) <= limit) near.push_back(k);
      return random_among(near, rng);
    }
    case Strategy::usage_based: {
      // Most headroom first: the lowest used fraction of rpm/tpm; among deployments without
      // limits (fraction 0), the fewest tokens then requests this minute, as LiteLLM does.
      struct Score {
        double fraction;
        std::int64_t tokens, requests;
        auto operator<=>(const Score&) const = default;
      };
      std::optional<Score> best;
      std::vector<std::size_t> ties;
      for (std::size_t k = 0; k < c.size(); ++k) {
        const auto u = state.usage(c[k]->slot->subject, now);
        const Score score{usage_fraction(*c[k]->config, u), u.tokens, u.requests};
        if (!best || score < *best) {
          best = score;
          ties.assign(1, k);
        } else if (score == *best) {
          ties.push_back(k);
        }
      }
      return random_among(ties, rng);
    }
  }
  return 0;
}

}  // namespace switchyard::router
