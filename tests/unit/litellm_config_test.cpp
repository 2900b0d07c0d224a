// LiteLLM configs read the way LiteLLM's proxy reads them (issue 12): YAML 1.1 as PyYAML loads
// it, wildcard model names, credentials from the environment, every litellm_params key acted on
// or warned about.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "config/config_loader.h"
#include "config/model_patterns.h"
#include "router/model_resolver.h"
#include "router/request_filters.h"

namespace switchyard::config {
namespace {
namespace json = boost::json;

LoadResult load(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return load_config_text(yaml, "test.yaml", [env](const std::string& name) -> std::optional<std::string> {
    if (auto it = env.find(name); it != env.end()) return it->second;
    return std::nullopt;
  });
}

std::string all(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += d.to_string() + "\n";
  return out;
}

const Deployment& by_group(const Config& c, const std::string& group) {
  for (const auto& d : c.deployments)
    if (d.group == group) return d;
  throw std::runtime_error("no group " + group);
}

TEST(LiteLLMYaml, MergeKeysAndAliasesApplyWithExplicitKeysWinning) {
  const auto r = load(R"(
x-defaults: &defaults
  api_base: https://one.example/v1
  rpm: 100
  temperature: 0.5
x-limits: &limits
  rpm: 999
  tpm: 20_000
model_list:
  - model_name: a
    litellm_params:
      <<: [*defaults, *limits]
      model: openai/gpt-4o
      api_key: sk-a
      temperature: 0.1
  - model_name: b
    litellm_params:
      <<: *defaults
      model: openai/gpt-4o-mini
      api_key: sk-b
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const auto& a = by_group(*r.config, "a");
  EXPECT_EQ(a.api_base, "https://one.example/v1");
  EXPECT_EQ(a.rpm, 100);      // the first merge source wins over the second (PyYAML)
  EXPECT_EQ(a.tpm, 20000);    // 20_000 is an int in YAML 1.1
  EXPECT_EQ(a.request_defaults.at("temperature").as_double(), 0.1);  // explicit key wins
  const auto& b = by_group(*r.config, "b");
  EXPECT_EQ(b.request_defaults.at("temperature").as_double(), 0.5);
  EXPECT_EQ(b.rpm, 100);
}

TEST(LiteLLMYaml, MergedValuesKeepTheirLineAndColumn) {
  const auto r = load("base: &base\n  api_base: not-a-url\nmodel_list:\n  - model_name: a\n    litellm_params:\n"
                      "      <<: *base\n      model: openai/gpt-4o\n      api_key: k\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all(r.errors).find("test.yaml:2:13: api_base must start with http"), std::string::npos) << all(r.errors);
}

TEST(LiteLLMYaml, MergeOfAScalarIsRefusedWithItsLocation) {
  const auto r = load("model_list:\n  - model_name: a\n    litellm_params:\n      <<: nope\n      model: openai/x\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all(r.errors).find("test.yaml:4:11: merge key '<<' needs a mapping"), std::string::npos) << all(r.errors);
}

TEST(LiteLLMYaml, AliasBombIsRefusedNotExpanded) {
  std::string yaml = "a0: &a0 {x: 1}\n";
  for (int i = 1; i <= 9; ++i) {
    const auto n = std::to_string(i);
    yaml.append("a").append(n).append(": &a").append(n).append(" [");  // GCC 12 -O3: no "lit" + string (PR105329)
    for (int j = 0; j < 10; ++j) yaml += (j ? ", " : "") + std::string("*a") + std::to_string(i - 1);
    yaml += "]\n";
  }
  yaml += "model_list:\n  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}}\n";
  const auto r = load(yaml);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all(r.errors).find("too deeply to read"), std::string::npos) << all(r.errors);
}

TEST(LiteLLMYaml, YesNoOnOffBooleansAndEmptyValuesMeanNotSet) {
  const auto r = load(R"(
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key:
      api_base:
      rpm:
router_settings:
  enable_tag_filtering: yes
  enable_pre_call_checks: On
  num_retries:
litellm_settings:
general_settings:
  master_key:
)", {{"OPENAI_API_KEY", "sk-env"}});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const auto& c = *r.config;
  EXPECT_TRUE(c.router.enable_tag_filtering);
  EXPECT_TRUE(c.router.enable_pre_call_checks);
  EXPECT_EQ(c.router.num_retries, 2);  // unset: the default
  EXPECT_EQ(c.deployments[0].api_key, "sk-env");  // `api_key:` is None: the environment's key
  EXPECT_EQ(c.deployments[0].api_base, "https://api.openai.com/v1");
  EXPECT_FALSE(c.deployments[0].rpm.has_value());
  EXPECT_TRUE(c.general.master_key.empty());
}

TEST(LiteLLMYaml, SameFallbacksInRouterAndLitellmSettingsAreOneList) {
  const auto r = load(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}}
  - {model_name: b, litellm_params: {model: openai/gpt-4o-mini, api_key: k}}
router_settings:
  fallbacks: [{a: [b]}]
litellm_settings:
  fallbacks: [{a: [b]}]
  context_window_fallbacks: [{a: [b]}]
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  ASSERT_EQ(r.config->router.fallbacks.size(), 1u);
  EXPECT_EQ(r.config->router.fallbacks[0].targets, std::vector<std::string>{"b"});
  ASSERT_EQ(r.config->router.context_window_fallbacks.size(), 1u);  // litellm_settings alone: taken
  EXPECT_TRUE(r.warnings.empty()) << all(r.warnings);
}

TEST(LiteLLMYaml, DifferentFallbacksInBothSectionsRouterSettingsWinsWithAWarning) {
  const auto r = load(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}}
  - {model_name: b, litellm_params: {model: openai/gpt-4o-mini, api_key: k}}
  - {model_name: c, litellm_params: {model: openai/gpt-4.1, api_key: k}}
litellm_settings:
  fallbacks: [{a: [c]}]
router_settings:
  fallbacks: [{a: [b]}]
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config->router.fallbacks.at(0).targets, std::vector<std::string>{"b"});
  EXPECT_NE(all(r.warnings).find("router_settings wins"), std::string::npos);
}

TEST(LiteLLMEnv, ProviderVariablesFillKeyBaseAndVersionAndCheckNamesThem) {
  const auto r = load(R"(
model_list:
  - {model_name: az, litellm_params: {model: azure/my-gpt4o}}
  - {model_name: dbx, litellm_params: {model: databricks/databricks-claude-opus-4-6}}
  - {model_name: claude, litellm_params: {model: anthropic/claude-opus-4-6}}
  - {model_name: gem, litellm_params: {model: gemini/gemini-2.0-flash}}
)", {{"AZURE_API_KEY", "az-key"}, {"AZURE_API_BASE", "https://az.example.com/"}, {"AZURE_API_VERSION", "2025-01-01"},
     {"DATABRICKS_API_KEY", "dapi"}, {"DATABRICKS_API_BASE", "https://dbx.example.com/serving-endpoints"},
     {"ANTHROPIC_API_KEY", "sk-ant"}, {"GEMINI_API_KEY", "gem-key"}});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_TRUE(r.unservable.empty()) << all(r.unservable);
  const auto& az = by_group(*r.config, "az");
  EXPECT_EQ(az.api_key, "az-key");
  EXPECT_EQ(az.api_key_env, "AZURE_API_KEY");
  EXPECT_EQ(az.api_base, "https://az.example.com");
  EXPECT_EQ(az.api_version, "2025-01-01");
  const auto& dbx = by_group(*r.config, "dbx");
  EXPECT_EQ(dbx.api_base, "https://dbx.example.com/serving-endpoints");
  EXPECT_EQ(dbx.api_base_env, "DATABRICKS_API_BASE");
  EXPECT_EQ(by_group(*r.config, "claude").api_key_env, "ANTHROPIC_API_KEY");
  EXPECT_EQ(by_group(*r.config, "gem").api_key, "gem-key");
}

