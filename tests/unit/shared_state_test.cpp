// Shared-state logic that needs no Redis: the local rate window's math, redis_url and keys
// config, usage-based choice, client-key matching.
#include <gtest/gtest.h>

#include "api/key_limits.h"
#include "config/config_loader.h"
#include "config/redis_endpoint.h"
#include "router/strategy.h"
#include "state/in_memory_store.h"
#include "state/rate_window.h"

namespace switchyard {
namespace {

constexpr core::Nanos kSecond = 1'000'000'000;
constexpr core::Nanos kStart = 1'000 * 60 * kSecond;  // on a minute boundary

config::LoadResult load(const std::string& yaml) {
  return config::load_config_text(yaml, "t.yaml", [](const std::string& name) -> std::optional<std::string> {
    if (name == "TEAM_A_KEY") return "sk-team-a";
    return std::nullopt;
  });
}

TEST(RateWindow, RpmIsASlidingMinuteAndRetryAfterSaysWhenTheOldestSlotFrees) {
  state::RateWindow w;
  const state::RateLimits limits{3, 0};
  EXPECT_TRUE(w.try_admit(limits, kStart).admitted);
  EXPECT_TRUE(w.try_admit(limits, kStart + 10 * kSecond).admitted);
  EXPECT_TRUE(w.try_admit(limits, kStart + 20 * kSecond).admitted);
  const auto refused = w.try_admit(limits, kStart + 30 * kSecond);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, 30 * kSecond);  // the first slot frees at kStart + 60 s
  // A fixed window would reset at the minute boundary; the sliding one still holds 2 slots.
  EXPECT_TRUE(w.try_admit(limits, kStart + 61 * kSecond).admitted);
  EXPECT_FALSE(w.try_admit(limits, kStart + 65 * kSecond).admitted);
  EXPECT_TRUE(w.try_admit(limits, kStart + 71 * kSecond).admitted);
}

TEST(RateWindow, TpmWeighsThePreviousMinuteByWhatIsLeftOfIt) {
  state::RateWindow w;
  const state::RateLimits limits{0, 1000};
  w.add_usage(900, kStart + 30 * kSecond);
  EXPECT_TRUE(w.try_admit(limits, kStart + 40 * kSecond).admitted);
  w.add_usage(200, kStart + 50 * kSecond);  // 1100 this minute
  const auto refused = w.try_admit(limits, kStart + 55 * kSecond);
  EXPECT_FALSE(refused.admitted);
  EXPECT_EQ(refused.retry_after, 5 * kSecond);
  // 15 s into the next minute, 1100 * 0.75 = 825 < 1000.
  EXPECT_TRUE(w.try_admit(limits, kStart + 75 * kSecond).admitted);
  EXPECT_EQ(w.usage(kStart + 75 * kSecond).tokens, 825);
  EXPECT_EQ(w.usage(kStart + 75 * kSecond).requests, 1);  // 2 requests * 0.75, rounded down
  EXPECT_EQ(w.usage(kStart + 200 * kSecond).tokens, 0);
}

TEST(InMemoryStore, SubjectsWithoutLimitsAreAlwaysAdmittedAndLearnedCooldownsKeepTheLater) {
  state::InMemoryStore store({"x", "y"});
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(store.admit_now("deployment:x", {}, kStart).admitted);
  auto& x = *store.slot("x");
  store.apply_cooldown(x, errors::ErrorClass::quota_exhausted, kStart + 100 * kSecond);
  store.apply_cooldown(x, errors::ErrorClass::rate_limit, kStart + 10 * kSecond);
  const auto c = store.cooldown(x, kStart);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cause, errors::ErrorClass::quota_exhausted);
  EXPECT_EQ(c->until, kStart + 100 * kSecond);
  EXPECT_EQ(store.active_cooldowns(kStart).size(), 1u);
  store.clear_cooldown(x);
  EXPECT_FALSE(store.cooldown(x, kStart));
}

TEST(RedisUrl, ParsesHostPortDbAndCredentials) {
  auto ep = std::get<config::RedisEndpoint>(config::parse_redis_url("redis://:p%40ss@cache.internal:6380/2"));
  EXPECT_EQ(ep.host, "cache.internal");
  EXPECT_EQ(ep.port, 6380);
  EXPECT_EQ(ep.db, 2);
  EXPECT_EQ(ep.password, "p@ss");
  EXPECT_TRUE(ep.username.empty());
  ep = std::get<config::RedisEndpoint>(config::parse_redis_url("redis://default:pw@[::1]"));
  EXPECT_EQ(ep.host, "::1");
  EXPECT_EQ(ep.port, 6379);
  EXPECT_EQ(ep.username, "default");
  EXPECT_EQ(ep.display(), "redis://::1:6379/0");  // never the password
  EXPECT_TRUE(std::get<config::RedisEndpoint>(config::parse_redis_url("rediss://h:1")).tls);
  for (const char* bad : {"http://h", "redis://h:99999", "redis://h:x", "redis://h/db", "redis://:pw@"})
    EXPECT_TRUE(std::holds_alternative<std::string>(config::parse_redis_url(bad))) << bad;
}

