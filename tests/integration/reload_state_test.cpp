// State that survives a reload, through the real binaries: a deployment cooled down by a mock
// fault stays cooled down (same class, time still running) on the same deployment id after a
// reload that reorders and adds deployments, requests skip it, its rpm window is carried over,
// requests in flight during the reload end on the right in-flight counter, and a new key under
// the same id clears the cooldown. In memory and with Redis. And the 429 answered while every
// deployment rests carries Retry-After (and retry-after-ms) in both client formats.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "chat_client.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::chrono::seconds kCooldown{120};

const char* kMockModels = R"(models:
  broken: {fault: server_error}
  fine: {reply: "fine"}
  newcomer: {reply: "new"}
  limited: {reply: "limited"}
  slow: {latency_ms: 2500, reply: "slow but sure"}
  down: {fault: server_error}
  throttled: {fault: rate_limit}
  locked: {fault: authentication}
)";

std::string entry(std::uint16_t mock, const std::string& group, const std::string& model, const std::string& extra = "") {
  return "  - {model_name: " + group + ", litellm_params: {model: openai/" + model + ", api_base: 'http://127.0.0.1:" +
         std::to_string(mock) + "/v1'" + extra + "}}\n";
}

std::string settings(const std::string& redis_url) {
  return "router_settings:\n  num_retries: 0\n  allowed_fails: 0\n  cooldown_time: " + std::to_string(kCooldown.count()) +
         "\n" + (redis_url.empty() ? "" : "  redis_url: " + redis_url + "\n");
}

// An answer's JSON; what came instead (a transport error, a status, a cut body) in the exception,
// which otherwise says only "incomplete JSON" (seen once under load, cause unknown).
json::value parsed(const HttpResult& r, std::string_view what) {
  boost::system::error_code ec;
  auto value = json::parse(r.body, ec);
  if (ec)
    throw std::runtime_error(std::string(what) + ": no JSON (" + ec.message() + "): status " + std::to_string(r.status) +
                             ", transport error '" + r.error.message() + "', body '" + r.body + "'");
  return value;
}

struct Gateway {
  MockProcess mock;
  std::filesystem::path config;
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;

  void start(const std::string& tag, const std::string& config_text) {
    config = write_temp_file("reload-state-" + tag + "-" + std::to_string(mock.port) + ".yaml", config_text);
    process = std::make_unique<Process>(
        std::vector<std::string>{binary_path(), "serve", "--config", config.string(), "--port", "0", "--threads", "2"});
    const auto p = process->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + process->output());
    port = *p;
  }
  // Replaces the file in one step (rename) and reloads; the reload's JSON answer.
  json::object reload(const std::string& config_text) {
    const auto fresh = write_temp_file("reload-state-next.yaml", config_text);
    std::filesystem::rename(fresh, config);
    const auto r = request(port, "POST", "/admin/reload");
    EXPECT_EQ(r.status, 200) << r.body;
    return parsed(r, "POST /admin/reload").as_object();
  }
  // The /admin/deployments entry of the deployment calling `model`.
  json::object deployment(const std::string& model) const {
    const auto r = request(port, "GET", "/admin/deployments");
    const auto view = parsed(r, "GET /admin/deployments");
    for (const auto& d : view.at("deployments").as_array())
      if (d.at("model") == model.c_str()) return d.as_object();
    ADD_FAILURE() << "no deployment for " << model << " in " << r.body;
    return {};
  }
  int calls(const std::string& model) const {
    const auto stats = parsed(request(mock.port, "GET", "/mock/stats"), "GET /mock/stats").as_object();
    const auto* m = stats.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
  HttpResult chat(const std::string& group, Client c = Client::openai) const {
    return post_chat(port, c, chat_body(c, group, false));
  }
};

Process start_redis(std::uint16_t port) {
  return Process({"/usr/bin/env", "redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "",
                  "--appendonly", "no"});
}

