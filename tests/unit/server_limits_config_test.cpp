// The config keys of issue 11 items 3 and 4: stream_timeout (deployment, router default) and the
// server limits in general_settings, LiteLLM's global_max_parallel_requests included.
#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace switchyard::config {
namespace {

LoadResult load(const std::string& yaml) {
  return load_config_text(yaml, "limits.yaml", [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
}

TEST(ServerLimitsConfig, StreamTimeoutIsReadAndDeploymentsInheritTheRoutersDefault) {
  const auto r = load(R"(model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-a, stream_timeout: 5}}
  - {model_name: b, litellm_params: {model: openai/gpt-b}}
router_settings: {stream_timeout: 30}
)");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.config->deployments[0].stream_timeout_seconds, 5.0);
  EXPECT_EQ(r.config->deployments[1].stream_timeout_seconds, 30.0);
  EXPECT_EQ(r.config->router.stream_timeout_seconds, 30.0);
}

TEST(ServerLimitsConfig, GeneralSettingsLimitsLoadWithoutWarnings) {
  const auto r = load(R"(model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-a}}
general_settings:
  max_connections: 4096
  global_max_parallel_requests: 100
  max_request_body_memory_mb: 128
  client_write_timeout_seconds: 15
)");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front().to_string();
  const auto& l = r.config->general.limits;
  EXPECT_EQ(l.max_connections, 4096);
  EXPECT_EQ(l.max_in_flight_requests, 100);
  EXPECT_EQ(l.max_request_body_memory_mb, 128);
  EXPECT_EQ(l.client_write_timeout_seconds, 15.0);
}

TEST(ServerLimitsConfig, BadValuesAreErrorsWithTheirPlace) {
  const auto r = load(R"(model_list:
  - {model_name: a, litellm_params: {model: openai/gpt-a, stream_timeout: -1}}
general_settings:
  max_in_flight_requests: lots
)");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].where.line, 2);
  EXPECT_EQ(r.errors[1].where.line, 4);
}

}  // namespace
}  // namespace switchyard::config
