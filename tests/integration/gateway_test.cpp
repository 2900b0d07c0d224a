// The gateway end to end: real `switchyard serve` and `switchyard mock` processes on 127.0.0.1,
// real sockets, the mock answering with the providers' real error bodies.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

// Upstream model names double as the mock's behaviour keys.
const char* kMockConfig = R"(models:
  claude-no-credit: {fault: quota_exhausted}
  claude-invalid: {fault: bad_request}
  claude-rate-limited-once: {script: [rate_limit, ok], retry_after: 1}
  dbx-claude: {reply: "Hello from Databricks"}
  vertex-claude: {reply: "Hello from Vertex"}
  gpt-overloaded: {fault: overloaded}
  gpt-forbidden: {fault: permission_denied}
  gpt-down: {fault: server_error}
  gpt-garbage: {fault: garbage}
  gpt-hang: {fault: hang}
  steady-a: {reply: "a"}
  steady-b: {reply: "b"}
default: {reply: "default reply"}
)";

std::string gateway_config(std::uint16_t mock, const std::string& extra_models = "", const std::string& extra = "") {
  const auto base = "http://127.0.0.1:" + std::to_string(mock);
  return "model_list:\n"
         "  - {model_name: claude-opus-4-6, litellm_params: {model: anthropic/claude-no-credit, api_base: '" + base + "', api_key: sk-ant-x}}\n"
         "  - {model_name: databricks-claude-opus-4-6, litellm_params: {model: databricks/dbx-claude, api_base: '" + base + "/serving-endpoints', api_key: dapi-x}}\n"
         "  - {model_name: vertex-claude-opus-4-6, litellm_params: {model: openai_compatible/vertex-claude, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: strict, litellm_params: {model: anthropic/claude-invalid, api_base: '" + base + "'}}\n"
         "  - {model_name: flaky, litellm_params: {model: anthropic/claude-rate-limited-once, api_base: '" + base + "'}}\n"
         "  - {model_name: doomed-1, litellm_params: {model: openai/gpt-overloaded, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: doomed-2, litellm_params: {model: openai/gpt-forbidden, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: doomed-3, litellm_params: {model: openai/gpt-down, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: garbage, litellm_params: {model: openai/gpt-garbage, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: hangs, litellm_params: {model: openai/gpt-hang, api_base: '" + base + "/v1', timeout: 1}}\n"
         "  - {model_name: steady, litellm_params: {model: openai/steady-a, api_base: '" + base + "/v1'}}\n"
         "  - {model_name: steady, litellm_params: {model: openai/steady-b, api_base: '" + base + "/v1'}}\n" +
         extra_models +
         "router_settings:\n"
         "  num_retries: 2\n"
         "  allowed_fails: 3\n"
         "  cooldown_time: 30\n"
         "  fallbacks:\n"
         "    - claude-opus-4-6: [databricks-claude-opus-4-6, vertex-claude-opus-4-6]\n"
         "    - strict: [databricks-claude-opus-4-6]\n"
         "    - doomed-1: [doomed-2, doomed-3]\n"
         "    - garbage: [vertex-claude-opus-4-6]\n"
         "    - hangs: [vertex-claude-opus-4-6]\n" +
         extra;
}

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  explicit Stack(const std::string& extra_models = "", const std::string& extra = "") {
    mock = start_mock(kMockConfig);
    const auto cfg = write_temp_file("gateway-" + std::to_string(mock.port) + ".yaml", gateway_config(mock.port, extra_models, extra));
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  int calls(const std::string& model) const {
    const auto stats = request(mock.port, "GET", "/mock/stats");
    const auto v = json::parse(stats.body);
    const auto* m = v.at("models").as_object().if_contains(model);
    return m ? static_cast<int>(m->at("calls").to_number<int>()) : 0;
  }
};

std::string openai_chat(const std::string& model, bool stream = false) {
  return R"({"model":")" + model + R"(","messages":[{"role":"user","content":"Hello"}])" +
         (stream ? R"(,"stream":true,"stream_options":{"include_usage":true})" : "") + "}";
}
std::string anthropic_chat(const std::string& model, bool stream = false) {
  return R"({"model":")" + model + R"(","max_tokens":64,"messages":[{"role":"user","content":"Hello"}])" +
         (stream ? R"(,"stream":true)" : "") + "}";
}

