// Several instances, one view: a real redis-server on a free loopback port and two or three
// `switchyard serve` instances in front of one mock. Cooldowns propagate, rpm limits hold across
// instances, per-key limits answer 429 with Retry-After, and Redis dying loses no request.
// redis-server must be installed (`make test` installs it): missing, the tests fail, not skip.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

const char* kMockConfig = R"(models:
  claude-no-credit: {fault: quota_exhausted}
  backup: {reply: "from backup"}
  limited-a: {reply: "a"}
  limited-b: {reply: "b"}
  flip: {reply: "flip"}
default: {reply: "default reply"}
)";

constexpr std::string_view kSubscribed = "subscribed to cooldown events";

const std::string kTeamKey = "sk-team-a-0123456789";    // rpm_limit 3
const std::string kPlainKey = "sk-team-b-0123456789";   // no limits

std::string redis_server_path() {
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest(path);
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const auto dir = rest.substr(0, colon);
      const auto candidate = std::filesystem::path(std::string(dir)) / "redis-server";
      if (!dir.empty() && std::filesystem::exists(candidate)) return candidate.string();
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  return std::filesystem::exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "";
}

// Counts `needle` in a process's output until it reaches `count`; false on timeout.
bool wait_for_count(Process& p, std::string_view needle, int count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto out = p.output();
    int n = 0;
    for (auto at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) ++n;
    if (n >= count) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
}

class Redis {
 public:
  Redis() : port_(free_port()) { start(); }

  void start() {
    const auto path = redis_server_path();
    if (path.empty()) throw std::runtime_error("redis-server not found (apt-get install redis-server; make test installs it)");
    process_ = std::make_unique<Process>(std::vector<std::string>{path, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                                                  "--save", "", "--appendonly", "no"});
    if (!process_->wait_for_line("Ready to accept connections"))
      throw std::runtime_error("redis-server did not start: " + process_->output());
  }
  void kill() {
    ::kill(process_->pid(), SIGKILL);
    process_->wait_for_exit();
  }
  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::unique_ptr<Process> process_;
};

struct Cluster {
  Redis redis;
  MockProcess mock;
  std::vector<std::unique_ptr<Process>> gateways;
  std::vector<std::uint16_t> ports;

  explicit Cluster(int instances) {
    mock = start_mock(kMockConfig);
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
    const auto config =
        "model_list:\n"
        "  - {model_name: claude, litellm_params: {model: anthropic/claude-no-credit, api_base: '" + base + "', api_key: x}}\n"
        "  - {model_name: backup, litellm_params: {model: openai/backup, api_base: '" + base + "/v1'}}\n"
        "  - {model_name: limited, litellm_params: {model: openai/limited-a, api_base: '" + base + "/v1', rpm: 60}}\n"
        "  - {model_name: limited-backup, litellm_params: {model: openai/limited-b, api_base: '" + base + "/v1'}}\n"
        "  - {model_name: flip, litellm_params: {model: anthropic/flip, api_base: '" + base + "', api_key: x}}\n"
        "router_settings:\n"
        "  redis_url: redis://127.0.0.1:" + std::to_string(redis.port()) + "\n"
        "  cooldown_time: 30\n"
        "  fallbacks: [{claude: [backup]}, {limited: [limited-backup]}, {flip: [backup]}]\n"
        "general_settings:\n"
        "  keys:\n"
        "    - {key: " + kTeamKey + ", name: team-a, rpm_limit: 3}\n"
        "    - {key: " + kPlainKey + ", name: team-b}\n";
    const auto file = write_temp_file("redis-gateway-" + std::to_string(mock.port) + ".yaml", config);
    for (int i = 0; i < instances; ++i) {
      gateways.push_back(std::make_unique<Process>(
          std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0", "--threads", "2"}));
      const auto p = gateways.back()->wait_for_port();
      if (!p) throw std::runtime_error("gateway did not start: " + gateways.back()->output());
      ports.push_back(*p);
    }
    // Connected (the writer) and subscribed (the subscriber, its own connection): only then do
    // other instances' cooldowns arrive by pub/sub, which the propagation tests time.
    for (auto& g : gateways)
      if (!g->wait_for_line("connected") || !g->wait_for_line(kSubscribed))
        throw std::runtime_error("gateway never reached redis: " + g->output());
  }

  int calls(const std::string& model) const {
    const auto stats = request(mock.port, "GET", "/mock/stats");
    const auto v = json::parse(stats.body);
    const auto* m = v.at("models").as_object().if_contains(model);
    return m ? static_cast<int>(m->at("calls").to_number<int>()) : 0;
  }
};

HttpResult chat(std::uint16_t port, const std::string& model, const std::string& key = kPlainKey, bool anthropic = false) {
  if (anthropic)
    return request(port, "POST", "/v1/messages",
                   R"({"model":")" + model + R"(","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]})",
                   {{"x-api-key", key}, {"anthropic-version", "2023-06-01"}});
  return request(port, "POST", "/v1/chat/completions", R"({"model":")" + model + R"(","messages":[{"role":"user","content":"Hi"}]})",
                 {{"authorization", "Bearer " + key}});
}