TEST(LiteLLMEnv, MissingRequiredKeyIsReportedWithItsVariable) {
  const auto r = load("model_list:\n  - {model_name: c, litellm_params: {model: anthropic/claude-x}}\n"
                      "  - {model_name: local, litellm_params: {model: hosted_vllm/llama, api_base: 'http://h:8000/v1'}}\n");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  ASSERT_EQ(r.unservable.size(), 1u) << all(r.unservable);
  EXPECT_NE(r.unservable[0].to_string().find("test.yaml:2:45: deployment 'c' (anthropic/claude-x) has no api_key "
                                                      "and ANTHROPIC_API_KEY is not set"),
            std::string::npos)
      << r.unservable[0].to_string();
}

TEST(LiteLLMEnv, EnvironmentVariablesSectionCountsAsEnvironment) {
  const auto r = load("environment_variables:\n  OPENAI_API_KEY: sk-from-config\n"
                      "model_list:\n  - {model_name: g, litellm_params: {model: gpt-4o}}\n");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config->deployments[0].api_key, "sk-from-config");
}

TEST(LiteLLMEnv, LitellmMasterKeyTurnsAuthOn) {
  const auto r = load("model_list:\n  - {model_name: g, litellm_params: {model: gpt-4o, api_key: k}}\n",
                      {{"LITELLM_MASTER_KEY", "sk-1234"}});
  ASSERT_TRUE(r.ok()) << all(r.errors);
  EXPECT_EQ(r.config->general.master_key, "sk-1234");
  EXPECT_EQ(r.config->general.master_key_source, "LITELLM_MASTER_KEY");
}