TEST(Gateway, CreditBalance400FallsBackToDatabricksAndSkipsAnthropicWhileCooledDown) {
  Stack s;
  auto first = request(s.port, "POST", "/v1/chat/completions", openai_chat("claude-opus-4-6"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("x-switchyard-model-group"), "databricks-claude-opus-4-6");
  EXPECT_EQ(first.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(first.header("x-switchyard-fallback-path"), "claude-opus-4-6,databricks-claude-opus-4-6");
  EXPECT_NE(first.header("x-switchyard-deployment").find("databricks/dbx-claude@"), std::string::npos);
  EXPECT_EQ(json::parse(first.body).at("choices").at(0).at("message").at("content"), "Hello from Databricks");

  // Anthropic-format clients get the same fallback, translated both ways.
  auto second = request(s.port, "POST", "/v1/messages", anthropic_chat("claude-opus-4-6"),
                        {{"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.header("x-switchyard-attempts"), "1");  // Anthropic cooled down: no wasted call
  const auto msg = json::parse(second.body);
  EXPECT_EQ(msg.at("type"), "message");
  EXPECT_EQ(msg.at("content").at(0).at("text"), "Hello from Databricks");
  for (int i = 0; i < 3; ++i) ASSERT_EQ(request(s.port, "POST", "/v1/chat/completions", openai_chat("claude-opus-4-6")).status, 200);
  EXPECT_EQ(s.calls("claude-no-credit"), 1);
  EXPECT_EQ(s.calls("dbx-claude"), 5);
  EXPECT_EQ(s.calls("vertex-claude"), 0);
}

TEST(Gateway, InvalidRequestIsReturnedAs400AndTheFallbackIsNeverCalled) {
  Stack s;
  auto r = request(s.port, "POST", "/v1/messages", anthropic_chat("strict"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("x-switchyard-error-class"), "bad_request");
  EXPECT_EQ(r.header("x-switchyard-attempts"), "1");
  const auto body = json::parse(r.body);
  EXPECT_EQ(body.at("type"), "error");
  EXPECT_EQ(body.at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(s.calls("dbx-claude"), 0);
  // Not cooled down: the next request reaches the deployment again.
  EXPECT_EQ(request(s.port, "POST", "/v1/messages", anthropic_chat("strict")).status, 400);
  EXPECT_EQ(s.calls("claude-invalid"), 2);
}

TEST(Gateway, RateLimitWithRetryAfterIsRetriedThenSucceeds) {
  Stack s;
  const auto start = std::chrono::steady_clock::now();
  auto r = request(s.port, "POST", "/v1/chat/completions", openai_chat("flaky"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "flaky");
  EXPECT_GE(elapsed, std::chrono::milliseconds(950));  // Retry-After: 1 was honoured
  EXPECT_EQ(s.calls("claude-rate-limited-once"), 2);
}

TEST(Gateway, AllDeploymentsFailingGiveOneErrorListingEveryAttempt) {
  Stack s;
  auto r = request(s.port, "POST", "/v1/chat/completions", openai_chat("doomed-1"));
  EXPECT_EQ(r.status, 502) << r.body;  // the last attempt was a server_error
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "doomed-1,doomed-2,doomed-3");
  const auto message = std::string(json::parse(r.body).at("error").at("message").as_string());
  EXPECT_NE(message.find("doomed-1/openai/gpt-overloaded@"), std::string::npos) << message;
  EXPECT_NE(message.find(": overloaded: "), std::string::npos) << message;
  EXPECT_NE(message.find("doomed-2/openai/gpt-forbidden@"), std::string::npos) << message;
  EXPECT_NE(message.find(": permission_denied: "), std::string::npos) << message;
  EXPECT_NE(message.find("doomed-3/openai/gpt-down@"), std::string::npos) << message;
  EXPECT_NE(message.find(": server_error: "), std::string::npos) << message;
  EXPECT_EQ(json::parse(r.body).at("error").at("code"), "server_error");
}

// The answer's header lines are formatted into a small buffer first: a head longer than it (long
// group names in the fallback path) must come out whole all the same.
TEST(Gateway, LongGroupNamesInTheRoutingHeadersComeOutWhole) {
  const std::string first = "refusing-" + std::string(200, 'a'), second = "answering-" + std::string(200, 'b');
  MockProcess mock = start_mock(kMockConfig);
  const auto base = "http://127.0.0.1:" + std::to_string(mock.port) + "/v1";
  const auto cfg = write_temp_file("gateway-long-" + std::to_string(mock.port) + ".yaml",
                                   "model_list:\n"
                                   "  - {model_name: " + first + ", litellm_params: {model: openai/gpt-forbidden, api_base: '" + base + "'}}\n"
                                   "  - {model_name: " + second + ", litellm_params: {model: openai/steady-a, api_base: '" + base + "'}}\n"
                                   "router_settings:\n"
                                   "  num_retries: 0\n"
                                   "  fallbacks: [{" + first + ": [" + second + "]}]\n");
  Process gateway({binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
  const auto port = gateway.wait_for_port();
  ASSERT_TRUE(port) << gateway.output();
  const auto r = request(*port, "POST", "/v1/chat/completions", openai_chat(first), {{"x-request-id", "long-head-1"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-model-group"), second);
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), first + "," + second);
  EXPECT_EQ(r.header("x-switchyard-deployment"), "openai/steady-a@" + base);
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(r.header("x-request-id"), "long-head-1");
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"), "a");
}

TEST(Gateway, GarbageAndHangingUpstreamsFallBack) {
  Stack s;
  auto garbage = request(s.port, "POST", "/v1/chat/completions", openai_chat("garbage"));
  ASSERT_EQ(garbage.status, 200) << garbage.body;
  EXPECT_EQ(garbage.header("x-switchyard-model-group"), "vertex-claude-opus-4-6");
  const auto start = std::chrono::steady_clock::now();
  auto hang = request(s.port, "POST", "/v1/chat/completions", openai_chat("hangs"), {}, std::chrono::seconds(20));
  ASSERT_EQ(hang.status, 200) << hang.body;
  EXPECT_EQ(hang.header("x-switchyard-model-group"), "vertex-claude-opus-4-6");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(12));  // 1 s timeout + 2 retries + backoff
}

TEST(Gateway, FallbackCycleIsRefusedAtLoad) {
  const auto cfg = write_temp_file("cycle.yaml", R"(model_list:
  - {model_name: a, litellm_params: {model: openai/x, api_base: 'http://127.0.0.1:9/v1'}}
  - {model_name: b, litellm_params: {model: openai/y, api_base: 'http://127.0.0.1:9/v1'}}
router_settings:
  fallbacks: [{a: [b]}, {b: [a]}]
)");
  Process p({binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
  EXPECT_EQ(p.wait_for_exit(), 1);
  EXPECT_NE(p.output().find(cfg.string() + ":5:"), std::string::npos) << p.output();
  EXPECT_NE(p.output().find("fallback cycle"), std::string::npos) << p.output();
}

TEST(Gateway, TwoHundredConcurrentRequestsLoseNoneWhenADeploymentDiesMidRun) {
  Stack s;
  constexpr int kClients = 20, kPerClient = 10;
  std::atomic<int> ok{0}, done{0};
  std::vector<std::string> failures;
  std::mutex failures_mutex;
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c)
    clients.emplace_back([&] {
      HttpConnection conn(s.port);
      for (int i = 0; i < kPerClient; ++i) {
        auto r = conn.request("POST", "/v1/chat/completions", openai_chat("steady"));
        if (r.status == 200) ++ok;
        else {
          std::lock_guard lock(failures_mutex);
          failures.push_back(std::to_string(r.status) + " " + r.body);
        }
        ++done;
      }
    });
  // Kill one deployment once the run is under way.
  while (done < kClients * kPerClient / 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(request(s.mock.port, "PUT", "/mock/models/steady-a", R"({"fault":"connection_reset"})").status, 200);
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok, kClients * kPerClient) << (failures.empty() ? "" : failures.front());
  EXPECT_GT(s.calls("steady-b"), 0);
}

TEST(Gateway, MasterKeyIsRequiredWhenConfigured) {
  Stack s("", "general_settings: {master_key: sk-gateway-secret}\n");
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", openai_chat("steady")).status, 401);
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", openai_chat("steady"), {{"authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", openai_chat("steady"),
                    {{"authorization", "Bearer sk-gateway-secret"}}).status, 200);
  EXPECT_EQ(request(s.port, "POST", "/v1/messages", anthropic_chat("steady"), {{"x-api-key", "sk-gateway-secret"}}).status, 200);
  EXPECT_EQ(request(s.port, "GET", "/health/liveliness").status, 200);  // probes need no key
}

TEST(Gateway, ModelsHealthAndBadInput) {
  Stack s;
  auto models = request(s.port, "GET", "/v1/models");
  ASSERT_EQ(models.status, 200);
  EXPECT_NE(models.body.find(R"("id":"claude-opus-4-6")"), std::string::npos);
  EXPECT_EQ(request(s.port, "GET", "/health/readiness").status, 200);
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", "{not json").status, 400);
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", R"({"model":"nope","messages":[]})").status, 404);
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", R"({"messages":[]})").status, 400);
  EXPECT_EQ(request(s.port, "GET", "/nowhere").status, 404);
  // Larger than the 32 MiB body limit: refused with 413, the gateway keeps serving.
  const std::string huge(33u << 20, 'x');
  auto big = request(s.port, "POST", "/v1/chat/completions", huge);
  EXPECT_TRUE(big.status == 413 || !big.ok()) << big.status;
  EXPECT_EQ(request(s.port, "POST", "/v1/chat/completions", openai_chat("steady")).status, 200);
}

TEST(Gateway, StreamingRequestsGetWellFormedEventStreamsInTheClientsFormat) {
  Stack s;
  auto openai = request(s.port, "POST", "/v1/chat/completions", openai_chat("claude-opus-4-6", true));
  ASSERT_EQ(openai.status, 200) << openai.body;
  EXPECT_EQ(openai.header("content-type"), "text/event-stream");
  const auto events = parse_sse(openai.body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.back().data, "[DONE]");
  std::string text;
  for (const auto& e : events) {
    if (e.data == "[DONE]") continue;
    const auto chunk = json::parse(e.data);
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    for (const auto& c : chunk.at("choices").as_array())
      if (const auto* content = c.at("delta").as_object().if_contains("content")) text += content->as_string();
  }
  EXPECT_EQ(text, "Hello from Databricks");

  auto anthropic = request(s.port, "POST", "/v1/messages", anthropic_chat("claude-opus-4-6", true));
  ASSERT_EQ(anthropic.status, 200) << anthropic.body;
  const auto aevents = parse_sse(anthropic.body);
  ASSERT_GE(aevents.size(), 5u);
  EXPECT_EQ(aevents.front().event, "message_start");
  EXPECT_EQ(aevents.back().event, "message_stop");
}

}  // namespace
}  // namespace switchyard::testing

namespace switchyard::testing {
namespace {

// What each provider adapter puts on the wire, as the mock received it.
TEST(GatewayProviders, EachProviderSendsItsOwnPathAndAuthHeaders) {
  auto mock = start_mock("default: {reply: ok}\n");
  const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
  const auto cfg = write_temp_file("providers-" + std::to_string(mock.port) + ".yaml",
      "model_list:\n"
      "  - {model_name: a, litellm_params: {model: anthropic/claude-x, api_base: '" + base + "', api_key: sk-ant-1}}\n"
      "  - {model_name: o, litellm_params: {model: openai/gpt-x, api_base: '" + base + "/v1', api_key: sk-oai-1}}\n"
      "  - {model_name: d, litellm_params: {model: databricks/dbx-x, api_base: '" + base + "/serving-endpoints', api_key: dapi-1}}\n"
      "  - {model_name: z, litellm_params: {model: azure/my-deploy, api_base: '" + base + "', api_key: az-1, api_version: '2024-06-01'}}\n"
      "  - {model_name: v, litellm_params: {model: hosted_vllm/llama-x, api_base: '" + base + "/v1'}}\n");
  Process gw({binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
  const auto port = gw.wait_for_port();
  ASSERT_TRUE(port) << gw.output();
  for (const char* group : {"a", "o", "d", "z", "v"})
    ASSERT_EQ(request(*port, "POST", "/v1/chat/completions",
                      std::string(R"({"model":")") + group + R"(","messages":[{"role":"user","content":"hi"}]})").status, 200) << group;
  const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body).at("models").as_object();
  auto seen = [&](const char* model) { return stats.at(model).as_object(); };
  EXPECT_EQ(seen("claude-x").at("last_path"), "/v1/messages");
  EXPECT_EQ(seen("claude-x").at("last_headers").at("x-api-key"), "sk-ant-1");
  EXPECT_EQ(seen("claude-x").at("last_headers").at("anthropic-version"), "2023-06-01");
  EXPECT_EQ(seen("claude-x").at("last_body").at("max_tokens"), 4096);  // OpenAI client, Anthropic upstream
  EXPECT_EQ(seen("gpt-x").at("last_path"), "/v1/chat/completions");
  EXPECT_EQ(seen("gpt-x").at("last_headers").at("authorization"), "Bearer sk-oai-1");
  EXPECT_EQ(seen("dbx-x").at("last_path"), "/serving-endpoints/chat/completions");
  EXPECT_EQ(seen("dbx-x").at("last_headers").at("authorization"), "Bearer dapi-1");
  EXPECT_EQ(seen("my-deploy").at("last_path"), "/openai/deployments/my-deploy/chat/completions");
  EXPECT_EQ(seen("my-deploy").at("last_headers").at("api-key"), "az-1");
  EXPECT_EQ(seen("llama-x").at("last_path"), "/v1/chat/completions");
  EXPECT_FALSE(seen("llama-x").at("last_headers").as_object().contains("authorization"));
}

}  // namespace
}  // namespace switchyard::testing
