// Operating the gateway, through the real binaries: Prometheus metrics that move by exactly what
// happened (and parse with Prometheus' own promtool), the per-request log line, the admin view,
// and live reload under load (SIGHUP and POST /admin/reload) that loses no request.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "chat_client.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kAnthropicKey = "sk-ant-api03-OPERATIONS-TEST-SECRET-0123456789";
constexpr std::string_view kBackupKey = "sk-backup-OPERATIONS-TEST-SECRET-9876543210";
constexpr std::string_view kMasterKey = "sk-master-OPERATIONS-TEST-0000";

// Anthropic out of credit, falling back to an OpenAI-compatible backup.
std::string config_text(std::uint16_t mock_port, const std::string& extra_groups = "") {
  const auto base = "http://127.0.0.1:" + std::to_string(mock_port);
  return "model_list:\n"
         "  - {model_name: claude, litellm_params: {model: anthropic/claude-broke, api_base: '" + base + "', api_key: '" +
         std::string(kAnthropicKey) + "'}}\n"
         "  - {model_name: backup, litellm_params: {model: openai_compatible/gpt-backup, api_base: '" + base +
         "/v1', api_key: '" + std::string(kBackupKey) + "'}}\n" + extra_groups +
         "router_settings:\n  num_retries: 0\n  fallbacks: [{claude: [backup]}]\n"
         "general_settings:\n  master_key: '" + std::string(kMasterKey) + "'\n";
}

struct OpsStack {
  MockProcess mock;
  std::filesystem::path config;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  explicit OpsStack(const std::string& tag, const std::string& mock_models = "") {
    mock = start_mock("models:\n  claude-broke: {fault: quota_exhausted}\n  gpt-backup: {reply: \"Hello from the backup\"}\n" +
                      mock_models);
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    config = write_temp_file("ops-" + tag + ".yaml", config_text(mock.port));
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", config.string(),
                                                                 "--port", "0", "--log-format", "json"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }
  Headers admin() const { return {{"authorization", "Bearer " + std::string(kMasterKey)}}; }
  HttpResult chat(Client c, Headers extra = {}) const {
    Headers headers = admin();
    if (c == Client::anthropic) headers.emplace_back("anthropic-version", "2023-06-01");
    for (auto& h : extra) headers.push_back(std::move(h));
    return request(port, "POST", path(c), chat_body(c, "claude", false), headers);
  }
  int mock_calls(const std::string& model) const {
    const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body).as_object();
    const auto* m = stats.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
};

// The exposition's samples: `name{labels}` → value (comments skipped).
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

// Replaces a config file in one step (rename), as a deploy tool or kubelet does.
void overwrite(const std::filesystem::path& path, const std::string& content) {
  const auto fresh = write_temp_file("next.yaml", content);
  std::filesystem::rename(fresh, path);
}

double value(const std::map<std::string, double>& m, const std::string& series) {
  const auto it = m.find(series);
  return it == m.end() ? 0 : it->second;
}

// promtool (Prometheus' own parser and linter) on the exposition; its output when it fails.
std::string promtool_check(const std::string& exposition) {
  const auto file = write_temp_file("metrics.txt", exposition);
  const auto cmd = "promtool check metrics < '" + file.string() + "' 2>&1";
  std::string output;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return "cannot run promtool";
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe)) output += buf;
  const int rc = ::pclose(pipe);
  return rc == 0 ? "" : "promtool failed (" + std::to_string(rc) + "): " + output;
}