// "... N ms after it was set" from the line a follower logs when it learns a cooldown.
std::optional<double> learned_delay_ms(const std::string& output, const std::string& model) {
  const std::regex line("cooldown of [^ ]*" + model + "[^ ]* \\([a-z_]+\\) learned from instance [0-9a-f]+, (-?[0-9.]+) ms");
  std::smatch m;
  if (!std::regex_search(output, m, line)) return std::nullopt;
  return std::stod(m[1]);
}

TEST(Redis, CooldownLearnedByOneInstanceIsHonouredByTheOthersWithinOneSecond) {
  Cluster c(3);
  const auto first = chat(c.ports[0], "claude");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("x-switchyard-attempts"), "2");  // no credit, then the fallback
  const auto answered = std::chrono::steady_clock::now();
  ASSERT_EQ(c.calls("claude-no-credit"), 1);

  for (std::size_t i = 1; i < c.gateways.size(); ++i) {
    // The whole line (it ends with the delay): a prefix could be read before the rest arrives.
    ASSERT_TRUE(c.gateways[i]->wait_for_line("ms after it was set", 1000ms))
        << "instance " << i << " did not learn the cooldown within 1 s:\n" << c.gateways[i]->output();
    const auto seen_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - answered).count();
    const auto delay = learned_delay_ms(c.gateways[i]->output(), "claude-no-credit");
    ASSERT_TRUE(delay);
    std::cout << "[ propagation ] instance " << i << " learned the cooldown " << *delay
              << " ms after it was set in Redis (test saw it " << seen_ms << " ms after A answered)" << std::endl;
    EXPECT_LT(*delay, 1000);
  }
  for (std::size_t i = 1; i < c.ports.size(); ++i) {
    for (int k = 0; k < 3; ++k) {
      const auto r = chat(c.ports[i], "claude", kPlainKey, k % 2 == 1);
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.header("x-switchyard-attempts"), "1") << "instance " << i << " still called the cooled-down deployment";
    }
  }
  EXPECT_EQ(c.calls("claude-no-credit"), 1);
  EXPECT_EQ(c.calls("backup"), 7);
}

TEST(Redis, DeploymentRpmLimitHoldsAcrossInstancesUnderConcurrentLoad) {
  Cluster c(3);
  constexpr int kThreadsPerInstance = 2;
  constexpr int kRequestsPerThread = 25;
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> clients;
  const auto start = std::chrono::steady_clock::now();
  for (auto port : c.ports)
    for (int t = 0; t < kThreadsPerInstance; ++t)
      clients.emplace_back([&, port] {
        for (int i = 0; i < kRequestsPerThread; ++i) {
          const auto r = chat(port, "limited");
          if (r.status == 200) ++ok;
          else if (r.status == 429) ++refused;
          else ++other;
        }
      });
  for (auto& t : clients) t.join();
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const int total = static_cast<int>(c.ports.size()) * kThreadsPerInstance * kRequestsPerThread;
  const int limited = c.calls("limited-a");
  std::cout << "[ rpm ] " << total << " requests in " << seconds << " s over " << c.ports.size()
            << " instances: limited-a (rpm 60) called " << limited << " times, fallback " << c.calls("limited-b") << std::endl;
  ASSERT_LT(seconds, 60.0);  // all inside one minute: the limit is 60 for the whole run
  EXPECT_LE(limited, 60);
  EXPECT_GE(limited, 55);  // the limit is used, not just avoided
  EXPECT_EQ(ok + refused, total);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(limited + c.calls("limited-b"), ok.load());
}

