// Deployments by stable id, and their state across a reload: ids that do not depend on the order
// of model_list, a store reconciled with each config load, and a router built on a reordered
// config that finds the cooldowns, latency and in-flight counts of the deployments it had.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "config/config_loader.h"
#include "config/deployment_id.h"
#include "router/router.h"
#include "state/in_memory_store.h"
#include "state/make_store.h"

namespace switchyard {
namespace {

constexpr core::Nanos kSecond = 1'000'000'000;

std::shared_ptr<const config::Config> load(const std::string& yaml) {
  auto r = config::load_config_text(yaml, "t.yaml", [](const std::string&) { return std::nullopt; });
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  return r.config;
}

std::string entry(const std::string& group, const std::string& model, const std::string& extra = "") {
  return "  - {model_name: " + group + ", litellm_params: {model: " + model + ", api_base: 'http://h:1/v1'" + extra + "}}\n";
}

std::map<std::string, std::string> ids_by_key(const config::Config& c) {
  std::map<std::string, std::string> out;  // group + key → id
  for (const auto& d : c.deployments) out[d.group + "|" + d.api_key] = d.id;
  return out;
}

TEST(DeploymentIds, DoNotDependOnTheOrderOfModelList) {
  const auto a = entry("g", "openai/m", ", api_key: sk-first-0123456789");
  const auto b = entry("g", "openai/m", ", api_key: sk-second-0123456789");  // same model, same base, other key
  const auto c = entry("h", "openai/other");
  const auto one = load("model_list:\n" + a + b + c);
  const auto two = load("model_list:\n" + c + b + a);
  EXPECT_EQ(ids_by_key(*one), ids_by_key(*two));
  // The single deployment keeps the plain "provider/model@base" id; the twins are told apart by
  // a hash, never by the key in clear.
  EXPECT_EQ(one->deployments[2].id, "openai/other@http://h:1/v1");
  EXPECT_NE(one->deployments[0].id, one->deployments[1].id);
  for (const auto& d : one->deployments) EXPECT_EQ(d.id.find("sk-"), std::string::npos) << d.id;
  EXPECT_EQ(one->deployments[0].id.rfind(config::base_deployment_id(one->deployments[0]) + "#", 0), 0u);
}

TEST(DeploymentIds, IdenticalEntriesAreNumberedAndExplicitIdsWin) {
  const auto twin = entry("g", "openai/m");
  const auto cfg = load("model_list:\n" + twin + twin +
                        "  - {model_name: g, litellm_params: {model: openai/x, api_base: 'http://h:1/v1'}, model_info: {id: mine}}\n");
  ASSERT_EQ(cfg->deployments.size(), 3u);
  EXPECT_NE(cfg->deployments[0].id, cfg->deployments[1].id);
  EXPECT_EQ(cfg->deployments[1].id, cfg->deployments[0].id + "-2");
  EXPECT_EQ(cfg->deployments[2].id, "mine");
}

TEST(DeploymentIds, FingerprintSeesKeysAndParamsNotTuning) {
  const auto base = load("model_list:\n" + entry("g", "openai/m", ", api_key: k1, rpm: 5"));
  const auto tuned = load("model_list:\n" + entry("g", "openai/m", ", api_key: k1, rpm: 50, weight: 3, timeout: 9"));
  const auto rekeyed = load("model_list:\n" + entry("g", "openai/m", ", api_key: k2, rpm: 5"));
  EXPECT_EQ(base->deployments[0].id, rekeyed->deployments[0].id);
  EXPECT_EQ(config::call_fingerprint(base->deployments[0]), config::call_fingerprint(tuned->deployments[0]));
  EXPECT_NE(config::call_fingerprint(base->deployments[0]), config::call_fingerprint(rekeyed->deployments[0]));
  EXPECT_EQ(config::call_fingerprint(base->deployments[0]).find("k1"), std::string::npos);
}

TEST(StateReconcile, KeepsStateByIdDropsRemovedAndResetsCooldownsOfChangedParams) {
  state::InMemoryStore store;
  const std::vector<state::DeploymentSpec> first{{"a", "fa"}, {"b", "fb"}, {"c", "fc"}, {"e", "fe"}};
  store.reconcile(first);
  const auto a = store.slot("a"), b = store.slot("b"), c = store.slot("c");
  const state::FailurePolicy now_for_a_minute{true, 0, 60 * kSecond};
  store.record_failure(*a, errors::ErrorClass::rate_limit, now_for_a_minute, kSecond);
  store.record_failure(*b, errors::ErrorClass::server_error, now_for_a_minute, kSecond);
  store.record_success(*b, 7 * kSecond);
  store.begin_request(*a);
  store.record_usage(c->subject, 100, kSecond);
  const state::FailurePolicy until_reload{true, 0, state::kForever};
  store.record_failure(*store.slot("e"), errors::ErrorClass::authentication, until_reload, kSecond);

  // Reordered, b's key changed, c removed, d added.
  const std::vector<state::DeploymentSpec> second{{"d", "fd"}, {"b", "fb-new-key"}, {"a", "fa"}, {"e", "fe"}};
  const auto changes = store.reconcile(second);
  EXPECT_EQ(changes.kept, (std::vector<std::string>{"a", "e"}));
  EXPECT_EQ(changes.until_reload_ended, std::vector<std::string>{"e"});
  EXPECT_FALSE(store.cooldown(*store.slot("e"), 2 * kSecond)) << "an until-reload cooldown ends at a reload";
  EXPECT_EQ(changes.params_changed, std::vector<std::string>{"b"});
  EXPECT_EQ(changes.added, std::vector<std::string>{"d"});
  EXPECT_EQ(changes.removed, std::vector<std::string>{"c"});

  EXPECT_EQ(store.slot("a"), a) << "the same slot object: a request in flight ends where it began";
  const auto cooldown = store.cooldown(*store.slot("a"), 2 * kSecond);
  ASSERT_TRUE(cooldown);
  EXPECT_EQ(cooldown->cause, errors::ErrorClass::rate_limit);
  EXPECT_EQ(cooldown->until, 61 * kSecond);
  EXPECT_EQ(store.in_flight(*store.slot("a")), 1);
  EXPECT_FALSE(store.cooldown(*store.slot("b"), 2 * kSecond)) << "new key: tried again";
  EXPECT_EQ(store.average_latency(*store.slot("b")), 7 * kSecond) << "same upstream: its latency stays";
  EXPECT_EQ(store.slot("c"), nullptr);
  EXPECT_EQ(store.usage(c->subject, kSecond).tokens, 0) << "a removed deployment's window goes";
  EXPECT_FALSE(store.cooldown(*store.slot("d"), 2 * kSecond));
}

TEST(StateReconcile, AStoreOfAnotherKindTakesOverTheLocalView) {
  const auto memory = load("model_list:\n" + entry("g", "openai/m", ", rpm: 10"));
  auto store = state::make_state_store(*memory);
  const router::DeploymentRegistry first(*memory, *store);
  auto& slot = *first.all()[0].slot;
  store->begin_request(slot);
  EXPECT_EQ(state::make_state_store(*memory, store), store) << "same kind: the same store";
  // An in-memory store handed to another in-memory one (what a Redis → in-memory reload does).
  auto next = std::make_shared<state::InMemoryStore>();
  next->adopt(dynamic_cast<const state::InMemoryStore&>(*store));
  const router::DeploymentRegistry second(*memory, *next);
  EXPECT_EQ(second.all()[0].slot.get(), &slot);
  EXPECT_EQ(next->in_flight(*second.all()[0].slot), 1);
}

// The router side: a reload with a reordered config skips the deployment still cooling down,
// the answer's Retry-After counts down to its end, and in-flight counts land on the right slot.
class ReloadRouter : public ::testing::Test {
 protected:
  std::shared_ptr<router::Router> build(const std::string& yaml) {
    return std::make_shared<router::Router>(
        load(yaml), store_, clock_,
        [this](const providers::Endpoint& e, const core::ChatRequest&, std::chrono::milliseconds) -> http::Awaitable<providers::CallResult> {
          providers::CallResult r;
          calls_.push_back(e.deployment->model);
          if (e.deployment->model == "broken") {
            r.error.status = 500;
            r.error.body = R"({"error":{"message":"boom","type":"server_error"}})";
          } else {
            r.response = core::ChatResponse{};
          }
          co_return r;
        },
        [](std::chrono::milliseconds) -> http::Awaitable<void> { co_return; });
  }
  router::RouteOutcome route(const router::Router& r, const std::string& group) {
    core::ChatRequest req;
    req.model = group;
    boost::asio::io_context io;
    auto f = boost::asio::co_spawn(io, r.route(req), boost::asio::use_future);
    io.run();
    return f.get();
  }
  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  std::shared_ptr<state::StateStore> store_ = std::make_shared<state::InMemoryStore>();
  std::vector<std::string> calls_;
};

TEST_F(ReloadRouter, CooldownFollowsTheDeploymentIdIntoAReorderedConfig) {
  const std::string settings = "router_settings: {num_retries: 0, allowed_fails: 0, cooldown_time: 30}\n";
  const auto first = build("model_list:\n" + entry("g", "openai/broken") + entry("g", "openai/fine") + settings);
  for (int i = 0; i < 200 && std::count(calls_.begin(), calls_.end(), "broken") == 0; ++i) route(*first, "g");
  const auto cooling = first->deployments().find("openai/broken@http://h:1/v1");
  ASSERT_NE(cooling, nullptr);
  ASSERT_TRUE(store_->cooldown(*cooling->slot, clock_->now()));

  // Reordered, and a new deployment in front: positions all moved.
  const auto second = build("model_list:\n" + entry("g", "openai/new") + entry("g", "openai/fine") +
                            entry("g", "openai/broken") + settings);
  calls_.clear();
  for (int i = 0; i < 30; ++i) EXPECT_TRUE(route(*second, "g").response);
  EXPECT_EQ(std::count(calls_.begin(), calls_.end(), "broken"), 0) << "still cooling down after the reload";
  EXPECT_GT(std::count(calls_.begin(), calls_.end(), "new"), 0);

  // A group with only the cooled deployment: no attempt, and Retry-After counts to its end.
  const auto third = build("model_list:\n" + entry("only", "openai/broken") + settings);
  clock_->advance(std::chrono::seconds(10));
  const auto out = route(*third, "only");
  EXPECT_EQ(out.attempts, 0);
  ASSERT_TRUE(out.retry_after_seconds);
  EXPECT_NEAR(*out.retry_after_seconds, 20, 0.01);
}

TEST_F(ReloadRouter, InFlightCountsLandOnTheSameSlotAcrossGenerations) {
  const auto first = build("model_list:\n" + entry("g", "openai/fine") + entry("g", "openai/other"));
  const auto& old_entry = *first->deployments().find("openai/fine@http://h:1/v1");
  store_->begin_request(*old_entry.slot);  // a call the old generation started
  const auto second = build("model_list:\n" + entry("g", "openai/other") + entry("g", "openai/fine"));
  const auto& new_entry = *second->deployments().find("openai/fine@http://h:1/v1");
  EXPECT_EQ(store_->in_flight(*new_entry.slot), 1);
  store_->end_request(*old_entry.slot);  // it ends on the old generation
  EXPECT_EQ(store_->in_flight(*new_entry.slot), 0);
  EXPECT_EQ(store_->in_flight(*second->deployments().find("openai/other@http://h:1/v1")->slot), 0);
}

}  // namespace
}  // namespace switchyard