TEST(Operations, MetricsMoveByExactlyWhatHappenedAndParse) {
  OpsStack s("metrics");
  const auto before = samples(request(s.port, "GET", "/metrics").body);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(s.chat(Client::openai).status, 200);
  ASSERT_EQ(s.chat(Client::anthropic).status, 200);
  // A request is recorded just after its answer is sent: scrape until the fourth is in (deadline).
  const auto backup_series = "switchyard_attempts_total{model_group=\"backup\",deployment=\"openai_compatible/gpt-backup@"
                             "http://127.0.0.1:" + std::to_string(s.mock.port) + "/v1\",result=\"success\"}";
  HttpResult scraped;
  for (const auto deadline = std::chrono::steady_clock::now() + 5s;;) {
    scraped = request(s.port, "GET", "/metrics");
    ASSERT_EQ(scraped.status, 200);
    if (value(samples(scraped.body), backup_series) - value(before, backup_series) >= 4 ||
        std::chrono::steady_clock::now() > deadline)
      break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(scraped.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(promtool_check(scraped.body), "");
  const auto after = samples(scraped.body);
  const auto delta = [&](const std::string& series) { return value(after, series) - value(before, series); };

  const auto anthropic = "anthropic/claude-broke@http://127.0.0.1:" + std::to_string(s.mock.port);
  const auto backup = "openai_compatible/gpt-backup@http://127.0.0.1:" + std::to_string(s.mock.port) + "/v1";
  EXPECT_EQ(delta("switchyard_requests_total{model_group=\"claude\",deployment=\"" + backup +
                  "\",client_format=\"openai\",status=\"200\"}"), 3);
  EXPECT_EQ(delta("switchyard_requests_total{model_group=\"claude\",deployment=\"" + backup +
                  "\",client_format=\"anthropic\",status=\"200\"}"), 1);
  // Anthropic is asked once: quota exhausted cools it down at once; the others skip it.
  EXPECT_EQ(delta("switchyard_attempts_total{model_group=\"claude\",deployment=\"" + anthropic +
                  "\",result=\"quota_exhausted\"}"), 1);
  EXPECT_EQ(delta("switchyard_attempts_total{model_group=\"backup\",deployment=\"" + backup + "\",result=\"success\"}"), 4);
  EXPECT_EQ(delta("switchyard_fallbacks_total{model_group=\"claude\",from_deployment=\"" + anthropic +
                  "\",to_group=\"backup\",class=\"quota_exhausted\"}"), 1);
  EXPECT_EQ(value(after, "switchyard_deployment_cooldown{model_group=\"claude\",deployment=\"" + anthropic +
                             "\",class=\"quota_exhausted\"}"), 1);
  EXPECT_EQ(delta("switchyard_upstream_latency_seconds_count{deployment=\"" + anthropic + "\"}"), 1);
  EXPECT_EQ(delta("switchyard_upstream_latency_seconds_count{deployment=\"" + backup + "\"}"), 4);
  EXPECT_EQ(delta("switchyard_gateway_overhead_seconds_count"), 3) << "only first-attempt answers";
  EXPECT_GT(delta("switchyard_tokens_total{deployment=\"" + backup + "\",direction=\"output\"}"), 0);
  EXPECT_EQ(value(after, "switchyard_in_flight_requests"), 0);
  EXPECT_EQ(s.mock_calls("claude-broke"), 1);

  // No key appears in the metrics or in anything the gateway printed (stopped first: the request
  // log's last batch is written on the way out).
  EXPECT_EQ(s.gateway->stop(), 0);
  for (const auto secret : {kAnthropicKey, kBackupKey, kMasterKey}) {
    EXPECT_EQ(scraped.body.find(secret), std::string::npos);
    EXPECT_EQ(s.gateway->output().find(secret), std::string::npos);
  }
}

TEST(Operations, OneJsonLogLinePerRequestWithEveryAttempt) {
  OpsStack s("log");
  const auto r = s.chat(Client::openai, {{"x-request-id", "trace-fallback-1"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-request-id"), "trace-fallback-1");
  ASSERT_TRUE(s.gateway->wait_for_line("trace-fallback-1"));
  std::optional<json::object> line;
  std::istringstream out(s.gateway->output());
  for (std::string text; std::getline(out, text);) {
    if (text.find("\"trace-fallback-1\"") == std::string::npos) continue;
    ASSERT_FALSE(line) << "one line per request";
    line = json::parse(text).as_object();
  }
  ASSERT_TRUE(line);
  EXPECT_EQ(line->at("status"), 200);
  EXPECT_EQ(line->at("model_group"), "claude");
  EXPECT_EQ(line->at("answered_by_group"), "backup");
  EXPECT_EQ(line->at("fallback_path"), (json::array{"claude", "backup"}));
  const auto& attempts = line->at("attempts").as_array();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].at("result"), "quota_exhausted");
  EXPECT_EQ(attempts[0].at("status"), 400);
  EXPECT_EQ(attempts[0].at("rule"), "anthropic.credit_balance_too_low");
  EXPECT_EQ(attempts[1].at("result"), "success");
  EXPECT_GT(line->at("duration_us").to_number<std::int64_t>(), 0);
  EXPECT_EQ(s.gateway->output().find(kAnthropicKey), std::string::npos);
  EXPECT_EQ(s.gateway->stop(), 0);
}

// Without an x-request-id the gateway makes one: "req_" + 24 hex digits, a new one per request,
// in the answer's header and in the log line.
TEST(Operations, GeneratedRequestIdsAreReqAnd24HexDigitsAndUnique) {
  OpsStack s("request-ids");
  HttpConnection connection(s.port);
  std::set<std::string> ids;
  constexpr int kRequests = 200;
  for (int i = 0; i < kRequests; ++i) {
    const auto r = connection.request("POST", path(Client::openai), chat_body(Client::openai, "backup", false), s.admin());
    ASSERT_EQ(r.status, 200) << r.body;
    const auto id = r.header("x-request-id");
    ASSERT_TRUE(std::regex_match(id, std::regex("req_[0-9a-f]{24}"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kRequests));
  ASSERT_TRUE(s.gateway->wait_for_line("\"request_id\":\"" + *ids.rbegin() + "\"")) << s.gateway->output();
  EXPECT_EQ(s.gateway->stop(), 0);
}

// The allocator the binary runs on is named at startup: the benchmark figures depend on it, and
// a build that silently lost jemalloc (a packaging change, a link order) would show here.
TEST(Operations, StartupLineNamesTheAllocator) {
  OpsStack s("allocator");
#ifdef SWITCHYARD_EXPECT_JEMALLOC
  EXPECT_TRUE(s.gateway->wait_for_line(" deployments, jemalloc 5.")) << s.gateway->output();
#else
  EXPECT_TRUE(s.gateway->wait_for_line(" deployments, system malloc)")) << s.gateway->output();
#endif
  EXPECT_EQ(s.gateway->stop(), 0);
}

// Lines are written in batches (at most ~100 ms late): a SIGTERM right after the last answer
// must still find every line written before the process exits, none torn.
TEST(Operations, EveryLogLineIsWrittenBeforeTheGatewayExits) {
  OpsStack s("log-drain");
  constexpr int kRequests = 30;
  for (int i = 0; i < kRequests; ++i)
    ASSERT_EQ(s.chat(Client::openai, {{"x-request-id", "drain-" + std::to_string(i)}}).status, 200);
  EXPECT_EQ(s.gateway->stop(), 0);  // SIGTERM at once: the last lines are still batched
  std::istringstream out(s.gateway->output());
  std::set<std::string> logged;
  for (std::string text; std::getline(out, text);) {
    if (text.find("\"drain-") == std::string::npos) continue;
    const auto line = json::parse(text).as_object();  // a whole JSON line, not a torn one
    logged.insert(std::string(line.at("request_id").as_string()));
  }
  EXPECT_EQ(logged.size(), static_cast<std::size_t>(kRequests)) << s.gateway->output();
}

TEST(Operations, AdminShowsCooldownsAndClearsThem) {
  OpsStack s("admin");
  EXPECT_EQ(request(s.port, "GET", "/admin/deployments").status, 401) << "behind master_key";
  ASSERT_EQ(s.chat(Client::openai).status, 200);  // Anthropic: quota exhausted → cooled down

  const auto view = request(s.port, "GET", "/admin/deployments", "", s.admin());
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.body.find(kAnthropicKey), std::string::npos);
  const auto deployments = json::parse(view.body).at("deployments").as_array();
  ASSERT_EQ(deployments.size(), 2u);
  const auto& anthropic = deployments[0].as_object();
  EXPECT_EQ(anthropic.at("model_group"), "claude");
  EXPECT_EQ(anthropic.at("healthy"), false);
  EXPECT_EQ(anthropic.at("cooldown").at("class"), "quota_exhausted");
  EXPECT_GT(anthropic.at("cooldown").at("remaining_seconds").to_number<double>(), 500);
  EXPECT_EQ(deployments[1].at("healthy"), true);
  EXPECT_EQ(deployments[1].at("cooldown"), nullptr);
  EXPECT_GT(deployments[1].at("latency_ms").to_number<double>(), 0);

  const auto cleared = request(s.port, "POST", "/admin/cooldowns/clear", "", s.admin());
  ASSERT_EQ(cleared.status, 200);
  EXPECT_EQ(json::parse(cleared.body).at("cleared"), 1);
  ASSERT_EQ(s.chat(Client::openai).status, 200);
  EXPECT_EQ(s.mock_calls("claude-broke"), 2) << "tried again after the clear";
  EXPECT_EQ(s.gateway->stop(), 0);
}

// Client keys without a master key: the keys call models, but nobody (with or without a key) may
// reload the config or clear cooldowns.
TEST(Operations, ClientKeysWithoutAMasterKeyNeverOpenTheAdminEndpoints) {
  const auto config = write_temp_file("admin-keys-only.yaml",
                                      "model_list:\n"
                                      "  - {model_name: m, litellm_params: {model: openai/m, api_base: 'http://127.0.0.1:9/v1', api_key: x}}\n"
                                      "general_settings:\n"
                                      "  keys: [{key: sk-team-key-1234, name: team}]\n");
  Process gateway({binary_path(), "serve", "--config", config.string(), "--port", "0"});
  const auto port = gateway.wait_for_port();
  ASSERT_TRUE(port) << gateway.output();
  const Headers team{{"authorization", "Bearer sk-team-key-1234"}};
  EXPECT_EQ(request(*port, "GET", "/admin/deployments").status, 401);
  EXPECT_EQ(request(*port, "GET", "/admin/deployments", "", team).status, 401);
  EXPECT_EQ(request(*port, "POST", "/admin/cooldowns/clear", "", team).status, 401);
  EXPECT_EQ(request(*port, "POST", "/admin/reload", "", team).status, 401);
  EXPECT_EQ(request(*port, "GET", "/v1/models", "", team).status, 200) << "the key still calls the models";
}

// 200 requests in flight at once while the config is reloaded (SIGHUP and POST /admin/reload)
// and a bad config is refused: every request is answered 200, and the new config serves.
TEST(Operations, ReloadUnderLoadLosesNoRequestAndRefusesABadConfig) {
  OpsStack s("reload", "  gpt-slow: {latency_ms: 300, reply: \"slow but sure\"}\n");
  const auto slow_group = [&](const std::string& name) {
    return "  - {model_name: " + name + ", litellm_params: {model: openai_compatible/gpt-slow, api_base: 'http://127.0.0.1:" +
           std::to_string(s.mock.port) + "/v1'}}\n";
  };
  overwrite(s.config, config_text(s.mock.port, slow_group("slow")));
  ASSERT_EQ(request(s.port, "POST", "/admin/reload", "", s.admin()).status, 200);

  constexpr int kClients = 200;
  std::atomic<int> ok{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i)
    clients.emplace_back([&] {
      const auto r = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "slow", false), s.admin(),
                             std::chrono::seconds(20));
      if (r.status == 200) ++ok;
      else {
        std::lock_guard lock(failures_mutex);
        failures.push_back(std::to_string(r.status) + " " + r.error.message() + " " + r.body);
      }
    });
  // While they are in flight: reload by SIGHUP, by POST, and refuse a broken file.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  overwrite(s.config, config_text(s.mock.port, slow_group("slow") + slow_group("extra")));
  ::kill(s.gateway->pid(), SIGHUP);
  // The signal is handled asynchronously: wait for it, or on a loaded machine it may read the
  // broken file written below (and count as a failed reload).
  EXPECT_TRUE(s.gateway->wait_for_line("SIGHUP: config reloaded"));
  const auto reloaded = request(s.port, "POST", "/admin/reload", "", s.admin());
  EXPECT_EQ(reloaded.status, 200) << reloaded.body;
  EXPECT_EQ(json::parse(reloaded.body).at("reloaded"), true);
  overwrite(s.config, "model_list:\n  - {model_name: x, litellm_params: {model: nonsense/x}}\n");
  const auto refused = request(s.port, "POST", "/admin/reload", "", s.admin());
  EXPECT_EQ(refused.status, 422) << refused.body;
  const auto errors = json::parse(refused.body).at("errors").as_array();
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(std::string(errors[0].as_string()).find(s.config.string() + ":2:"), std::string::npos) << errors[0];
  for (auto& t : clients) t.join();

  EXPECT_EQ(ok.load(), kClients) << (failures.empty() ? "" : failures.front());
  // The last good config serves (the bad one was refused).
  const auto models = request(s.port, "GET", "/v1/models", "", s.admin());
  EXPECT_NE(models.body.find("\"extra\""), std::string::npos) << models.body;
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "extra", false), s.admin()).status, 200);
  const auto metrics = samples(request(s.port, "GET", "/metrics").body);
  EXPECT_EQ(value(metrics, "switchyard_config_reloads_total{result=\"success\"}"), 3);
  EXPECT_EQ(value(metrics, "switchyard_config_reloads_total{result=\"failure\"}"), 1);
  EXPECT_EQ(s.gateway->stop(), 0);
}

