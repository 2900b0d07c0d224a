// The metrics registry's exposition and the request log's redaction, without a server.
#include <gtest/gtest.h>

#include <thread>

#include "api/metrics.h"
#include "api/redact.h"
#include "api/request_log.h"
#include "config/config_loader.h"

namespace switchyard::api {
namespace {

TEST(Metrics, ShardsOfSeveralThreadsMergeIntoOneSeries) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) m.add(Family::attempts, {"claude", "anthropic/x", "success"});
      m.observe(Family::upstream_latency, {"anthropic/x"}, 0.2);
    });
  for (auto& t : threads) t.join();
  const auto text = m.scrape({});
  EXPECT_NE(text.find("switchyard_attempts_total{model_group=\"claude\",deployment=\"anthropic/x\",result=\"success\"} 4000\n"),
            std::string::npos) << text;
  // 0.2 s falls in the 0.25 bucket: cumulative counts from there on, +Inf equals _count.
  EXPECT_NE(text.find("switchyard_upstream_latency_seconds_bucket{deployment=\"anthropic/x\",le=\"0.1\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_upstream_latency_seconds_bucket{deployment=\"anthropic/x\",le=\"0.25\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_upstream_latency_seconds_bucket{deployment=\"anthropic/x\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("switchyard_upstream_latency_seconds_count{deployment=\"anthropic/x\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE switchyard_fallbacks_total counter\n"), std::string::npos) << "empty families still typed";
}

TEST(Metrics, LabelValuesAreEscaped) {
  Metrics m;
  m.add(Family::tokens, {"we\"ird\\dep\nloyment", "input"}, 3);
  EXPECT_NE(m.scrape({}).find(R"(switchyard_tokens_total{deployment="we\"ird\\dep\nloyment",direction="input"} 3)"),
            std::string::npos);
}

TEST(Redactor, ConfiguredSecretsAndKeyShapedTokensNeverSurvive) {
  const auto loaded = config::load_config_text(
      "model_list:\n"
      "  - {model_name: a, litellm_params: {model: anthropic/claude-x, api_key: sk-ant-api03-CONFIGURED-SECRET}}\n"
      "  - {model_name: b, litellm_params: {model: bedrock/m, aws_region_name: us-east-1, aws_access_key_id: AKIDCONFIGURED01,"
      " aws_secret_access_key: wJalrXUtnFEMI-CONFIGURED}}\n"
      "general_settings: {master_key: master-CONFIGURED-1234, keys: [{key: team-CONFIGURED-5678, name: team}]}\n",
      "redact.yaml");
  ASSERT_TRUE(loaded.ok());
  const Redactor redact(*loaded.config);
  const auto out = redact(
      "key sk-ant-api03-CONFIGURED-SECRET was refused; aws wJalrXUtnFEMI-CONFIGURED / AKIDCONFIGURED01; "
      "master-CONFIGURED-1234; team-CONFIGURED-5678; header Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig; "
      "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz; us-east-1 stays");
  for (const auto secret : {"CONFIGURED", "eyJhbGci", "sk-proj-abc"}) EXPECT_EQ(out.find(secret), std::string::npos) << out;
  EXPECT_NE(out.find("Bearer [redacted]"), std::string::npos) << out;
  EXPECT_NE(out.find("us-east-1 stays"), std::string::npos) << "short, non-secret values are kept: " << out;
}

TEST(RequestLog, LinesCarryEveryAttemptAndNoSecret) {
  RequestSummary s;
  s.request_id = "req-1";
  s.method = "POST";
  s.path = "/v1/messages";
  s.client_format = core::WireFormat::anthropic;
  s.model_group = "claude";
  s.status = 200;
  s.deployment = "openai_compatible/gpt@http://backup/v1";
  s.answered_by_group = "backup";
  s.groups_tried = {"claude", "backup"};
  router::FailedAttempt f;
  f.group = "claude";
  f.deployment_id = "anthropic/claude@https://api.anthropic.com";
  f.classification.error_class = errors::ErrorClass::authentication;
  f.classification.message = "invalid x-api-key sk-ant-api03-LEAKED-KEY-abcdefgh";
  f.status = 401;
  s.failures.push_back(f);
  const Redactor redact;
  const auto json_line = RequestLog::format_line(LogFormat::json, s, redact);
  EXPECT_EQ(json_line.find("LEAKED"), std::string::npos) << json_line;
  EXPECT_NE(json_line.find(R"("result":"authentication")"), std::string::npos) << json_line;
  EXPECT_NE(json_line.find(R"("result":"success")"), std::string::npos) << json_line;
  const auto text_line = RequestLog::format_line(LogFormat::text, s, redact);
  EXPECT_EQ(text_line.find("LEAKED"), std::string::npos) << text_line;
  EXPECT_NE(text_line.find("fallback_path=claude,backup"), std::string::npos) << text_line;
}

}  // namespace
}  // namespace switchyard::api
