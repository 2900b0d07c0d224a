// Deployment choice within a group.
#include <gtest/gtest.h>

#include "config/config_loader.h"
#include "router/strategy.h"
#include "state/in_memory_store.h"

namespace switchyard::router {
namespace {

std::shared_ptr<const config::Config> three_deployments(const std::string& weights = "1, 1, 1") {
  std::vector<std::string> w;
  std::string rest = weights;
  for (std::size_t pos; (pos = rest.find(',')) != std::string::npos; rest = rest.substr(pos + 1)) w.push_back(rest.substr(0, pos));
  w.push_back(rest);
  std::string yaml = "model_list:\n";
  for (int i = 0; i < 3; ++i)
    yaml += "  - {model_name: g, litellm_params: {model: openai/m" + std::to_string(i) + ", weight: " + w[i] + "}}\n";
  auto r = config::load_config_text(yaml, "t.yaml", [](const std::string&) { return std::nullopt; });
  EXPECT_TRUE(r.ok());
  return r.config;
}

// The group's deployments as the router sees them (slots in `store`), in config order.
struct Bound {
  Bound(const config::Config& cfg, state::StateStore& store) : registry(cfg, store) {
    for (const auto& e : registry.all()) candidates.push_back(&e);
  }
  state::DeploymentSlot& slot(std::size_t i) const { return *candidates[i]->slot; }
  router::DeploymentRegistry registry;
  std::vector<const DeploymentEntry*> candidates;
};

TEST(Strategy, LeastBusyTakesTheDeploymentWithFewestInFlight) {
  const auto cfg = three_deployments();
  state::InMemoryStore store;
  const Bound b(*cfg, store);
  for (int i = 0; i < 5; ++i) store.begin_request(b.slot(0));
  store.begin_request(b.slot(1));
  std::mt19937_64 rng(1);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(pick(Strategy::least_busy, b.candidates, store, rng), 2u);
  store.begin_request(b.slot(2));
  store.begin_request(b.slot(2));
  for (int i = 0; i < 50; ++i) EXPECT_EQ(pick(Strategy::least_busy, b.candidates, store, rng), 1u);
}

TEST(Strategy, SimpleShuffleFollowsWeights) {
  const auto cfg = three_deployments("1, 3, 0");
  state::InMemoryStore store;
  const Bound b(*cfg, store);
  std::mt19937_64 rng(7);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 40000; ++i) ++counts[pick(Strategy::simple_shuffle, b.candidates, store, rng)];
  EXPECT_EQ(counts[2], 0);  // weight 0 never picked while others have weight
  EXPECT_NEAR(static_cast<double>(counts[1]) / counts[0], 3.0, 0.25);
}

TEST(Strategy, LatencyBasedPrefersTheFastestWithinItsBuffer) {
  const auto cfg = three_deployments();
  state::InMemoryStore store;
  const Bound b(*cfg, store);
  store.record_success(b.slot(0), 100'000'000);
  store.record_success(b.slot(1), 10'000'000);
  store.record_success(b.slot(2), 10'500'000);  // within 10% of the fastest: shares the traffic
  std::mt19937_64 rng(3);
  int counts[3] = {0, 0, 0};
  for (int i = 0; i < 1000; ++i) ++counts[pick(Strategy::latency_based, b.candidates, store, rng)];
  EXPECT_EQ(counts[0], 0);
  EXPECT_GT(counts[1], 300);
  EXPECT_GT(counts[2], 300);
}

}  // namespace
}  // namespace switchyard::router
