// The mock's cloud endpoints driven over real sockets: the Google token endpoint (JWT-bearer
// assertions signed with a key generated here), Vertex AI Claude and Gemini behind its Bearer
// tokens, the Gemini API behind its key, and Bedrock Converse behind SigV4, with their reply
// shapes, streams (SSE; AWS eventstream frames with CRCs) and fault bodies.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json.hpp>
#include <memory>

#include "harness.h"
#include "providers/aws/eventstream.h"
#include "providers/aws/sigv4.h"
#include "providers/google/service_account.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;
namespace google = providers::google;
namespace aws = providers::aws;

constexpr std::string_view kClientEmail = "mock-sa@switchyard-test.iam.gserviceaccount.com";
constexpr std::string_view kTokenUri = "https://oauth2.googleapis.com/token";
constexpr std::string_view kGeminiKey = "gem-test-key";
constexpr std::string_view kAkid = "AKIDMOCKTEST";
constexpr std::string_view kSecret = "mock-secret-key";
constexpr std::string_view kBedrockModelPath = "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0";
constexpr std::string_view kBedrockModel = "anthropic.claude-3-5-sonnet-20240620-v1:0";
constexpr std::string_view kVertexBase = "/v1/projects/p1/locations/us-east5/publishers/";

std::string new_rsa_key_pem() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

google::ServiceAccount account_with(std::string pem) {
  return {std::string(kClientEmail), std::move(pem), "key-1", std::string(kTokenUri), "switchyard-test"};
}

std::string account_json(const google::ServiceAccount& a) {
  return json::serialize(json::object{{"type", "service_account"},
                                      {"project_id", a.project_id},
                                      {"private_key_id", a.private_key_id},
                                      {"private_key", a.private_key_pem},
                                      {"client_email", a.client_email},
                                      {"token_uri", a.token_uri}});
}

json::value parse(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  return v;
}

json::object stats(std::uint16_t port) { return parse(request(port, "GET", "/mock/stats").body).as_object(); }

class MockCloud : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_pem_ = new std::string(new_rsa_key_pem()); }
  static void TearDownTestSuite() { delete key_pem_; }

  void SetUp() override {
    account_ = account_with(*key_pem_);
    const auto key_file = write_temp_file("mock-cloud-sa.json", account_json(account_));
    const std::string yaml = "google: {service_account: " + key_file.string() + "}\n" +
                             "gemini: {api_key: " + std::string(kGeminiKey) + "}\n" +
                             "aws: {access_key_id: " + std::string(kAkid) + ", secret_access_key: " +
                             std::string(kSecret) + ", region: us-east-1}\n" +
                             "models:\n"
                             "  claude-limited: {fault: rate_limit}\n"
                             "  claude-busy: {fault: overloaded}\n"
                             "  gemini-busy: {fault: overloaded}\n"
                             "  gemini-cut: {fault: stream_error_after_content}\n"
                             "  gemini-slow: {reply: \"one two three four five six seven eight\", chunk_delay_ms: 5}\n"
                             "  gemini-tools: {tool_call: {name: get_weather, arguments: {city: Paris}}}\n"
                             "  bedrock-tools: {model: \"anthropic.tools-v1:0\", tool_call: {name: get_weather, arguments: {city: Paris}}}\n"
                             "  bedrock-throttled: {model: \"anthropic.throttled-v1:0\", fault: rate_limit}\n"
                             "  bedrock-cut: {model: \"anthropic.cut-v1:0\", fault: stream_error_after_content}\n";
    mock_ = start_mock(yaml);
    ASSERT_NE(mock_.port, 0) << mock_.process->output();
  }

  HttpResult grant(const std::string& jwt) {
    return request(mock_.port, "POST", "/token", google::token_request_body(jwt),
                   {{"content-type", "application/x-www-form-urlencoded"}});
  }

  std::string token() {
    const auto jwt = google::make_jwt_assertion(account_, google::kCloudPlatformScope, std::chrono::system_clock::now());
    EXPECT_TRUE(jwt.ok()) << jwt.error;
    const auto res = grant(*jwt.value);
    EXPECT_EQ(res.status, 200) << res.body;
    return std::string(parse(res.body).at("access_token").as_string());
  }

  HttpResult signed_converse(std::string_view model_path, std::string_view action, std::string_view body,
                             std::string_view secret = kSecret, std::string_view akid = kAkid) {
    const std::string target = std::string(model_path) + "/" + std::string(action);
    aws::SigningInput in;
    in.method = "POST";
    in.host = "127.0.0.1:" + std::to_string(mock_.port);
    in.target = target;
    in.headers = {{"content-type", "application/json"}};
    in.payload = body;
    in.region = "us-east-1";
    in.service = "bedrock";
    in.now = std::chrono::system_clock::now();
    Headers headers{{"content-type", "application/json"}};
    for (auto& h : aws::sign(in, {std::string(akid), std::string(secret), {}})) headers.push_back(std::move(h));
    return request(mock_.port, "POST", target, body, headers);
  }

  static inline std::string* key_pem_ = nullptr;
  google::ServiceAccount account_;
  MockProcess mock_;
};