TEST(LiteLLMParams, EveryParamIsActedOnOrWarnedAbout) {
  const auto r = load(R"(
model_list:
  - model_name: a
    litellm_params:
      model: openai/gpt-4o
      api_key: k
      temperature: 0.2
      max_tokens: 77
      stop: ["END"]
      seed: 7
      extra_headers: {X-Team: blue}
      custom_user_agent: my-agent/1.0
      extra_body: {safe_prompt: true}
      tags: [team-a, default]
      tag_regex: ["^User-Agent: claude-code/"]
      region_name: eu-west-1
      aws_role_name: arn:aws:iam::1:role/x
      aws_profile_name: dev
      drop_params: true
      input_cost_per_token: 0.000001
    model_info:
      id: my-id
      max_input_tokens: 1_000
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const auto& d = r.config->deployments[0];
  EXPECT_EQ(json::serialize(d.request_defaults),
            R"({"temperature":2E-1,"max_tokens":77,"stop":["END"],"seed":7,"safe_prompt":true})");
  ASSERT_EQ(d.extra_headers.size(), 2u);
  EXPECT_EQ(d.extra_headers[0], (std::pair<std::string, std::string>{"X-Team", "blue"}));
  EXPECT_EQ(d.extra_headers[1], (std::pair<std::string, std::string>{"user-agent", "my-agent/1.0"}));
  EXPECT_EQ(d.tags, (std::vector<std::string>{"team-a", "default"}));
  EXPECT_EQ(d.tag_regex.size(), 1u);
  EXPECT_EQ(d.params.at("region_name"), "eu-west-1");  // provider params reach the provider
  EXPECT_EQ(d.params.at("aws_role_name"), "arn:aws:iam::1:role/x");
  EXPECT_EQ(d.params.at("aws_profile_name"), "dev");
  EXPECT_EQ(d.id, "my-id");
  EXPECT_EQ(d.max_input_tokens, 1000);
  const auto warnings = all(r.warnings);
  EXPECT_NE(warnings.find("test.yaml:19:7: warning: litellm_params.drop_params is not acted on"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("litellm_params.input_cost_per_token is not acted on"), std::string::npos) << warnings;
  for (const char* acted : {"region_name", "aws_role_name", "aws_profile_name", "temperature", "tags", "extra_headers"})
    EXPECT_EQ(warnings.find(std::string("litellm_params.") + acted + " "), std::string::npos) << acted;
}

TEST(LiteLLMParams, ModelInfoIdAndWildcardServedNamesAreValidFallbackTargets) {
  const auto r = load(R"(
model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}, model_info: {id: backup-1}}
  - {model_name: "anthropic/*", litellm_params: {model: "anthropic/*", api_key: k}}
router_settings:
  fallbacks: [{a: [backup-1, anthropic/claude-3-5-haiku]}]
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
}

TEST(LiteLLMParams, UnknownFallbackTargetIsStillAnError) {
  const auto r = load("model_list:\n  - {model_name: a, litellm_params: {model: openai/gpt-4o, api_key: k}}\n"
                      "router_settings:\n  fallbacks: [{a: [nowhere]}]\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(all(r.errors).find("fallback 'nowhere'"), std::string::npos);
}

TEST(WildcardPattern, MatchesAsPythonReMatchAndSubstitutesSegments) {
  const WildcardPattern p("llmengine/fo::*::static::*");
  EXPECT_FALSE(p.match("llmengine/foo::bar::static::baz"));  // "fo::" is literal text
  const auto m = p.match("llmengine/fo::bar::static::baz");
  ASSERT_TRUE(m);
  EXPECT_EQ(substitute_wildcards("openai/fo::*::static::*", *m, "x"), "openai/fo::bar::static::baz");
  const WildcardPattern meta("*meta.llama3*");
  const auto m2 = meta.match("hello-world-meta.llama3-70b");
  ASSERT_TRUE(m2);
  EXPECT_EQ(substitute_wildcards("bedrock/meta.llama3*", *m2, "hello-world-meta.llama3-70b"),
            "hello-world-meta.llama3-70b");  // more segments than `*`s: the requested name
  EXPECT_FALSE(WildcardPattern("anthropic/*").match("openai/gpt-4o"));
  EXPECT_TRUE(WildcardPattern("claude-*").match("claude-3-opus"));
  EXPECT_EQ(substitute_wildcards("anthropic/claude-*", *WildcardPattern("claude-*").match("claude-3-opus"), "claude-3-opus"),
            "anthropic/claude-3-opus");
}

TEST(ModelResolver, ExactThenIdThenMostSpecificPatternWithInferredProvider) {
  const auto r = load(R"(
model_list:
  - {model_name: "*", litellm_params: {model: "*"}}
  - {model_name: "openai/*", litellm_params: {model: "openai/*", api_key: k}}
  - {model_name: "claude-*", litellm_params: {model: "anthropic/claude-*", api_key: k}}
  - {model_name: "anthropic/*", litellm_params: {model: "anthropic/*", api_key: k}}
  - {model_name: claude-3-opus, litellm_params: {model: anthropic/claude-3-opus-20240229, api_key: k}, model_info: {id: pinned}}
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const router::ModelResolver resolver(*r.config);
  auto group_of = [&](const std::string& name) { return resolver.resolve(name).value_or(router::ModelMatch{"<none>"}).group; };
  EXPECT_EQ(group_of("claude-3-opus"), "claude-3-opus");           // exact first
  EXPECT_EQ(group_of("pinned"), "pinned");                         // a deployment id
  EXPECT_EQ(group_of("anthropic/claude-x"), "anthropic/*");        // longer than "*"
  EXPECT_EQ(group_of("claude-3-haiku"), "claude-*");               // longer than "*"
  EXPECT_EQ(group_of("gpt-4o"), "*");                              // "*" matches before provider inference is tried
  EXPECT_EQ(group_of("mistral/large"), "*");
  EXPECT_EQ(resolver.listed(), (std::vector<std::string>{"claude-3-opus", "anthropic/*", "claude-*", "openai/*", "*"}));
}

// Called by its id, a wildcard deployment would be sent the unsubstituted `*` (and a client could
// get it cooled down on purpose): it is reached only through its pattern.
TEST(ModelResolver, AWildcardDeploymentIsNotAGroupByItsId) {
  const auto r = load(R"(
model_list:
  - {model_name: "anthropic/*", litellm_params: {model: "anthropic/*", api_key: k}, model_info: {id: star}}
  - {model_name: plain, litellm_params: {model: anthropic/claude-x, api_key: k}, model_info: {id: pinned}}
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const router::ModelResolver resolver(*r.config);
  EXPECT_FALSE(resolver.resolve("star"));
  ASSERT_TRUE(resolver.resolve("pinned"));
  EXPECT_EQ(resolver.resolve("pinned")->group, "pinned");
}

TEST(ModelResolver, BareNameReachesProviderPatternThroughInferredProvider) {
  const auto r = load("model_list:\n  - {model_name: \"openai/*\", litellm_params: {model: \"openai/*\", api_key: k}}\n");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const router::ModelResolver resolver(*r.config);
  const auto m = resolver.resolve("gpt-4o");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->group, "openai/*");
  EXPECT_EQ(substitute_wildcards("openai/*", m->segments, m->requested), "openai/gpt-4o");
  EXPECT_FALSE(resolver.resolve("unknown-model"));
}

TEST(PreCallChecks, PromptLargerThanContextWindowSkipsTheDeployment) {
  const auto r = load(R"(
model_list:
  - {model_name: g, litellm_params: {model: openai/small, api_key: k}, model_info: {max_input_tokens: 10}}
  - {model_name: g, litellm_params: {model: openai/big, api_key: k}}
router_settings:
  enable_pre_call_checks: true
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const router::DeploymentEntry small{&r.config->deployments[0], {}, nullptr};
  const router::DeploymentEntry big{&r.config->deployments[1], {}, nullptr};
  const std::vector<const router::DeploymentEntry*> group{&small, &big};
  core::ChatRequest req;
  req.body = json::parse(R"({"messages":[{"role":"user","content":")" + std::string(200, 'x') + R"("}]})").as_object();
  EXPECT_EQ(router::excluded_by_request(*r.config, group, req), std::vector<const router::DeploymentEntry*>{&small});
  req.body = json::parse(R"({"messages":[{"role":"user","content":"hi"}]})").as_object();
  EXPECT_TRUE(router::excluded_by_request(*r.config, group, req).empty());
}

TEST(LiteLLMCorpus, EveryConfigFromLiteLLMLoads) {
  const auto dir = std::filesystem::path(SWITCHYARD_TEST_DATA_DIR) / "configs" / "litellm";
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++n;
    const auto r = load_config_file(entry.path().string(), [](const std::string& name) -> std::optional<std::string> {
      // Every os.environ/ reference and provider variable is set; *_BASE ones to a URL.
      if (name.ends_with("_BASE") || name.ends_with("_BASE_URL")) return "https://" + name + ".test.invalid";
      return "test-value-of-" + name;
    });
    EXPECT_TRUE(r.ok()) << entry.path() << "\n" << all(r.errors);
  }
  EXPECT_GE(n, 8);
}

}  // namespace
}  // namespace switchyard::config

// Provider-side effects of litellm_params, on the request the adapter builds (no sockets).
#include "providers/chat_call.h"

namespace switchyard::config {
namespace {

core::ChatRequest openai_request(bool stream = false) {
  core::ChatRequest r;
  r.stream = stream;
  r.body = json::parse(R"({"model":"g","messages":[{"role":"user","content":"hi"}]})").as_object();
  return r;
}

TEST(LiteLLMVertex, ApiBaseHoldingTheModelPathGetsTheMethodAppendedAsLiteLLMDoes) {
  const auto r = load(R"(
model_list:
  - model_name: v
    litellm_params:
      model: vertex_ai/gemini-2.0-flash
      api_base: https://proxy.example.com/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.0-flash
      vertex_project: p1
      api_key: ya29.token
  - model_name: host-only
    litellm_params:
      model: vertex_ai/claude-sonnet-4
      api_base: https://private.example.com
      vertex_project: p2
      vertex_location: us-east5
      api_key: ya29.token
)");
  ASSERT_TRUE(r.ok()) << all(r.errors);
  const auto full = providers::make_endpoint(r.config->deployments[0]);
  ASSERT_TRUE(full.adapter) << full.unusable_reason;
  EXPECT_EQ(providers::encode_chat(full, openai_request()).target,
            "/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.0-flash:generateContent");
  EXPECT_EQ(providers::encode_chat(full, openai_request(true)).target,
            "/v1/projects/p1/locations/europe-west4/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
  const auto host = providers::make_endpoint(r.config->deployments[1]);  // a bare host stays a host override
  ASSERT_TRUE(host.adapter) << host.unusable_reason;
  EXPECT_EQ(providers::encode_chat(host, openai_request()).target,
            "/v1/projects/p2/locations/us-east5/publishers/anthropic/models/claude-sonnet-4:rawPredict");
}

}  // namespace
}  // namespace switchyard::config