// POST /admin/reload reads the config off the I/O threads: while a reload waits on a config file
// that is slow to read (a FIFO whose writer has not written yet), the gateway's only I/O thread
// still answers. (A post() to the admin executor and back used to run the reload right on it.)
TEST(Operations, ReloadReadsTheConfigOffTheIoThread) {
  OpsStack s("reload-off-io");
  Process gateway({binary_path(), "serve", "--config", s.config.string(), "--port", "0", "--threads", "1"});
  const auto port = gateway.wait_for_port();
  ASSERT_TRUE(port) << gateway.output();
  const auto good = config_text(s.mock.port);
  std::filesystem::remove(s.config);
  ASSERT_EQ(::mkfifo(s.config.c_str(), 0600), 0);
  HttpResult reloaded;
  std::thread reloader([&] { reloaded = request(*port, "POST", "/admin/reload", "", s.admin(), std::chrono::seconds(30)); });
  // The reload has the FIFO open once a writer can open it without blocking.
  int writer = -1;
  ASSERT_TRUE(eventually([&] { return (writer = ::open(s.config.c_str(), O_WRONLY | O_NONBLOCK)) >= 0; }));
  const auto health = request(*port, "GET", "/health/liveliness", "", {}, std::chrono::seconds(5));
  EXPECT_EQ(health.status, 200) << "the I/O thread is blocked by the reload: " << health.error.message();
  ASSERT_EQ(::write(writer, good.data(), good.size()), static_cast<ssize_t>(good.size()));
  ::close(writer);
  reloader.join();
  EXPECT_EQ(reloaded.status, 200) << reloaded.body;
  std::filesystem::remove(s.config);
  EXPECT_EQ(gateway.stop(), 0);
}