const char* kModels = "model_list:\n  - {model_name: g, litellm_params: {model: openai/m}}\n";

TEST(SharedStateConfig, RedisHostPortDbAndPasswordAreLiteLLMsNames) {
  const auto r = load(std::string(kModels) +
                      "router_settings: {redis_host: 10.0.0.5, redis_port: 6390, redis_db: 3, redis_password: s}\n");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.config->router.redis);
  EXPECT_EQ(r.config->router.redis->host, "10.0.0.5");
  EXPECT_EQ(r.config->router.redis->port, 6390);
  EXPECT_EQ(r.config->router.redis->db, 3);
  EXPECT_EQ(r.config->router.redis->password, "s");
  EXPECT_FALSE(load(kModels).config->router.redis);  // no Redis: in-memory
}

TEST(SharedStateConfig, RedissIsRefusedWithItsLocation) {
  const auto r = load(std::string(kModels) + "router_settings:\n  redis_url: rediss://cache:6380\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].where.line, 4);
  EXPECT_EQ(r.errors[0].where.column, 14);
  EXPECT_NE(r.errors[0].message.find("TLS"), std::string::npos);
}

TEST(SharedStateConfig, KeysWithLimitsResolveEnvironmentReferences) {
  const auto r = load(std::string(kModels) +
                      "general_settings:\n"
                      "  keys:\n"
                      "    - {key: os.environ/TEAM_A_KEY, name: team-a, rpm_limit: 100, tpm_limit: 100000}\n"
                      "    - {key: sk-other}\n");
  ASSERT_TRUE(r.ok()) << r.errors[0].to_string();
  const auto& keys = r.config->general.keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].key, "sk-team-a");
  EXPECT_EQ(keys[0].name, "team-a");
  EXPECT_EQ(keys[0].rpm_limit, 100);
  EXPECT_EQ(keys[0].tpm_limit, 100000);
  EXPECT_EQ(keys[1].name, "key-2");
  EXPECT_FALSE(keys[1].rpm_limit);
  EXPECT_FALSE(load(std::string(kModels) + "general_settings: {keys: [{key: a}, {key: a}]}\n").ok());
  EXPECT_FALSE(load(std::string(kModels) + "general_settings: {keys: [{name: x}]}\n").ok());
}

TEST(KeyLimits, KeysAreAcceptedAsBearerOrXApiKeyBesideTheMasterKey) {
  config::GeneralSettings g;
  g.master_key = "sk-master";
  g.keys.push_back({"sk-team-a", "team-a", 3, std::nullopt, {}});
  http::Request req;
  req.set(http::beast_http::field::authorization, "Bearer sk-team-a");
  EXPECT_TRUE(api::key_authorized(req, g));
  ASSERT_NE(api::matching_key(req, g), nullptr);
  EXPECT_EQ(api::matching_key(req, g)->name, "team-a");
  http::Request anthropic;
  anthropic.set("x-api-key", "sk-master");
  EXPECT_TRUE(api::key_authorized(anthropic, g));
  EXPECT_EQ(api::matching_key(anthropic, g), nullptr);
  http::Request wrong;
  wrong.set("x-api-key", "sk-team-");
  EXPECT_FALSE(api::key_authorized(wrong, g));
  g.master_key.clear();  // keys alone still require one of them
  EXPECT_FALSE(api::key_authorized(wrong, g));
  EXPECT_TRUE(api::key_authorized(wrong, config::GeneralSettings{}));
}

TEST(Strategy, UsageBasedTakesTheDeploymentWithTheMostHeadroom) {
  const auto r = load(
      "model_list:\n"
      "  - {model_name: g, litellm_params: {model: openai/a, tpm: 1000}}\n"
      "  - {model_name: g, litellm_params: {model: openai/b, tpm: 10000}}\n"
      "  - {model_name: g, litellm_params: {model: openai/c, rpm: 10}}\n"
      "router_settings: {routing_strategy: usage-based-routing}\n");
  ASSERT_TRUE(r.ok());
  const auto& cfg = *r.config;
  state::InMemoryStore store;
  const router::DeploymentRegistry registry(cfg, store);
  const auto subject = [&](int i) { return state::deployment_subject(cfg.deployments[i].id); };
  store.record_usage(subject(0), 500, kStart);    // 50% of tpm
  store.record_usage(subject(1), 2000, kStart);   // 20% of tpm
  for (int i = 0; i < 4; ++i) store.record_usage(subject(2), 1, kStart);  // 40% of rpm
  std::mt19937_64 rng(3);
  std::vector<const router::DeploymentEntry*> candidates;
  for (const auto& e : registry.all()) candidates.push_back(&e);
  EXPECT_EQ(router::strategy_from_name("usage-based-routing-v2"), router::Strategy::usage_based);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(router::pick(router::Strategy::usage_based, candidates, store, rng, kStart), 1u);
  store.record_usage(subject(1), 5000, kStart);   // now 70%
  for (int i = 0; i < 20; ++i) EXPECT_EQ(router::pick(router::Strategy::usage_based, candidates, store, rng, kStart), 2u);
}

}  // namespace
}  // namespace switchyard
