// Config loading: LiteLLM files load unchanged; every mistake is reported with its line:col.
#include <gtest/gtest.h>

#include <map>

#include "config/config_loader.h"

namespace switchyard::config {
namespace {

LoadResult load(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return load_config_text(yaml, "test.yaml", [env](const std::string& name) -> std::optional<std::string> {
    if (auto it = env.find(name); it != env.end()) return it->second;
    return std::nullopt;
  });
}

std::string all_errors(const LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.to_string() + "\n";
  return out;
}

const char* kMotivatingConfig = R"(model_list:
  - model_name: claude-opus-4-6
    litellm_params:
      model: anthropic/claude-opus-4-6
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: databricks-claude-opus-4-6
    litellm_params:
      model: databricks/databricks-claude-opus-4-6
      api_base: https://example.cloud.databricks.com/serving-endpoints
      api_key: os.environ/DATABRICKS_TOKEN
      rpm: 500
      tpm: 200000
  - model_name: vertex-claude-opus-4-6
    litellm_params:
      model: vertex_ai/claude-opus-4-6
      vertex_project: my-project
      vertex_location: us-east5
router_settings:
  routing_strategy: simple-shuffle
  num_retries: 2
  allowed_fails: 3
  cooldown_time: 30
  fallbacks: [{claude-opus-4-6: [databricks-claude-opus-4-6, vertex-claude-opus-4-6]}]
  fallback_on:
    status_codes: [418]
    error_patterns: ["(?i)credit"]
general_settings:
  master_key: os.environ/SWITCHYARD_MASTER_KEY
)";

TEST(Config, MotivatingLiteLLMConfigLoadsWithEnvReferencesResolved) {
  const auto r = load(kMotivatingConfig, {{"ANTHROPIC_API_KEY", "sk-ant-test"},
                                          {"DATABRICKS_TOKEN", "dapi-test"},
                                          {"SWITCHYARD_MASTER_KEY", "sk-master"}});
  ASSERT_TRUE(r.ok()) << all_errors(r);
  const auto& c = *r.config;
  ASSERT_EQ(c.deployments.size(), 3u);
  EXPECT_EQ(c.deployments[0].provider, core::Provider::anthropic);
  EXPECT_EQ(c.deployments[0].api_key, "sk-ant-test");
  EXPECT_EQ(c.deployments[0].api_base, "https://api.anthropic.com");
  EXPECT_EQ(c.deployments[0].id, "anthropic/claude-opus-4-6@https://api.anthropic.com");
  EXPECT_EQ(c.deployments[1].provider, core::Provider::databricks);
  EXPECT_EQ(c.deployments[1].rpm, 500);
  EXPECT_EQ(c.deployments[1].tpm, 200000);
  EXPECT_EQ(c.deployments[2].provider, core::Provider::vertex_ai);
  EXPECT_EQ(c.deployments[2].params.at("vertex_location"), "us-east5");
  EXPECT_EQ(c.router.cooldown_seconds, 30);
  ASSERT_EQ(c.router.fallbacks.size(), 1u);
  EXPECT_EQ(c.router.fallbacks[0].targets,
            (std::vector<std::string>{"databricks-claude-opus-4-6", "vertex-claude-opus-4-6"}));
  EXPECT_EQ(c.router.classifier.fallback_on_status_codes, std::vector<int>{418});
  ASSERT_EQ(c.router.classifier.fallback_on_patterns.size(), 1u);
  EXPECT_EQ(c.general.master_key, "sk-master");
}

TEST(Config, MissingEnvironmentVariableWarnsWithLineButLoads) {
  const auto r = load(kMotivatingConfig);
  ASSERT_TRUE(r.ok()) << all_errors(r);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings[0].to_string(),
            "test.yaml:5:16: warning: environment variable ANTHROPIC_API_KEY is not set; using an empty value");
}

TEST(Config, FallbackCycleIsRefusedNamingTheLine) {
  const auto r = load(R"(model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o}
  - model_name: b
    litellm_params: {model: anthropic/claude-opus-4-6}
router_settings:
  fallbacks:
    - a: [b]
    - b: [a]
)");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(), "test.yaml:9:7: fallbacks: fallback cycle a -> b -> a");
}

TEST(Config, SelfFallbackIsACycle) {
  const auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n"
                      "router_settings:\n  context_window_fallbacks: [{a: [a]}]\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all_errors(r).find("context_window_fallbacks: fallback cycle a -> a"), std::string::npos) << all_errors(r);
}

