// Classifier behaviour beyond the provider table: the decision table itself, user rules from
// config, retry policies, Retry-After, and hostile bodies that must still classify quickly.
#include <gtest/gtest.h>
#include <re2/re2.h>

#include <chrono>
#include <random>

#include "errors/classifier.h"
#include "errors/explain.h"

namespace switchyard::errors {
namespace {

using core::Provider;

UpstreamError err(Provider p, int status, std::string body, Headers headers = {}) {
  UpstreamError e;
  e.provider = p;
  e.status = status;
  e.body = std::move(body);
  e.headers = std::move(headers);
  return e;
}

const char* kCreditBalance =
    R"({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}})";

TEST(DecisionTable, MatchesDesignForEveryClass) {
  struct Row {
    ErrorClass c;
    bool retry, cooldown, fallback;
  };
  const Row rows[] = {
      {ErrorClass::bad_request, false, false, false},  {ErrorClass::context_window_exceeded, false, false, true},
      {ErrorClass::content_policy, false, false, true}, {ErrorClass::authentication, false, true, true},
      {ErrorClass::permission_denied, false, true, true}, {ErrorClass::not_found, false, true, true},
      {ErrorClass::rate_limit, true, true, true},       {ErrorClass::quota_exhausted, false, true, true},
      {ErrorClass::overloaded, true, true, true},       {ErrorClass::timeout, true, true, true},
      {ErrorClass::server_error, true, true, true},     {ErrorClass::connection, true, true, true},
  };
  ASSERT_EQ(std::size(rows), kErrorClassCount);
  for (const auto& r : rows) {
    const auto d = default_decision(r.c);
    EXPECT_EQ(d.retry, r.retry) << to_string(r.c);
    EXPECT_EQ(d.cooldown, r.cooldown) << to_string(r.c);
    EXPECT_EQ(d.fallback, r.fallback) << to_string(r.c);
    EXPECT_EQ(error_class_from_string(to_string(r.c)), r.c);
  }
  EXPECT_EQ(default_decision(ErrorClass::quota_exhausted).cooldown_length, CooldownLength::long_);
  EXPECT_EQ(default_decision(ErrorClass::authentication).cooldown_length, CooldownLength::until_reload);
  EXPECT_EQ(default_decision(ErrorClass::context_window_exceeded).fallback_scope, FallbackScope::context_window);
}

TEST(Classifier, CreditBalance400FallsBackAndCoolsDown) {
  const auto c = Classifier().classify(err(Provider::anthropic, 400, kCreditBalance));
  EXPECT_EQ(c.error_class, ErrorClass::quota_exhausted);
  EXPECT_TRUE(c.decision.fallback);
  EXPECT_TRUE(c.decision.cooldown);
  EXPECT_FALSE(c.decision.retry);
  EXPECT_EQ(c.rule, "anthropic.credit_balance_too_low");
  EXPECT_EQ(explain_json(c),
            R"({"class":"quota_exhausted","retry":false,"cooldown":true,"fallback":true,"rule":"anthropic.credit_balance_too_low"})");
}

TEST(Classifier, InvalidRole400IsTheCallersFault) {
  const auto c = Classifier().classify(err(
      Provider::anthropic, 400,
      R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: Unexpected role \"tool\". Allowed roles are \"user\" or \"assistant\". For instructions on how to use tools, see https://docs.anthropic.com/en/docs/tool-use."}})"));
  EXPECT_EQ(c.error_class, ErrorClass::bad_request);
  EXPECT_FALSE(c.decision.fallback);
  EXPECT_EQ(c.rule, "anthropic.invalid_request_error");
}

// OpenAI's per-string cap names the part of a message's content when the content is a list of
// parts ("Invalid 'messages[7].content[0].text': string too long"): the prompt, as for a plain
// content; a tool name over the cap is the request's own fault.
TEST(Classifier, OpenAiStringTooLongIsContextForAContentPartToo) {
  const auto part = Classifier().classify(err(Provider::openai, 400,
      R"({"error":{"message":"Invalid 'messages[7].content[0].text': string too long. Expected a string with maximum length 10485760, but got a string with length 18300230 instead.","type":"invalid_request_error","param":"messages[7].content[0].text","code":"string_above_max_length"}})"));
  EXPECT_EQ(part.error_class, ErrorClass::context_window_exceeded) << part.rule;
  const auto name = Classifier().classify(err(Provider::openai, 400,
      R"({"error":{"message":"Invalid 'tools[0].function.name': string too long. Expected a string with maximum length 64, but got a string with length 80 instead.","type":"invalid_request_error","param":"tools[0].function.name","code":"string_above_max_length"}})"));
  EXPECT_EQ(name.error_class, ErrorClass::bad_request) << name.rule;
}

TEST(Classifier, OverloadedErrorInsideA200StreamIsOverloaded) {
  const auto c = Classifier().classify(err(
      Provider::anthropic, 200,
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\"}}\n\n"
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
  EXPECT_EQ(c.error_class, ErrorClass::overloaded);
  EXPECT_EQ(c.message, "Overloaded");
}

TEST(Classifier, BedrockErrorTypeComesFromTheHeader) {
  const auto c = Classifier().classify(
      err(Provider::bedrock, 400, R"({"message":"Input is too long for requested model."})",
          {{"X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"}}));
  EXPECT_EQ(c.error_class, ErrorClass::context_window_exceeded);
  EXPECT_EQ(c.rule, "bedrock.input_too_long");
}

TEST(Classifier, UserStatusCodeRuleLetsABadRequestFallBack) {
  ClassifierSettings s;
  s.fallback_on_status_codes = {400};
  const auto c = Classifier(s).classify(err(Provider::openai, 400, R"({"error":{"message":"nope","type":"invalid_request_error"}})"));
  EXPECT_EQ(c.error_class, ErrorClass::bad_request);
  EXPECT_TRUE(c.decision.fallback);
  EXPECT_EQ(c.rule, "openai.invalid_request_error + config.fallback_on.status_codes[0]");
}

TEST(Classifier, UserPatternMatchesTheProviderMessage) {
  ClassifierSettings s;
  s.fallback_on_patterns.push_back({"(?i)organization .* suspended", std::make_shared<re2::RE2>("(?i)organization .* suspended")});
  const auto hit = Classifier(s).classify(
      err(Provider::openai_compatible, 400, R"({"error":{"message":"Your Organization has been suspended","type":"invalid_request_error"}})"));
  EXPECT_TRUE(hit.decision.fallback);
  EXPECT_NE(hit.rule.find("config.fallback_on.error_patterns[0]"), std::string::npos);
  const auto miss = Classifier(s).classify(
      err(Provider::openai_compatible, 400, R"({"error":{"message":"messages is required","type":"invalid_request_error"}})"));
  EXPECT_FALSE(miss.decision.fallback);
}

TEST(Classifier, RetryPolicyOverridesTheDefault) {
  ClassifierSettings s;
  s.retries_by_class[ErrorClass::rate_limit] = 0;
  s.retries_by_class[ErrorClass::bad_request] = 2;
  const Classifier classifier(s);
  const auto rl = classifier.classify(err(Provider::openai, 429, "{}"));
  EXPECT_FALSE(rl.decision.retry);
  EXPECT_EQ(rl.decision.max_retries, 0);
  EXPECT_TRUE(classifier.classify(err(Provider::openai, 400, "{}")).decision.retry);
}

TEST(Classifier, RetryAfterSecondsAndMillisecondsAreRead) {
  const Classifier c;
  EXPECT_EQ(c.classify(err(Provider::anthropic, 429, "", {{"Retry-After", "20"}})).retry_after_seconds, 20.0);
  EXPECT_EQ(c.classify(err(Provider::openai, 429, "", {{"retry-after-ms", "1500"}})).retry_after_seconds, 1.5);
  EXPECT_FALSE(c.classify(err(Provider::openai, 429, "", {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}))
                   .retry_after_seconds.has_value());
  EXPECT_FALSE(c.classify(err(Provider::openai, 429, "", {{"retry-after", "-3"}})).retry_after_seconds.has_value());
}

TEST(Classifier, TransportFailuresAreConnectionOrTimeout) {
  UpstreamError e;
  e.transport_error = TransportError::connection_refused;
  EXPECT_EQ(Classifier().classify(e).error_class, ErrorClass::connection);
  e.transport_error = TransportError::read_timeout;
  EXPECT_EQ(Classifier().classify(e).error_class, ErrorClass::timeout);
  EXPECT_EQ(Classifier().classify(e).rule, "transport.read_timeout");
}

TEST(Classifier, HtmlFromAProxyUsesItsTitleAsMessage) {
  const auto c = Classifier().classify(err(
      Provider::openai, 502,
      "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
      "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"));
  EXPECT_EQ(c.error_class, ErrorClass::server_error);
  EXPECT_EQ(c.message, "502 Bad Gateway");
}

TEST(Classifier, EveryStatusClassifiesForEveryProviderWithAnEmptyBody) {
  const Classifier classifier;
  for (const auto p : core::all_providers())
    for (int status = 0; status < 1000; ++status) {
      const auto c = classifier.classify(err(p, status, ""));
      EXPECT_FALSE(c.rule.empty());
      if (status == 400) {
        EXPECT_EQ(c.error_class, ErrorClass::bad_request);
      }
      if (status == 429) {
        EXPECT_EQ(c.error_class, ErrorClass::rate_limit);
      }
      if (status >= 500 && status < 600) {
        EXPECT_NE(c.error_class, ErrorClass::bad_request) << status;
      }
    }
}

double classify_ms(const Classifier& c, const UpstreamError& e) {
  const auto start = std::chrono::steady_clock::now();
  const auto result = c.classify(e);
  EXPECT_FALSE(result.rule.empty());
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

TEST(Classifier, TenMegabytesOfGarbageClassifiesQuickly) {
  std::mt19937 rng(42);
  std::string garbage(10u << 20, '\0');
  for (auto& ch : garbage) ch = static_cast<char>(rng());
  const Classifier c;
  const auto e = err(Provider::anthropic, 500, garbage);
  EXPECT_EQ(c.classify(e).error_class, ErrorClass::server_error);
  EXPECT_LT(classify_ms(c, e), 200.0);
  // A huge body that looks like JSON is not parsed past the limit and still classifies.
  std::string big_json = R"({"error":{"type":"overloaded_error","message":")" + std::string(10u << 20, 'x') + "\"}}";
  EXPECT_LT(classify_ms(c, err(Provider::anthropic, 529, big_json)), 200.0);
  EXPECT_EQ(c.classify(err(Provider::anthropic, 529, big_json)).error_class, ErrorClass::overloaded);
}

TEST(Classifier, DeeplyNestedJsonIsRefusedByTheParserNotTheStack) {
  const std::string nested = std::string(200000, '[') + std::string(200000, ']');
  const auto c = Classifier().classify(err(Provider::gemini, 500, nested));
  EXPECT_EQ(c.error_class, ErrorClass::server_error);
}

TEST(Classifier, ReportedMessageIsBoundedAndSingleLine) {
  const auto c = Classifier().classify(err(Provider::openai, 500, "line one\nline two\n" + std::string(100000, 'z')));
  EXPECT_LE(c.message.size(), kMaxReportedMessageBytes);
  EXPECT_EQ(c.message.find('\n'), std::string::npos);
}

TEST(Classifier, TruncatedJsonFallsBackToStatusRules) {
  const auto c = Classifier().classify(err(Provider::openai, 503, R"({"error":{"message":"The server is overl)"));
  EXPECT_EQ(c.error_class, ErrorClass::overloaded);
}

}  // namespace
}  // namespace switchyard::errors

namespace switchyard::errors {
namespace {
// Found by fuzz_classifier: a huge floating-point error code must not overflow a cast.
TEST(Classifier, HugeFloatingPointCodesAreRead) {
  UpstreamError e;
  e.provider = core::Provider::openai;
  e.status = 500;
  e.body = R"({"error":{"code":1e300,"message":"x","type":"server_error"}})";
  EXPECT_EQ(Classifier().classify(e).error_class, ErrorClass::server_error);
}
}  // namespace
}  // namespace switchyard::errors

namespace switchyard::errors {
namespace {
// Issue 11: OpenAI's `code` and the status decide before a bare `invalid_request_error`, for every
// provider whose errors follow OpenAI's shape.
TEST(Classifier, OpenAiCodeAndStatusBeatTheBareTypeForEveryOpenAiShapedProvider) {
  const std::string invalid_key =
      R"({"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})";
  const std::string no_model =
      R"({"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}})";
  const std::string bare_403 =
      R"({"error":{"message":"Forbidden.","type":"invalid_request_error","param":null,"code":null}})";
  for (const auto p : {Provider::openai, Provider::openai_compatible, Provider::azure, Provider::databricks}) {
    const auto name = std::string(core::to_string(p));
    EXPECT_EQ(Classifier().classify(err(p, 401, invalid_key)).error_class, ErrorClass::authentication) << name;
    EXPECT_EQ(Classifier().classify(err(p, 404, no_model)).error_class, ErrorClass::not_found) << name;
    EXPECT_NE(Classifier().classify(err(p, 403, bare_403)).error_class, ErrorClass::bad_request) << name;
    // The code alone says it even when a relay answers 400.
    EXPECT_EQ(Classifier().classify(err(p, 400, invalid_key)).error_class, ErrorClass::authentication) << name;
  }
  for (const auto p : {Provider::anthropic, Provider::bedrock, Provider::vertex_ai, Provider::gemini})
    EXPECT_NE(Classifier().classify(err(p, 403, bare_403)).error_class, ErrorClass::bad_request) << core::to_string(p);
  // A plain 400 with the bare type is still the caller's fault.
  const auto plain = Classifier().classify(err(
      Provider::openai_compatible, 400,
      R"({"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":null}})"));
  EXPECT_EQ(plain.error_class, ErrorClass::bad_request);
  EXPECT_EQ(plain.rule, "openai_compatible.vllm_bad_request");
}