// SIGTERM drains: the listening socket closes at once (new connections refused), a request in
// flight still gets its answer, then the process exits 0.
TEST(Operations, SigtermDrainsRequestsInFlight) {
  OpsStack s("drain", "  gpt-slow: {latency_ms: 1500, reply: \"finished anyway\"}\n");
  overwrite(s.config, config_text(s.mock.port,
                                  "  - {model_name: slow, litellm_params: {model: openai_compatible/gpt-slow, api_base: 'http://127.0.0.1:" +
                                      std::to_string(s.mock.port) + "/v1'}}\n"));
  ASSERT_EQ(request(s.port, "POST", "/admin/reload", "", s.admin()).status, 200);
  HttpResult in_flight;
  std::thread client([&] {
    in_flight = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "slow", false), s.admin());
  });
  const auto reached = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (s.mock_calls("gpt-slow") == 0 && std::chrono::steady_clock::now() < reached)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(s.mock_calls("gpt-slow"), 1);
  ::kill(s.gateway->pid(), SIGTERM);
  ASSERT_TRUE(s.gateway->wait_for_line("draining"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(request(s.port, "GET", "/health/liveliness").ok()) << "new connections are refused while draining";
  client.join();
  EXPECT_EQ(in_flight.status, 200) << in_flight.body << in_flight.error.message();
  EXPECT_NE(in_flight.body.find("finished anyway"), std::string::npos);
  EXPECT_EQ(s.gateway->wait_for_exit(std::chrono::seconds(5)), 0);
}

}  // namespace
}  // namespace switchyard::testing