TEST(Config, FallbackToUndefinedGroupNamesTheTarget) {
  const auto r = load(R"(model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o}
router_settings:
  fallbacks: [{a: [a-backup]}]
  default_fallbacks: [nowhere]
)");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "test.yaml:5:20: fallbacks: fallback 'a-backup' for 'a' is not a model_name in model_list");
  EXPECT_EQ(r.errors[1].to_string(), "test.yaml:6:23: default_fallbacks: 'nowhere' is not a model_name in model_list");
}

TEST(Config, UnknownProviderPrefixIsAnErrorListingTheKnownOnes) {
  const auto r = load("model_list:\n  - model_name: x\n    litellm_params:\n      model: acme/turbo-1\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].where.line, 4);
  EXPECT_EQ(r.errors[0].where.column, 14);
  EXPECT_NE(r.errors[0].message.find("unknown provider prefix 'acme'"), std::string::npos);
  EXPECT_NE(r.errors[0].message.find("openai_compatible"), std::string::npos);
}

TEST(Config, NegativeNumbersAreRefusedEachWithItsLine) {
  const auto r = load(R"(model_list:
  - model_name: a
    litellm_params: {model: openai/gpt-4o, rpm: -5, weight: -1, timeout: 0}
router_settings:
  num_retries: -1
  cooldown_time: -3
  allowed_fails: two
)");
  ASSERT_FALSE(r.ok());
  const auto text = all_errors(r);
  EXPECT_NE(text.find("test.yaml:3:49: rpm: must not be negative (got -5)"), std::string::npos) << text;
  EXPECT_NE(text.find("weight: must not be negative"), std::string::npos) << text;
  EXPECT_NE(text.find("timeout: must be greater than zero"), std::string::npos) << text;
  EXPECT_NE(text.find("test.yaml:5:16: num_retries: must not be negative (got -1)"), std::string::npos) << text;
  EXPECT_NE(text.find("test.yaml:6:18: cooldown_time: must not be negative"), std::string::npos) << text;
  EXPECT_NE(text.find("test.yaml:7:18: allowed_fails: expected a whole number, got 'two'"), std::string::npos) << text;
  EXPECT_EQ(r.errors.size(), 6u) << text;
}

TEST(Config, BadRegexIsRefusedWithRe2sReason) {
  const auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n"
                      "router_settings:\n  fallback_on:\n    error_patterns: ['credit (balance', 'ok']\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].where.line, 6);
  EXPECT_NE(r.errors[0].message.find("bad regex 'credit (balance'"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find("missing )"), std::string::npos) << r.errors[0].message;
}

TEST(Config, BacktrackingPatternsAreRefusedBecauseRe2HasNoBackreferences) {
  const auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n"
                      "router_settings:\n  fallback_on:\n    error_patterns: ['(a+)+\\1']\n");
  EXPECT_FALSE(r.ok());
}

TEST(Config, DuplicateDeploymentIdsAreRefused) {
  const auto r = load(R"(model_list:
  - model_name: a
    litellm_params: {model: gpt-4o}
    model_info: {id: primary}
  - model_name: a
    litellm_params: {model: gpt-4o-mini}
    model_info: {id: primary}
)");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(), "test.yaml:7:22: duplicate deployment id 'primary' (first at line 4)");
}

TEST(Config, SameEndpointTwiceGetsDistinctIds) {
  const auto r = load("model_list:\n"
                      "  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k1}}\n"
                      "  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k2}}\n");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_NE(r.config->deployments[0].id, r.config->deployments[1].id);
}

TEST(Config, YamlSyntaxErrorHasLineAndColumn) {
  const auto r = load("model_list:\n  - model_name: a\n    litellm_params: {model: gpt-4o\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_GT(r.errors[0].where.line, 0);
  EXPECT_NE(r.errors[0].message.find("YAML syntax error"), std::string::npos);
}

TEST(Config, UnusedLiteLLMSettingsWarnButLoad) {
  const auto r = load(R"(model_list:
  - model_name: a
    litellm_params: {model: gpt-4o}
litellm_settings:
  drop_params: true
  success_callback: ["langfuse"]
  num_retries: 4
general_settings:
  database_url: postgres://x
guardrails: []
)");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config->router.num_retries, 4);
  EXPECT_TRUE(r.config->passing.drop_params);  // acted on since issue 14
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[0].to_string(),
            "test.yaml:6:3: warning: litellm_settings.success_callback is not acted on by Switchyard; ignored");
}

TEST(Config, ForwardClientHeadersTakesTrueOrAnAllowListButNeverTheGatewaysKey) {
  auto r = load("model_list: [{model_name: a, litellm_params: {model: gpt-4o}}]\n"
                "general_settings: {forward_client_headers_to_llm_api: [X-Team, x-trace-id]}\n");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config->passing.forward_headers, (std::vector<std::string>{"x-team", "x-trace-id"}));
  EXPECT_FALSE(r.config->passing.forward_x_headers);
  r = load("model_list: [{model_name: a, litellm_params: {model: gpt-4o}}]\n"
           "general_settings: {forward_client_headers_to_llm_api: true}\n");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_TRUE(r.config->passing.forward_x_headers);
  r = load("model_list: [{model_name: a, litellm_params: {model: gpt-4o}}]\n"
           "general_settings: {forward_client_headers_to_llm_api: [authorization]}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all_errors(r).find("never forwarded"), std::string::npos) << all_errors(r);
  r = load("model_list: [{model_name: a, litellm_params: {model: gpt-4o}}]\nlitellm_settings: {drop_params: maybe}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all_errors(r).find("drop_params must be true or false"), std::string::npos) << all_errors(r);
}

TEST(Config, OpenAICompatiblePrefixesGetTheirDefaultBase) {
  const auto r = load("model_list:\n"
                      "  - {model_name: g, litellm_params: {model: groq/llama-3.3-70b-versatile}}\n"
                      "  - {model_name: v, litellm_params: {model: hosted_vllm/meta-llama/Llama-3-8B, api_base: 'http://10.0.0.5:8000/v1/'}}\n");
  ASSERT_TRUE(r.ok()) << all_errors(r);
  EXPECT_EQ(r.config->deployments[0].provider, core::Provider::openai_compatible);
  EXPECT_EQ(r.config->deployments[0].api_base, "https://api.groq.com/openai/v1");
  EXPECT_EQ(r.config->deployments[1].model, "meta-llama/Llama-3-8B");
  EXPECT_EQ(r.config->deployments[1].api_base, "http://10.0.0.5:8000/v1");
}

TEST(Config, ServersWithoutADefaultBaseRequireOne) {
  const auto r = load("model_list:\n  - {model_name: v, litellm_params: {model: hosted_vllm/llama}}\n"
                      "  - {model_name: z, litellm_params: {model: azure/gpt-4o-deploy}}\n");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
  EXPECT_NE(r.errors[0].message.find("api_base is required for 'hosted_vllm/'"), std::string::npos);
}

TEST(Config, RetryPolicyAcceptsLiteLLMNamesAndRefusesUnknownOnes) {
  const auto ok = load("model_list:\n  - {model_name: a, litellm_params: {model: gpt-4o}}\n"
                       "router_settings:\n  retry_policy: {RateLimitErrorRetries: 5, BadRequestErrorRetries: 0}\n"
                       "  allowed_fails_policy: {TimeoutErrorAllowedFails: 12}\n");
  ASSERT_TRUE(ok.ok()) << all_errors(ok);
  EXPECT_EQ(ok.config->router.classifier.retries_by_class.at(errors::ErrorClass::rate_limit), 5);
  EXPECT_EQ(ok.config->router.classifier.allowed_fails_by_class.at(errors::ErrorClass::timeout), 12);
  const auto bad = load("model_list:\n  - {model_name: a, litellm_params: {model: gpt-4o}}\n"
                        "router_settings:\n  retry_policy: {SpaceErrorRetries: 5}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.errors[0].where.line, 4);
}

TEST(Config, EmptyOrNonMappingDocumentsAreRefused) {
  for (const char* text : {"", "- just\n- a list\n", "model_list: []\n", "model_list: 5\n", "\x01\x02\xff"}) {
    const auto r = load(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_FALSE(r.errors.empty()) << text;
  }
}

TEST(Config, UnknownRoutingStrategyIsRefused) {
  const auto r = load("model_list:\n  - {model_name: a, litellm_params: {model: gpt-4o}}\n"
                      "router_settings: {routing_strategy: fastest}\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("unknown routing_strategy 'fastest'"), std::string::npos);
}

TEST(Config, MissingFileIsReportedNotThrown) {
  const auto r = load_config_file("/nonexistent/switchyard.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].to_string(), "/nonexistent/switchyard.yaml: cannot open config file");
}

}  // namespace
}  // namespace switchyard::config