void reload_keeps_state_by_id(const std::string& tag, const std::string& redis_url) {
  Gateway g;
  g.mock = start_mock(kMockModels);
  ASSERT_NE(g.mock.port, 0) << g.mock.process->output();
  const auto m = g.mock.port;
  const auto broken = [&](const std::string& key) { return entry(m, "g", "broken", ", api_key: " + key); };
  const auto limited = entry(m, "limited", "limited", ", rpm: 2");
  const auto slow = entry(m, "slow", "slow");
  const auto locked = entry(m, "locked", "locked");
  g.start(tag, "model_list:\n" + broken("sk-key-one-0123456789") + entry(m, "g", "fine") + limited + slow + locked +
                   settings(redis_url));
  if (!redis_url.empty()) {
    ASSERT_TRUE(g.process->wait_for_line("connected")) << g.process->output();
  }

  // The broken deployment is tried (simple-shuffle) and cooled down; the group still answers.
  for (int i = 0; i < 100 && g.calls("broken") == 0; ++i) ASSERT_EQ(g.chat("g").status, 200);
  ASSERT_EQ(g.calls("broken"), 1);
  ASSERT_EQ(g.deployment("broken").at("cooldown").at("class"), "server_error");
  // A 401 cools its deployment down until a reload.
  ASSERT_EQ(g.chat("locked").status, 401);
  ASSERT_TRUE(g.deployment("locked").at("cooldown").at("until_reload").as_bool());
  // Two of the limited deployment's two requests a minute.
  ASSERT_EQ(g.chat("limited").status, 200);
  ASSERT_EQ(g.chat("limited").status, 200);
  // Three slow requests in flight during the reload.
  std::atomic<int> slow_ok{0};
  std::vector<std::thread> in_flight;
  struct Joiner {  // an ASSERT returning early must not leave threads unjoined
    std::vector<std::thread>& threads;
    ~Joiner() {
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } joiner{in_flight};
  for (int i = 0; i < 3; ++i)
    in_flight.emplace_back([&] {
      if (g.chat("slow").status == 200) ++slow_ok;
    });
  ASSERT_TRUE(eventually([&] { return g.deployment("slow").at("in_flight") == 3; })) << g.deployment("slow");

  // Reordered, and a new deployment in front of all: no deployment keeps its position.
  const auto reloaded = g.reload("model_list:\n" + entry(m, "g", "newcomer") + locked + slow + limited +
                                 entry(m, "g", "fine") + broken("sk-key-one-0123456789") + settings(redis_url));
  EXPECT_NE(std::string(reloaded.at("summary").as_string()).find("added: 1"), std::string::npos) << reloaded;

  const auto cooled = g.deployment("broken");
  ASSERT_TRUE(cooled.at("cooldown").is_object()) << cooled;
  EXPECT_EQ(cooled.at("cooldown").at("class"), "server_error");
  const auto left = cooled.at("cooldown").at("remaining_seconds").to_number<double>();
  EXPECT_GT(left, 0);
  EXPECT_LE(left, static_cast<double>(kCooldown.count()));
  EXPECT_EQ(g.deployment("slow").at("in_flight"), 3) << "requests in flight on the old config are still counted";
  // The reload is what an until-reload cooldown waits for (a key fixed in a file or at the provider).
  EXPECT_TRUE(eventually([&] { return g.deployment("locked").at("cooldown").is_null(); })) << g.deployment("locked");
  for (int i = 0; i < 20; ++i) EXPECT_EQ(g.chat("g").status, 200);
  EXPECT_EQ(g.calls("broken"), 1) << "skipped: still cooling down after the reload";
  EXPECT_GT(g.calls("newcomer"), 0);
  const auto third = g.chat("limited");
  EXPECT_EQ(third.status, 429) << "the rpm window (2 of 2 used) is carried over: " << third.body;
  EXPECT_FALSE(third.header("retry-after").empty());

  for (auto& t : in_flight) t.join();
  in_flight.clear();
  EXPECT_EQ(slow_ok.load(), 3);
  // They ended on the old generation and decremented the same counter.
  EXPECT_TRUE(eventually([&] { return g.deployment("slow").at("in_flight") == 0; })) << g.deployment("slow");

  // Same id, new key: a reload is how an operator fixes a key, so the cooldown goes.
  const auto rekeyed = g.reload("model_list:\n" + entry(m, "g", "newcomer") + locked + slow + limited +
                                entry(m, "g", "fine") + broken("sk-key-two-0123456789") + settings(redis_url));
  EXPECT_NE(std::string(rekeyed.at("summary").as_string()).find("params changed: 1"), std::string::npos) << rekeyed;
  EXPECT_TRUE(g.deployment("broken").at("cooldown").is_null()) << g.deployment("broken");
  EXPECT_TRUE(eventually([&] {
    EXPECT_EQ(g.chat("g").status, 200);
    return g.calls("broken") > 1;
  })) << "tried again with the new key";
  EXPECT_EQ(g.process->stop(), 0);
}

TEST(ReloadState, CooldownsRpmWindowsAndInFlightFollowTheDeploymentIdInMemory) {
  reload_keeps_state_by_id("memory", "");
}

TEST(ReloadState, CooldownsRpmWindowsAndInFlightFollowTheDeploymentIdWithRedis) {
  const auto port = free_port();
  auto redis = start_redis(port);
  ASSERT_TRUE(redis.wait_for_line("Ready to accept connections")) << "redis-server: " << redis.output();
  reload_keeps_state_by_id("redis", "redis://127.0.0.1:" + std::to_string(port));
}

// A reload that turns Redis on replaces the in-memory store: the Redis store takes its local view
// over, so the cooldown and the requests in flight are still there, and Redis learns the cooldown
// (a second instance started afterwards skips the deployment too).
TEST(ReloadState, TurningRedisOnByAReloadHandsTheStateOver) {
  const auto redis_port = free_port();
  auto redis = start_redis(redis_port);
  ASSERT_TRUE(redis.wait_for_line("Ready to accept connections")) << "redis-server: " << redis.output();
  const auto redis_url = "redis://127.0.0.1:" + std::to_string(redis_port);
  Gateway g;
  g.mock = start_mock(kMockModels);
  ASSERT_NE(g.mock.port, 0) << g.mock.process->output();
  const auto m = g.mock.port;
  const auto models = "model_list:\n" + entry(m, "g", "broken") + entry(m, "g", "fine") + entry(m, "slow", "slow");
  g.start("to-redis", models + settings(""));
  for (int i = 0; i < 100 && g.calls("broken") == 0; ++i) ASSERT_EQ(g.chat("g").status, 200);
  ASSERT_EQ(g.deployment("broken").at("cooldown").at("class"), "server_error");
  std::thread slow([&] { EXPECT_EQ(g.chat("slow").status, 200); });
  struct Joiner {
    std::thread& t;
    ~Joiner() {
      if (t.joinable()) t.join();
    }
  } joiner{slow};
  ASSERT_TRUE(eventually([&] { return g.deployment("slow").at("in_flight") == 1; }));

  g.reload(models + settings(redis_url));
  EXPECT_EQ(g.deployment("broken").at("cooldown").at("class"), "server_error");
  EXPECT_EQ(g.deployment("slow").at("in_flight"), 1);
  slow.join();
  EXPECT_TRUE(eventually([&] { return g.deployment("slow").at("in_flight") == 0; }));

  // Another instance on the same Redis learns the cooldown the first one carried in.
  Gateway other;
  other.mock.port = m;
  other.start("to-redis-other", models + settings(redis_url));
  EXPECT_TRUE(eventually([&] { return other.deployment("broken").at("cooldown").is_object(); })) << other.deployment("broken");
  EXPECT_EQ(g.process->stop(), 0);
  EXPECT_EQ(other.process->stop(), 0);
}

// Every deployment of the group (and its fallbacks) rests: the 429 says when to come back, as
// the OpenAI and Anthropic SDKs read it (retry-after-ms first, then Retry-After in seconds).
TEST(ReloadState, AllCoolingDown429CarriesRetryAfterInBothFormats) {
  Gateway g;
  g.mock = start_mock(kMockModels);
  ASSERT_NE(g.mock.port, 0) << g.mock.process->output();
  g.start("retry-after", "model_list:\n" + entry(g.mock.port, "solo", "down") + entry(g.mock.port, "busy", "throttled") +
                             settings(""));
  ASSERT_GE(g.chat("solo").status, 500);  // server_error (502): the only deployment cools down
  for (const auto c : kClients) {
    const auto r = g.chat("solo", c);
    EXPECT_EQ(r.status, 429) << name(c) << ": " << r.body;
    ASSERT_FALSE(r.header("retry-after").empty()) << name(c);
    const auto seconds = std::stoi(r.header("retry-after"));
    EXPECT_GE(seconds, 1);
    EXPECT_LE(seconds, kCooldown.count());
    ASSERT_FALSE(r.header("retry-after-ms").empty()) << name(c);
    const auto ms = std::stoll(r.header("retry-after-ms"));
    EXPECT_GT(ms, (seconds - 1) * 1000);
    EXPECT_LE(ms, seconds * 1000);
    const auto body = json::parse(r.body);
    EXPECT_EQ(body.at("error").at("type"), "rate_limit_error") << r.body;
  }
  EXPECT_EQ(g.calls("down"), 1) << "no call while it rests";
  // An upstream 429 that leaves the group resting: the client's 429 says when it is back too.
  const auto throttled = g.chat("busy", Client::anthropic);
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_FALSE(throttled.header("retry-after").empty());
  EXPECT_EQ(g.process->stop(), 0);
}

}  // namespace
}  // namespace switchyard::testing