TEST(Redis, PerKeyRpmLimitHoldsAcrossInstancesWith429AndRetryAfterInBothWireFormats) {
  Cluster c(2);
  ASSERT_EQ(chat(c.ports[0], "backup", kTeamKey).status, 200);
  ASSERT_EQ(chat(c.ports[1], "backup", kTeamKey, true).status, 200);
  ASSERT_EQ(chat(c.ports[0], "backup", kTeamKey).status, 200);

  const auto openai = chat(c.ports[1], "backup", kTeamKey);
  ASSERT_EQ(openai.status, 429) << openai.body;
  const auto retry = std::atoi(openai.header("retry-after").c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  const auto body = json::parse(openai.body);
  EXPECT_EQ(body.at("error").at("type"), "rate_limit_error");
  EXPECT_NE(std::string(body.at("error").at("message").as_string()).find("team-a"), std::string::npos);

  const auto anthropic = chat(c.ports[0], "backup", kTeamKey, true);
  ASSERT_EQ(anthropic.status, 429) << anthropic.body;
  EXPECT_FALSE(anthropic.header("retry-after").empty());
  const auto abody = json::parse(anthropic.body);
  EXPECT_EQ(abody.at("type"), "error");
  EXPECT_EQ(abody.at("error").at("type"), "rate_limit_error");

  // Another key is not affected, and a wrong key is refused.
  EXPECT_EQ(chat(c.ports[1], "backup", kPlainKey).status, 200);
  EXPECT_EQ(chat(c.ports[1], "backup", "sk-wrong").status, 401);
  EXPECT_EQ(c.calls("backup"), 4);
}

TEST(Redis, RedisKilledMidLoadLosesNoRequestAndStateConvergesWhenItReturns) {
  Cluster c(2);
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> clients;
  for (auto port : c.ports)
    for (const char* model : {"backup", "limited"})
      clients.emplace_back([&, port, model] {
        while (!stop) {
          const auto r = chat(port, model);
          if (r.status == 200) {
            ++ok;
          } else {
            const std::lock_guard lock(failures_mutex);
            failures.push_back(std::to_string(r.status) + " " + r.body + " " + r.error.message());
          }
        }
      });
  const auto wait_ok = [&](int more) {
    const int target = ok + more;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (ok < target && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return ok >= target;
  };
  EXPECT_TRUE(wait_ok(50));
  c.redis.kill();
  for (auto& g : c.gateways) EXPECT_TRUE(g->wait_for_line("unavailable", 5s)) << g->output();
  EXPECT_TRUE(wait_ok(100));  // served on the local view
  c.redis.start();            // same port, empty
  for (auto& g : c.gateways) EXPECT_TRUE(wait_for_count(*g, "connected", 2, 10s)) << g->output();
  for (auto& g : c.gateways) EXPECT_TRUE(wait_for_count(*g, kSubscribed, 2, 10s)) << g->output();
  EXPECT_TRUE(wait_ok(50));
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " requests failed, first: " << failures.front();
  std::cout << "[ redis down ] " << ok << " requests answered 200 across the outage" << std::endl;

  // Converged again: a new cooldown on A reaches B.
  ASSERT_EQ(request(c.mock.port, "PUT", "/mock/models/flip", R"({"fault":"quota_exhausted"})").status, 200);
  const auto r = chat(c.ports[0], "flip");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  ASSERT_TRUE(c.gateways[1]->wait_for_line("cooldown of anthropic/flip", 1000ms)) << c.gateways[1]->output();
  const auto b = chat(c.ports[1], "flip");
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(b.header("x-switchyard-attempts"), "1");
  EXPECT_EQ(c.calls("flip"), 1);
}

}  // namespace
}  // namespace switchyard::testing
