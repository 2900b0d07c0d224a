// A LiteLLM user's config through the real binary (issue 12): wildcard model groups, credentials
// from the environment, litellm_params request defaults and tags, and LiteLLM's request-body
// controls, checked on what the mock upstream received.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

const char* kMock = R"(models:
  down-model: {fault: server_error}
  overloaded-model: {fault: overloaded}
default: {reply: "ok"}
)";

// The gateway runs under `env` so each test controls exactly the variables LiteLLM would read.
struct LiteStack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;
  std::string base;

  LiteStack(const std::function<std::string(const std::string& base)>& config, std::vector<std::string> env = {}) {
    mock = start_mock(kMock);
    base = "http://127.0.0.1:" + std::to_string(mock.port);
    static int n = 0;
    const auto path = write_temp_file("litellm-" + std::to_string(mock.port) + "-" + std::to_string(++n) + ".yaml", config(base));
    std::vector<std::string> argv = {"/usr/bin/env"};
    for (const char* name : {"OPENAI_API_KEY", "OPENAI_API_BASE", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY",
                             "ANTHROPIC_API_BASE", "ANTHROPIC_BASE_URL", "LITELLM_MASTER_KEY"}) {
      argv.push_back("-u");
      argv.push_back(name);
    }
    for (auto& e : env) argv.push_back(e);
    for (std::string a : {binary_path(), std::string("serve"), std::string("--config"), path.string(), std::string("--port"), std::string("0")})
      argv.push_back(a);
    gateway = std::make_unique<Process>(argv);
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  json::object stats() const { return json::parse(request(mock.port, "GET", "/mock/stats").body).as_object(); }
  int calls(const std::string& model) const {
    const auto all = stats();
    const auto* m = all.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
  json::object seen(const std::string& model) const { return stats().at("models").at(model).as_object(); }
  HttpResult chat(const std::string& body, const Headers& headers = {}) const {
    return request(port, "POST", "/v1/chat/completions", body, headers);
  }
};

std::string chat_body(const std::string& model, const std::string& extra = "") {
  return R"({"model":")" + model + R"(","messages":[{"role":"user","content":"Hello"}])" + extra + "}";
}

TEST(LiteLLMCompat, WildcardGroupsServeUnmatchedNamesWithTheRequestedModelSubstituted) {
  LiteStack s([](const std::string& b) {
    return "model_list:\n"
           "  - {model_name: exact-one, litellm_params: {model: openai/exact-upstream, api_base: '" + b + "/v1', api_key: k}}\n"
           "  - {model_name: 'anthropic/*', litellm_params: {model: 'anthropic/*', api_base: '" + b + "', api_key: key-anthropic-star}}\n"
           "  - {model_name: 'claude-*', litellm_params: {model: 'anthropic/claude-*', api_base: '" + b + "', api_key: key-claude-star}}\n"
           "  - {model_name: '*', litellm_params: {model: '*', api_base: '" + b + "/v1', api_key: key-star}}\n"
           "  - {model_name: broken, litellm_params: {model: openai/down-model, api_base: '" + b + "/v1', api_key: k}}\n"
           "router_settings:\n  num_retries: 0\n  fallbacks: [{broken: [anthropic/fallback-target]}]\n";
  });
  auto r = s.chat(chat_body("anthropic/wild-anthropic"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.seen("wild-anthropic").at("last_path"), "/v1/messages");
  EXPECT_EQ(s.seen("wild-anthropic").at("last_headers").at("x-api-key"), "key-anthropic-star");
  EXPECT_EQ(s.seen("wild-anthropic").at("last_body").at("model"), "wild-anthropic");
  EXPECT_EQ(r.header("x-switchyard-model-group"), "anthropic/wild-anthropic");

  r = s.chat(chat_body("claude-wild-9"));  // "claude-*" is more specific than "*"
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.seen("claude-wild-9").at("last_headers").at("x-api-key"), "key-claude-star");
  EXPECT_EQ(s.seen("claude-wild-9").at("last_body").at("model"), "claude-wild-9");

  r = s.chat(chat_body("openai/wild-gpt"));  // model: "*": the provider comes from the name
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.seen("wild-gpt").at("last_path"), "/v1/chat/completions");
  EXPECT_EQ(s.seen("wild-gpt").at("last_headers").at("authorization"), "Bearer key-star");

  r = s.chat(chat_body("exact-one"));  // exact names first
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.calls("exact-upstream"), 1);

  r = s.chat(chat_body("broken"));  // a fallback may name a model a wildcard serves
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "broken,anthropic/fallback-target");
  EXPECT_EQ(s.seen("fallback-target").at("last_headers").at("x-api-key"), "key-anthropic-star");

  const auto models = json::parse(request(s.port, "GET", "/v1/models").body);
  std::vector<std::string> ids;
  for (const auto& m : models.at("data").as_array()) ids.emplace_back(m.at("id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"exact-one", "broken", "anthropic/*", "claude-*", "*"}));
}

TEST(LiteLLMCompat, WildcardStreamsAndAnthropicClientsToo) {
  LiteStack s([](const std::string& b) {
    return "model_list:\n  - {model_name: 'openai/*', litellm_params: {model: 'openai/*', api_base: '" + b +
           "/v1', api_key: k}}\n";
  });
  auto r = s.chat(chat_body("openai/streamed-x", R"(,"stream":true)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("[DONE]"), std::string::npos);
  EXPECT_EQ(s.seen("streamed-x").at("last_body").at("model"), "streamed-x");
  r = request(s.port, "POST", "/v1/messages",
              R"({"model":"mystery-model","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]})");
  EXPECT_EQ(r.status, 404) << r.body;  // no provider can be inferred from that name: not routable
  r = request(s.port, "POST", "/v1/messages", R"({"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]})");
  ASSERT_EQ(r.status, 200) << r.body;  // bare gpt-4o reaches "openai/*" through LiteLLM's inferred provider
  EXPECT_EQ(s.seen("gpt-4o").at("last_body").at("model"), "gpt-4o");
}

TEST(LiteLLMCompat, EnvironmentSuppliesKeyAndApiBase) {
  MockProcess probe = start_mock(kMock);
  const auto base = "http://127.0.0.1:" + std::to_string(probe.port);
  LiteStack s(
      [](const std::string&) {
        return "model_list:\n"
               "  - {model_name: gpt, litellm_params: {model: openai/env-gpt}}\n"
               "  - {model_name: claude, litellm_params: {model: anthropic/env-claude, api_key: }}\n";
      },
      {"OPENAI_API_KEY=sk-from-env", "OPENAI_API_BASE=" + base + "/v1", "ANTHROPIC_API_KEY=sk-ant-from-env",
       "ANTHROPIC_API_BASE=" + base});
  ASSERT_EQ(s.chat(chat_body("gpt")).status, 200);
  ASSERT_EQ(s.chat(chat_body("claude")).status, 200);
  const auto stats = json::parse(request(probe.port, "GET", "/mock/stats").body);
  EXPECT_EQ(stats.at("models").at("env-gpt").at("last_headers").at("authorization"), "Bearer sk-from-env");
  EXPECT_EQ(stats.at("models").at("env-claude").at("last_headers").at("x-api-key"), "sk-ant-from-env");
}

TEST(LiteLLMCompat, LitellmMasterKeyTurnsAuthOnAndAnOpenGatewaySaysSoOnce) {
  const auto config = [](const std::string& b) {
    return "model_list:\n  - {model_name: m, litellm_params: {model: openai/auth-model, api_base: '" + b + "/v1', api_key: k}}\n";
  };
  LiteStack locked(config, {"LITELLM_MASTER_KEY=sk-master-1"});
  EXPECT_EQ(locked.chat(chat_body("m")).status, 401);
  EXPECT_EQ(locked.chat(chat_body("m"), {{"authorization", "Bearer sk-master-1"}}).status, 200);
  EXPECT_EQ(locked.gateway->output().find("is OPEN"), std::string::npos);

  LiteStack open(config);
  EXPECT_EQ(open.chat(chat_body("m")).status, 200);
  const auto out = open.gateway->output();
  const auto first = out.find("this gateway is OPEN");
  ASSERT_NE(first, std::string::npos) << out;
  EXPECT_EQ(out.find("this gateway is OPEN", first + 1), std::string::npos);
}

TEST(LiteLLMCompat, LitellmParamsDefaultsAndHeadersReachTheUpstreamAndTheClientsValuesWin) {
  LiteStack s([](const std::string& b) {
    return "model_list:\n"
           "  - model_name: tuned\n"
           "    litellm_params:\n"
           "      model: openai/tuned-model\n      api_base: '" + b + "/v1'\n      api_key: k\n"
           "      temperature: 0.2\n      max_tokens: 77\n      stop: [END]\n      seed: 7\n"
           "      extra_headers: {X-Team: blue}\n      custom_user_agent: my-agent/1.0\n"
           "  - model_name: tuned-claude\n"
           "    litellm_params:\n"
           "      model: anthropic/tuned-claude-model\n      api_base: '" + b + "'\n      api_key: k\n"
           "      temperature: 0.3\n      stop: END\n";
  });
  ASSERT_EQ(s.chat(chat_body("tuned")).status, 200);
  auto seen = s.seen("tuned-model");
  EXPECT_EQ(seen.at("last_body").at("temperature").to_number<double>(), 0.2);
  EXPECT_EQ(seen.at("last_body").at("max_tokens"), 77);
  EXPECT_EQ(seen.at("last_body").at("stop"), json::array{"END"});
  EXPECT_EQ(seen.at("last_body").at("seed"), 7);
  EXPECT_EQ(seen.at("last_headers").at("x-team"), "blue");
  EXPECT_EQ(seen.at("last_headers").at("user-agent"), "my-agent/1.0");

  ASSERT_EQ(s.chat(chat_body("tuned", R"(,"temperature":0.9,"max_tokens":5)")).status, 200);
  seen = s.seen("tuned-model");
  EXPECT_EQ(seen.at("last_body").at("temperature").to_number<double>(), 0.9);  // the client's value wins
  EXPECT_EQ(seen.at("last_body").at("max_tokens"), 5);

  ASSERT_EQ(s.chat(chat_body("tuned-claude")).status, 200);  // Anthropic's names upstream
  seen = s.seen("tuned-claude-model");
  EXPECT_EQ(seen.at("last_body").at("temperature").to_number<double>(), 0.3);
  EXPECT_EQ(seen.at("last_body").at("stop_sequences"), json::array{"END"});
  EXPECT_FALSE(seen.at("last_body").as_object().contains("stop"));
}

TEST(LiteLLMCompat, TagFilteringRoutesByTheRequestsTagsAndUntaggedToDefault) {
  LiteStack s([](const std::string& b) {
    const auto dep = [&](const std::string& model, const std::string& tags) {
      return "  - {model_name: gpt-4, litellm_params: {model: openai/" + model + ", api_base: '" + b +
             "/v1', api_key: k, " + tags + "}}\n";
    };
    return "model_list:\n" + dep("tag-free", "tags: [free]") + dep("tag-paid", "tags: [paid]") +
           dep("tag-default", "tags: [default]") + dep("tag-claude-code", "tag_regex: ['^User-Agent: claude-code/']") +
           "router_settings:\n  enable_tag_filtering: True\n";
  });
  for (int i = 0; i < 3; ++i) ASSERT_EQ(s.chat(chat_body("gpt-4", R"(,"tags":["free"])")).status, 200);
  EXPECT_EQ(s.calls("tag-free"), 3);
  ASSERT_EQ(s.chat(chat_body("gpt-4", R"(,"metadata":{"tags":["paid"]})")).status, 200);
  EXPECT_EQ(s.calls("tag-paid"), 1);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(s.chat(chat_body("gpt-4")).status, 200);
  EXPECT_EQ(s.calls("tag-default"), 3);
  ASSERT_EQ(s.chat(chat_body("gpt-4", R"(,"tags":["nobody"])"), {{"User-Agent", "claude-code/2.0"}}).status, 200);
  EXPECT_EQ(s.calls("tag-claude-code"), 1);
  EXPECT_EQ(s.calls("tag-free") + s.calls("tag-paid"), 4);
  EXPECT_FALSE(s.seen("tag-free").at("last_body").as_object().contains("tags"));
  EXPECT_FALSE(s.seen("tag-paid").at("last_body").as_object().contains("metadata"));
}

std::string controls_config(const std::string& b) {
  return "model_list:\n"
         "  - {model_name: down, litellm_params: {model: openai/down-model, api_base: '" + b + "/v1', api_key: k}}\n"
         "  - {model_name: healthy, litellm_params: {model: openai/healthy-model, api_base: '" + b + "/v1', api_key: k}}\n"
         "  - {model_name: rescue, litellm_params: {model: openai/rescue-model, api_base: '" + b + "/v1', api_key: k}}\n"
         "  - {model_name: claude, litellm_params: {model: anthropic/claude-upstream, api_base: '" + b + "', api_key: k}}\n"
         "  - {model_name: pinned-group, litellm_params: {model: openai/pinned-model, api_base: '" + b + "/v1', api_key: k}, model_info: {id: pinned-id}}\n"
         "router_settings:\n  num_retries: 2\n"
         "  fallbacks: [{down: [pinned-id]}, {healthy: [rescue]}]\n";
}

TEST(LiteLLMCompat, BodyFallbacksDisableFallbacksAndNumRetriesActAndAreNotForwarded) {
  LiteStack s(controls_config);
  auto r = s.chat(chat_body("down", R"(,"fallbacks":["rescue"],"num_retries":0,"metadata":{"tags":["x"],"trace":"t"},"user":"u-1","mock_testing_fallbacks":false)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "down,rescue");
  EXPECT_EQ(s.calls("down-model"), 1);  // num_retries: 0
  const auto body = s.seen("rescue-model").at("last_body").as_object();
  for (const char* key : {"fallbacks", "num_retries", "metadata", "tags", "mock_testing_fallbacks", "disable_fallbacks"})
    EXPECT_FALSE(body.contains(key)) << key;
  EXPECT_EQ(body.at("user"), "u-1");  // an OpenAI parameter: forwarded, as LiteLLM does

  r = s.chat(chat_body("down", R"(,"disable_fallbacks":true,"num_retries":0)"));
  EXPECT_GE(r.status, 500) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "down");
  EXPECT_EQ(s.calls("pinned-model"), 0);

  r = s.chat(chat_body("down", R"(,"num_retries":0)"));  // configured fallback: a model_info.id
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "down,pinned-id");
  EXPECT_EQ(s.calls("pinned-model"), 1);
}

TEST(LiteLLMCompat, MockTestingFallbacksSkipsTheHealthyGroupForItsFallback) {
  LiteStack s(controls_config);
  auto r = s.chat(chat_body("healthy", R"(,"mock_testing_fallbacks":true)"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "healthy,rescue");
  EXPECT_EQ(s.calls("healthy-model"), 0);
  EXPECT_FALSE(s.seen("rescue-model").at("last_body").as_object().contains("mock_testing_fallbacks"));
}

TEST(LiteLLMCompat, ControlsAreStrippedFromStreamsAndAnthropicClientsKeepOnlyMetadataUserId) {
  LiteStack s(controls_config);
  auto r = s.chat(chat_body("healthy", R"(,"stream":true,"tags":["a"],"metadata":{"k":"v"},"num_retries":1)"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = s.seen("healthy-model").at("last_body").as_object();
  EXPECT_FALSE(body.contains("tags"));
  EXPECT_FALSE(body.contains("metadata"));
  EXPECT_FALSE(body.contains("num_retries"));

  r = request(s.port, "POST", "/v1/messages",
              R"({"model":"claude","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}],)"
              R"("metadata":{"user_id":"user-7","tags":["t"]},"tags":["t2"],"fallbacks":["rescue"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  body = s.seen("claude-upstream").at("last_body").as_object();
  EXPECT_EQ(body.at("metadata"), (json::object{{"user_id", "user-7"}}));
  EXPECT_FALSE(body.contains("tags"));
  EXPECT_FALSE(body.contains("fallbacks"));
}

TEST(LiteLLMCompat, PreCallChecksSkipADeploymentWhoseContextWindowThePromptExceeds) {
  LiteStack s([](const std::string& b) {
    return "model_list:\n"
           "  - {model_name: g, litellm_params: {model: openai/small-window, api_base: '" + b + "/v1', api_key: k}, model_info: {max_input_tokens: 50}}\n"
           "  - {model_name: g, litellm_params: {model: openai/big-window, api_base: '" + b + "/v1', api_key: k}}\n"
           "router_settings:\n  enable_pre_call_checks: true\n";
  });
  const std::string long_prompt(2000, 'x');
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(s.chat(R"({"model":"g","messages":[{"role":"user","content":")" + long_prompt + R"("}]})").status, 200);
  EXPECT_EQ(s.calls("small-window"), 0);
  EXPECT_EQ(s.calls("big-window"), 4);
}

TEST(LiteLLMCompat, ModelGroupAliasRoutesToItsGroupAlsoAsAFallbackTarget) {
  LiteStack s([](const std::string& b) {
    return "model_list:\n"
           "  - {model_name: down, litellm_params: {model: openai/down-model, api_base: '" + b + "/v1', api_key: k}}\n"
           "  - {model_name: production-gpt, litellm_params: {model: openai/prod-model, api_base: '" + b + "/v1', api_key: k}}\n"
           "router_settings:\n  num_retries: 0\n"
           "  model_group_alias: {gpt-4: production-gpt, secret-name: {model: production-gpt, hidden: true}}\n"
           "  fallbacks: [{down: [gpt-4]}]\n";
  });
  auto r = s.chat(chat_body("gpt-4"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-model-group"), "production-gpt");
  ASSERT_EQ(s.chat(chat_body("secret-name")).status, 200);
  EXPECT_EQ(s.calls("prod-model"), 2);
  r = s.chat(chat_body("down"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "down,gpt-4");
  EXPECT_EQ(s.calls("prod-model"), 3);
  const auto models = json::parse(request(s.port, "GET", "/v1/models").body);
  std::vector<std::string> ids;
  for (const auto& m : models.at("data").as_array()) ids.emplace_back(m.at("id").as_string());
  EXPECT_EQ(ids, (std::vector<std::string>{"down", "production-gpt", "gpt-4"}));  // hidden aliases are not listed
}

}  // namespace
}  // namespace switchyard::testing