TEST(Classifier, RelayedErrorIsClassifiedAndReportedByTheInnerError) {
  const auto c = Classifier().classify(err(
      Provider::databricks, 400,
      R"({"error_code":"BAD_REQUEST","message":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the Anthropic API.\"}}"})"));
  EXPECT_EQ(c.error_class, ErrorClass::quota_exhausted);
  EXPECT_EQ(c.message, "Your credit balance is too low to access the Anthropic API.");
  // The same relayed inside an SSE error event and a Google-style array.
  const auto sse = Classifier().classify(err(
      Provider::openai_compatible, 200,
      "data: {\"error\":{\"message\":\"{\\\"error\\\":{\\\"type\\\":\\\"invalid_request_error\\\",\\\"code\\\":\\\"context_length_exceeded\\\",\\\"message\\\":\\\"too long\\\"}}\"}}\n\n"));
  EXPECT_EQ(sse.error_class, ErrorClass::context_window_exceeded);
  const auto array = Classifier().classify(err(
      Provider::gemini, 429,
      R"([{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}])"));
  EXPECT_EQ(array.error_class, ErrorClass::rate_limit);
  // JSON quoted in a message that is not an error report does not replace the outer fields.
  const auto quoted = Classifier().classify(err(
      Provider::anthropic, 400,
      R"({"type":"error","error":{"type":"invalid_request_error","message":"messages.0.content.0: unexpected block {\"type\":\"thinking\",\"text\":\"x\"}"}})"));
  EXPECT_EQ(quoted.error_class, ErrorClass::bad_request);
  EXPECT_EQ(quoted.rule, "anthropic.invalid_request_error");
}
}  // namespace
}  // namespace switchyard::errors