constexpr std::string_view kClaudeBody =
    R"({"anthropic_version":"vertex-2023-10-16","max_tokens":64,"messages":[{"role":"user","content":"hi there"}]})";
constexpr std::string_view kGeminiBody = R"({"contents":[{"role":"user","parts":[{"text":"hi there"}]}]})";
constexpr std::string_view kConverseBody = R"({"messages":[{"role":"user","content":[{"text":"hi there"}]}]})";

TEST_F(MockCloud, TokenEndpointGrantsOnlyAssertionsSignedByTheAccountsKey) {
  const auto good = google::make_jwt_assertion(account_, google::kCloudPlatformScope, std::chrono::system_clock::now());
  ASSERT_TRUE(good.ok());
  const auto ok = grant(*good.value);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto answer = parse(ok.body).as_object();
  EXPECT_TRUE(answer.at("access_token").as_string().starts_with("mock-token-"));
  EXPECT_EQ(answer.at("expires_in").as_int64(), 3600);
  EXPECT_EQ(answer.at("token_type").as_string(), "Bearer");

  const auto other = google::make_jwt_assertion(account_with(new_rsa_key_pem()), google::kCloudPlatformScope,
                                                std::chrono::system_clock::now());
  const auto refused = grant(*other.value);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(parse(refused.body), parse(R"({"error":"invalid_grant","error_description":"Invalid JWT Signature."})"));

  auto wrong_aud = account_;
  wrong_aud.token_uri = "https://elsewhere.example/token";
  const auto aud = google::make_jwt_assertion(wrong_aud, google::kCloudPlatformScope, std::chrono::system_clock::now());
  EXPECT_EQ(grant(*aud.value).status, 400);
  const auto scope = google::make_jwt_assertion(account_, "https://www.googleapis.com/auth/userinfo.email",
                                                std::chrono::system_clock::now());
  EXPECT_EQ(grant(*scope.value).status, 400);

  const auto s = stats(mock_.port);
  EXPECT_EQ(s.at("token_grants").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(s.at("auth_failures").to_number<std::uint64_t>(), 3u);
}

TEST_F(MockCloud, VertexClaudeRawPredictNeedsAnIssuedTokenAndAVertexBody) {
  const std::string path = std::string(kVertexBase) + "anthropic/models/claude-3-5-sonnet-v2@20241022:rawPredict";
  const auto anonymous = request(mock_.port, "POST", path, kClaudeBody);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(parse(anonymous.body).at("error").at("status").as_string(), "UNAUTHENTICATED");
  EXPECT_EQ(request(mock_.port, "POST", path, kClaudeBody, {{"authorization", "Bearer made-up"}}).status, 401);

  const Headers auth{{"authorization", "Bearer " + token()}};
  const auto ok = request(mock_.port, "POST", path, kClaudeBody, auth);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto msg = parse(ok.body).as_object();
  EXPECT_EQ(msg.at("type").as_string(), "message");
  EXPECT_EQ(msg.at("model").as_string(), "claude-3-5-sonnet-v2@20241022");
  EXPECT_EQ(msg.at("content").at(0).at("text").as_string(), "Hello from the mock");

  const auto with_model = request(
      mock_.port, "POST", path,
      R"({"model":"claude","anthropic_version":"vertex-2023-10-16","max_tokens":8,"messages":[{"role":"user","content":"x"}]})",
      auth);
  EXPECT_EQ(with_model.status, 400);
  EXPECT_EQ(parse(with_model.body).at("error").at("type").as_string(), "invalid_request_error");
  const auto no_version =
      request(mock_.port, "POST", path, R"({"max_tokens":8,"messages":[{"role":"user","content":"x"}]})", auth);
  EXPECT_EQ(no_version.status, 400);
  EXPECT_NE(no_version.body.find("vertex-2023-10-16"), std::string::npos);
  EXPECT_EQ(stats(mock_.port).at("auth_failures").to_number<std::uint64_t>(), 2u);
}

TEST_F(MockCloud, VertexClaudeStreamRawPredictStreamsAnthropicEvents) {
  const std::string path = std::string(kVertexBase) + "anthropic/models/claude-3-5-haiku@20241022:streamRawPredict";
  const auto res = request(mock_.port, "POST", path, kClaudeBody, {{"authorization", "Bearer " + token()}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("content-type"), "text/event-stream");
  const auto events = parse_sse(res.body);
  ASSERT_GE(events.size(), 6u);
  EXPECT_EQ(events.front().event, "message_start");
  EXPECT_EQ(events.back().event, "message_stop");
  std::string text;
  for (const auto& e : events)
    if (e.event == "content_block_delta") text += parse(e.data).at("delta").at("text").as_string();
  EXPECT_EQ(text, "Hello from the mock");
}

TEST_F(MockCloud, VertexClaudeFaultsAreVertexShapedForQuotaAndAnthropicShapedForOverload) {
  const Headers auth{{"authorization", "Bearer " + token()}};
  const auto limited =
      request(mock_.port, "POST", std::string(kVertexBase) + "anthropic/models/claude-limited:rawPredict", kClaudeBody, auth);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(parse(limited.body).at("error").at("status").as_string(), "RESOURCE_EXHAUSTED");
  EXPECT_NE(limited.body.find("anthropic-claude"), std::string::npos);
  const auto busy =
      request(mock_.port, "POST", std::string(kVertexBase) + "anthropic/models/claude-busy:rawPredict", kClaudeBody, auth);
  EXPECT_EQ(busy.status, 529);
  EXPECT_EQ(parse(busy.body).at("error").at("type").as_string(), "overloaded_error");
}

TEST_F(MockCloud, GeminiChecksTheApiKeyFromHeaderOrQuery) {
  const std::string path = "/v1beta/models/gemini-2.0-flash:generateContent";
  const auto wrong = request(mock_.port, "POST", path, kGeminiBody, {{"x-goog-api-key", "nope"}});
  EXPECT_EQ(wrong.status, 400);
  const auto err = parse(wrong.body).at("error");
  EXPECT_EQ(err.at("status").as_string(), "INVALID_ARGUMENT");
  EXPECT_EQ(err.at("details").at(0).at("reason").as_string(), "API_KEY_INVALID");

  const auto ok = request(mock_.port, "POST", path, kGeminiBody, {{"x-goog-api-key", std::string(kGeminiKey)}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto r = parse(ok.body).as_object();
  const auto& cand = r.at("candidates").at(0);
  EXPECT_EQ(cand.at("content").at("role").as_string(), "model");
  EXPECT_EQ(cand.at("content").at("parts").at(0).at("text").as_string(), "Hello from the mock");
  EXPECT_EQ(cand.at("finishReason").as_string(), "STOP");
  EXPECT_EQ(r.at("usageMetadata").at("promptTokenCount").as_int64(), 2);
  EXPECT_EQ(r.at("usageMetadata").at("totalTokenCount").as_int64(), 6);
  EXPECT_EQ(r.at("modelVersion").as_string(), "gemini-2.0-flash");

  EXPECT_EQ(request(mock_.port, "POST", path + "?key=" + std::string(kGeminiKey), kGeminiBody).status, 200);
  EXPECT_EQ(request(mock_.port, "POST", path, R"({"contents":[]})", {{"x-goog-api-key", std::string(kGeminiKey)}}).status,
            400);
  const auto s = stats(mock_.port);
  EXPECT_EQ(s.at("auth_failures").to_number<std::uint64_t>(), 1u);
  EXPECT_EQ(s.at("models").at("gemini-2.0-flash").at("calls").to_number<std::uint64_t>(), 2u);
}

TEST_F(MockCloud, GeminiStreamsSeveralChunksTheLastWithFinishReasonAndUsage) {
  const auto res = request(mock_.port, "POST", "/v1beta/models/gemini-slow:streamGenerateContent?alt=sse", kGeminiBody,
                           {{"x-goog-api-key", std::string(kGeminiKey)}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.body.find("\r\n\r\n"), std::string::npos);
  const auto events = parse_sse(res.body);
  ASSERT_GE(events.size(), 3u);
  std::string text;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto chunk = parse(events[i].data).as_object();
    const auto& cand = chunk.at("candidates").at(0).as_object();
    text += cand.at("content").at("parts").at(0).at("text").as_string();
    EXPECT_EQ(cand.contains("finishReason"), i + 1 == events.size());
  }
  EXPECT_EQ(text, "one two three four five six seven eight");
  EXPECT_EQ(parse(events.back().data).at("usageMetadata").at("candidatesTokenCount").as_int64(), 8);
}

TEST_F(MockCloud, GeminiFaultsUseGoogleBodiesAndAStreamErrorEvent) {
  const Headers key{{"x-goog-api-key", std::string(kGeminiKey)}};
  const auto busy = request(mock_.port, "POST", "/v1beta/models/gemini-busy:generateContent", kGeminiBody, key);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(parse(busy.body).at("error").at("message").as_string(), "The model is overloaded. Please try again later.");

  const auto cut =
      request(mock_.port, "POST", "/v1beta/models/gemini-cut:streamGenerateContent?alt=sse", kGeminiBody, key);
  ASSERT_EQ(cut.status, 200);
  const auto events = parse_sse(cut.body);
  ASSERT_EQ(events.size(), 3u);  // two content chunks, then the error object
  EXPECT_TRUE(parse(events[0].data).as_object().contains("candidates"));
  EXPECT_EQ(parse(events[2].data).at("error").at("status").as_string(), "UNAVAILABLE");
}

TEST_F(MockCloud, VertexGeminiNeedsATokenAndAnswersAFunctionCallWhenToolsAreDeclared) {
  const std::string path = std::string(kVertexBase) + "google/models/gemini-tools:generateContent";
  const std::string body =
      R"({"contents":[{"role":"user","parts":[{"text":"weather?"}]}],"tools":[{"functionDeclarations":[{"name":"get_weather"}]}]})";
  EXPECT_EQ(request(mock_.port, "POST", path, body, {{"x-goog-api-key", std::string(kGeminiKey)}}).status, 401);
  const auto res = request(mock_.port, "POST", path, body, {{"authorization", "Bearer " + token()}});
  ASSERT_EQ(res.status, 200) << res.body;
  const auto answer = parse(res.body);
  const auto& call = answer.at("candidates").at(0).at("content").at("parts").at(0).at("functionCall");
  EXPECT_EQ(call.at("name").as_string(), "get_weather");
  EXPECT_EQ(call.at("args").at("city").as_string(), "Paris");
}

TEST_F(MockCloud, BedrockConverseVerifiesTheSigV4Signature) {
  const auto ok = signed_converse(kBedrockModelPath, "converse", kConverseBody);
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto r = parse(ok.body).as_object();
  EXPECT_EQ(r.at("output").at("message").at("content").at(0).at("text").as_string(), "Hello from the mock");
  EXPECT_EQ(r.at("stopReason").as_string(), "end_turn");
  EXPECT_EQ(r.at("usage").at("totalTokens").as_int64(), 6);
  EXPECT_TRUE(r.at("metrics").as_object().contains("latencyMs"));
  EXPECT_EQ(stats(mock_.port).at("models").at(kBedrockModel).at("calls").to_number<std::uint64_t>(), 1u);

  const auto bad = signed_converse(kBedrockModelPath, "converse", kConverseBody, "wrong-secret");
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(bad.header("x-amzn-ErrorType").substr(0, 25), "InvalidSignatureException");
  EXPECT_NE(bad.body.find("The request signature we calculated does not match"), std::string::npos);

  const auto unknown = signed_converse(kBedrockModelPath, "converse", kConverseBody, kSecret, "AKIDUNKNOWN");
  EXPECT_EQ(unknown.status, 403);
  EXPECT_EQ(unknown.header("x-amzn-ErrorType").substr(0, 27), "UnrecognizedClientException");

  const auto unsigned_call = request(mock_.port, "POST", std::string(kBedrockModelPath) + "/converse", kConverseBody);
  EXPECT_EQ(unsigned_call.status, 403);
  EXPECT_EQ(stats(mock_.port).at("auth_failures").to_number<std::uint64_t>(), 3u);

  const auto with_model = signed_converse(kBedrockModelPath, "converse", R"({"model":"x","messages":[{"role":"user","content":[{"text":"a"}]}]})");
  EXPECT_EQ(with_model.status, 400);
  EXPECT_EQ(with_model.header("x-amzn-ErrorType").substr(0, 19), "ValidationException");
}

std::vector<aws::eventstream::Message> decode_all(const std::string& body) {
  aws::eventstream::Decoder decoder;
  decoder.feed(body);
  std::vector<aws::eventstream::Message> out;
  while (auto m = decoder.next()) out.push_back(std::move(*m));
  EXPECT_FALSE(decoder.error()) << *decoder.error();
  EXPECT_FALSE(decoder.has_partial());
  return out;
}

TEST_F(MockCloud, BedrockConverseStreamSendsCheckedEventStreamFrames) {
  const auto res = signed_converse(kBedrockModelPath, "converse-stream", kConverseBody);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("content-type"), "application/vnd.amazon.eventstream");
  const auto frames = decode_all(res.body);
  ASSERT_GE(frames.size(), 5u);
  std::vector<std::string> types;
  std::string text;
  for (const auto& f : frames) {
    EXPECT_EQ(f.string_header(":message-type"), "event");
    EXPECT_EQ(f.string_header(":content-type"), "application/json");
    types.emplace_back(f.string_header(":event-type"));
    const auto payload = parse(f.payload).as_object();
    EXPECT_TRUE(payload.contains("p")) << f.payload;
    if (types.back() == "contentBlockDelta") text += payload.at("delta").at("text").as_string();
  }
  EXPECT_EQ(types.front(), "messageStart");
  EXPECT_EQ(types[types.size() - 3], "contentBlockStop");
  EXPECT_EQ(types[types.size() - 2], "messageStop");
  EXPECT_EQ(types.back(), "metadata");
  EXPECT_EQ(text, "Hello from the mock");
  EXPECT_EQ(parse(frames.back().payload).at("usage").at("outputTokens").as_int64(), 4);

  // The CRCs are real: one flipped payload byte makes the decoder refuse the frame.
  std::string corrupted = res.body;
  corrupted[aws::eventstream::kPreludeBytes + 40] ^= 0x01;
  aws::eventstream::Decoder decoder;
  decoder.feed(corrupted);
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_TRUE(decoder.error().has_value());
}

TEST_F(MockCloud, BedrockToolUseAndStreamFaults) {
  const std::string tool_body =
      R"({"messages":[{"role":"user","content":[{"text":"weather?"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":{}}}}]}})";
  const auto tool = signed_converse("/model/anthropic.tools-v1%3A0", "converse", tool_body);
  ASSERT_EQ(tool.status, 200) << tool.body;
  const auto r = parse(tool.body);
  EXPECT_EQ(r.at("stopReason").as_string(), "tool_use");
  const auto& use = r.at("output").at("message").at("content").at(0).at("toolUse");
  EXPECT_TRUE(use.at("toolUseId").as_string().starts_with("tooluse_"));
  EXPECT_EQ(use.at("input").at("city").as_string(), "Paris");

  const auto throttled = signed_converse("/model/anthropic.throttled-v1%3A0", "converse", kConverseBody);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.header("x-amzn-ErrorType").substr(0, 19), "ThrottlingException");
  EXPECT_EQ(parse(throttled.body).at("message").as_string(), "Too many requests, please wait before trying again.");

  const auto cut = signed_converse("/model/anthropic.cut-v1%3A0", "converse-stream", kConverseBody);
  ASSERT_EQ(cut.status, 200);
  const auto frames = decode_all(cut.body);
  ASSERT_EQ(frames.size(), 4u);  // messageStart, two deltas, the exception
  EXPECT_EQ(frames[1].string_header(":event-type"), "contentBlockDelta");
  EXPECT_EQ(frames.back().string_header(":message-type"), "exception");
  EXPECT_EQ(frames.back().string_header(":exception-type"), "serviceUnavailableException");
  EXPECT_TRUE(parse(frames.back().payload).as_object().contains("message"));
}

}  // namespace
}  // namespace switchyard::testing