namespace switchyard::errors {
namespace {
TEST(Classifier, StreamErrorEventsAreFoundPastContentThatMentionsErrors) {
  // An Anthropic delta whose text says "error" is content, not the error event after it.
  const auto anthropic = Classifier().classify(err(
      Provider::anthropic, 200,
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
      "\"text\":\"an error occurred\"}}\n\n"
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
  EXPECT_EQ(anthropic.error_class, ErrorClass::overloaded);
  // Responses API: the failure is inside response.error.
  const auto responses = Classifier().classify(err(
      Provider::openai, 200,
      "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\","
      "\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached for gpt-4o\"}}}\n\n"));
  EXPECT_EQ(responses.error_class, ErrorClass::rate_limit);
  EXPECT_EQ(responses.message, "Rate limit reached for gpt-4o");
  // {"errors":[…]} envelopes (Cloudflare-style) are read like an error object.
  const auto errors_array = Classifier().classify(err(
      Provider::openai_compatible, 400,
      R"({"errors":[{"message":"You exceeded your current quota, please check your plan and billing details.","code":7003}],"success":false,"result":null})"));
  EXPECT_EQ(errors_array.error_class, ErrorClass::quota_exhausted);
}
}  // namespace
}  // namespace switchyard::errors

namespace switchyard::errors {
namespace {
TEST(Classifier, GoogleRetryInfoInTheBodyIsTheRetryAfter) {
  const auto c = Classifier().classify(err(
      Provider::gemini, 429,
      R"({"error":{"code":429,"message":"Resource exhausted.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"36s"}]}})"));
  EXPECT_EQ(c.error_class, ErrorClass::rate_limit);
  ASSERT_TRUE(c.retry_after_seconds);
  EXPECT_DOUBLE_EQ(*c.retry_after_seconds, 36.0);
  // A header, when present, is the answer.
  const auto h = Classifier().classify(err(
      Provider::gemini, 429,
      R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"retryDelay":"36s"}]}})", {{"Retry-After", "5"}}));
  EXPECT_DOUBLE_EQ(h.retry_after_seconds.value_or(0), 5.0);
}

TEST(Classifier, ALiteLlmProxyUpstreamIsReadByItsExceptionNames) {
  const auto c = Classifier().classify(err(
      Provider::openai_compatible, 400,
      R"({"error":{"message":"litellm.ContextWindowExceededError: litellm.BadRequestError: prompt exceeds limit","type":null,"param":null,"code":"400"}})"));
  EXPECT_EQ(c.error_class, ErrorClass::context_window_exceeded);
  const auto p = Classifier().classify(err(
      Provider::openai_compatible, 400,
      R"({"error":{"message":"litellm.ContentPolicyViolationError: refused","type":null,"param":null,"code":"400"}})"));
  EXPECT_EQ(p.error_class, ErrorClass::content_policy);
}
}  // namespace
}  // namespace switchyard::errors
