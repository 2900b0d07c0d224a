// POST /v1/embeddings end to end against the mock's real provider shapes: OpenAI, Azure,
// Databricks and OpenAI-compatible servers (passthrough), Gemini (batchEmbedContents, API key),
// Vertex AI (predict, service-account token), Bedrock Titan and Cohere (InvokeModel, SigV4);
// encoding_format base64 and dimensions; fallback on a quota error; refusals by name.
#include <gtest/gtest.h>

#include <boost/beast/core/detail/base64.hpp>
#include <boost/json.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kAwsKeyId = "AKIDSWITCHYARDTEST";
constexpr std::string_view kAwsSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSWITCHYARD";

std::filesystem::path service_account_file(std::uint16_t mock_port) {
  const auto key = temp_dir() / "sa-embeddings.pem";
  const auto cmd = "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" + key.string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl genpkey failed");
  std::ifstream in(key);
  std::stringstream pem;
  pem << in.rdbuf();
  const json::object account{{"type", "service_account"},
                             {"project_id", "switchyard-test"},
                             {"private_key_id", "key-embeddings"},
                             {"private_key", pem.str()},
                             {"client_email", "gateway@switchyard-test.iam.gserviceaccount.com"},
                             {"token_uri", "http://127.0.0.1:" + std::to_string(mock_port) + "/token"}};
  return write_temp_file("sa-embeddings.json", json::serialize(account));
}

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  Stack() {
    const auto mock_port = free_port();
    const auto account = service_account_file(mock_port);
    mock = start_mock("google: {service_account: '" + account.string() + "'}\n"
                      "gemini: {api_key: gemini-test-key}\n"
                      "aws: {access_key_id: " + std::string(kAwsKeyId) + ", secret_access_key: '" + std::string(kAwsSecret) +
                          "', region: us-east-1}\n"
                      "models:\n  emb-broke: {fault: quota_exhausted}\n  emb-missing: {fault: not_found}\n"
                      "  anthropic.claude-json-v1: {tool_call: {name: switchyard_json_output, arguments: {city: Paris}}}\n",
                      {"--port", std::to_string(mock_port)});
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
    const auto aws = "aws_region_name: us-east-1, aws_access_key_id: " + std::string(kAwsKeyId) +
                     ", aws_secret_access_key: '" + std::string(kAwsSecret) + "'";
    const std::string cfg =
        "model_list:\n"
        "  - {model_name: openai, litellm_params: {model: openai/text-embedding-3-small, api_base: '" + base + "/v1', api_key: sk-x}}\n"
        "  - {model_name: azure, litellm_params: {model: azure/my-embedder, api_base: '" + base + "', api_key: az-x, api_version: '2024-10-21'}}\n"
        "  - {model_name: databricks, litellm_params: {model: databricks/databricks-gte-large-en, api_base: '" + base + "/serving-endpoints', api_key: dapi-x}}\n"
        "  - {model_name: compatible, litellm_params: {model: hosted_vllm/bge-m3, api_base: '" + base + "/v1'}}\n"
        "  - {model_name: gemini, litellm_params: {model: gemini/text-embedding-004, api_base: '" + base + "', api_key: gemini-test-key}}\n"
        "  - {model_name: vertex, litellm_params: {model: vertex_ai/text-embedding-005, api_base: '" + base + "', vertex_project: p, vertex_credentials: '" + account.string() + "'}}\n"
        "  - {model_name: titan, litellm_params: {model: 'bedrock/amazon.titan-embed-text-v2:0', api_base: '" + base + "', " + aws + "}}\n"
        "  - {model_name: cohere, litellm_params: {model: 'bedrock/cohere.embed-english-v3', api_base: '" + base + "', " + aws + "}}\n"
        "  - {model_name: gemini-chat, litellm_params: {model: gemini/gemini-2.0-flash, api_base: '" + base + "', api_key: gemini-test-key}}\n"
        "  - {model_name: vertex-chat, litellm_params: {model: vertex_ai/gemini-2.0-flash, api_base: '" + base + "', vertex_project: p, vertex_credentials: '" + account.string() + "'}}\n"
        "  - {model_name: bedrock-chat, litellm_params: {model: 'bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0', api_base: '" + base + "', " + aws + "}}\n"
        "  - {model_name: bedrock-json, litellm_params: {model: 'bedrock/anthropic.claude-json-v1', api_base: '" + base + "', " + aws + "}}\n"
        "  - {model_name: broke, litellm_params: {model: openai/emb-broke, api_base: '" + base + "/v1', api_key: sk-x}}\n"
        "  - {model_name: claude, litellm_params: {model: anthropic/claude-x, api_base: '" + base + "', api_key: sk-x}}\n"
        "  - {model_name: missing, litellm_params: {model: openai/emb-missing, api_base: '" + base + "/v1', api_key: sk-x}}\n"
        "router_settings:\n  num_retries: 0\n  fallbacks:\n    - broke: [gemini]\n    - missing: [gemini]\n";
    const auto file = write_temp_file("embeddings-" + std::to_string(mock.port) + ".yaml", cfg);
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }
  HttpResult embed(const json::object& body) const { return request(port, "POST", "/v1/embeddings", json::serialize(body)); }
  json::object last(const std::string& model) const {
    const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body);
    return stats.at("models").at(model).as_object();
  }
};

Stack& stack() {
  static Stack s;
  return s;
}

std::vector<double> floats_of(const json::value& embedding) {
  std::vector<double> out;
  for (const auto& x : embedding.as_array()) out.push_back(x.to_number<double>());
  return out;
}

void expect_list(const HttpResult& r, std::size_t count, std::size_t dimensions) {
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("object"), "list");
  const auto& data = body.at("data").as_array();
  ASSERT_EQ(data.size(), count) << r.body;
  for (std::size_t i = 0; i < count; ++i) {
    EXPECT_EQ(data[i].at("object"), "embedding");
    EXPECT_EQ(data[i].at("index").to_number<std::size_t>(), i);
    EXPECT_EQ(data[i].at("embedding").as_array().size(), dimensions) << r.body;
  }
  EXPECT_NE(floats_of(data[0].at("embedding")), floats_of(data[count - 1].at("embedding"))) << "texts differ, vectors too";
}

const json::array kTwoTexts{"sunny day", "rainy night at sea"};

TEST(Embeddings, EveryProviderAnswersInOpenAisListShape) {
  auto& s = stack();
  for (const auto* group : {"openai", "azure", "databricks", "compatible", "gemini", "vertex", "titan", "cohere"}) {
    SCOPED_TRACE(group);
    expect_list(s.embed({{"model", group}, {"input", kTwoTexts}}), 2, 8);
  }
}

TEST(Embeddings, EachProviderGetsItsOwnEndpointAndBody) {
  auto& s = stack();
  ASSERT_EQ(s.embed({{"model", "azure"}, {"input", "x"}}).status, 200);
  EXPECT_EQ(s.last("my-embedder").at("last_path"), "/openai/deployments/my-embedder/embeddings");
  ASSERT_EQ(s.embed({{"model", "databricks"}, {"input", "x"}}).status, 200);
  EXPECT_EQ(s.last("databricks-gte-large-en").at("last_path"), "/serving-endpoints/embeddings");
  ASSERT_EQ(s.embed({{"model", "gemini"}, {"input", kTwoTexts}, {"dimensions", 4}}).status, 200);
  const auto gemini = s.last("text-embedding-004");
  EXPECT_EQ(gemini.at("last_path"), "/v1beta/models/text-embedding-004:batchEmbedContents");
  EXPECT_EQ(gemini.at("last_body").at("requests").at(1).at("content").at("parts").at(0).at("text"), "rainy night at sea");
  EXPECT_EQ(gemini.at("last_body").at("requests").at(0).at("outputDimensionality"), 4);
  ASSERT_EQ(s.embed({{"model", "vertex"}, {"input", "x"}}).status, 200);
  EXPECT_TRUE(s.last("text-embedding-005").at("last_path").as_string().ends_with(
      "/publishers/google/models/text-embedding-005:predict"));
  // Titan embeds one text per call: two inputs, two calls.
  ASSERT_EQ(s.embed({{"model", "titan"}, {"input", kTwoTexts}}).status, 200);
  EXPECT_EQ(s.last("amazon.titan-embed-text-v2:0").at("last_body").at("inputText"), "rainy night at sea");
  ASSERT_EQ(s.embed({{"model", "cohere"}, {"input", kTwoTexts}}).status, 200);
  EXPECT_EQ(s.last("cohere.embed-english-v3").at("last_body").at("texts").as_array().size(), 2u);
}

TEST(Embeddings, DimensionsAndBase64AreCarried) {
  auto& s = stack();
  for (const auto* group : {"openai", "gemini", "vertex", "titan"}) {
    SCOPED_TRACE(group);
    expect_list(s.embed({{"model", group}, {"input", kTwoTexts}, {"dimensions", 16}}), 2, 16);
    const auto floats = s.embed({{"model", group}, {"input", "sunny day"}, {"encoding_format", "float"}});
    const auto b64 = s.embed({{"model", group}, {"input", "sunny day"}, {"encoding_format", "base64"}});
    ASSERT_EQ(b64.status, 200) << b64.body;
    // base64 of little-endian float32, the same vector as the float answer.
    const std::string encoded(json::parse(b64.body).at("data").at(0).at("embedding").as_string());
    std::string bytes(boost::beast::detail::base64::decoded_size(encoded.size()), '\0');
    bytes.resize(boost::beast::detail::base64::decode(bytes.data(), encoded.data(), encoded.size()).first);
    const auto expected = floats_of(json::parse(floats.body).at("data").at(0).at("embedding"));
    ASSERT_EQ(bytes.size(), expected.size() * sizeof(float));
    for (std::size_t i = 0; i < expected.size(); ++i) {
      float f = 0;
      std::memcpy(&f, bytes.data() + i * sizeof(float), sizeof f);
      EXPECT_FLOAT_EQ(f, static_cast<float>(expected[i]));
    }
  }
}

TEST(Embeddings, QuotaErrorFallsBackToAnotherProvider) {
  auto& s = stack();
  const auto r = s.embed({{"model", "broke"}, {"input", kTwoTexts}});
  expect_list(r, 2, 8);
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "broke,gemini");
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  EXPECT_GT(json::parse(r.body).at("usage").at("prompt_tokens").to_number<int>(), -1);
}

// A server without the embeddings endpoint (404) says nothing about the deployment's chat: the
// request moves on, and the deployment is not cooled down (the next request tries it again).
TEST(Embeddings, AMissingEmbeddingsEndpointFallsBackWithoutCoolingTheDeploymentDown) {
  auto& s = stack();
  for (int i = 1; i <= 2; ++i) {
    const auto r = s.embed({{"model", "missing"}, {"input", "hi"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-fallback-path"), "missing,gemini");
    EXPECT_EQ(s.last("emb-missing").at("calls").to_number<int>(), i) << "tried again: not cooled down";
  }
}

TEST(Embeddings, WhatAProviderCannotDoIsRefusedByName) {
  auto& s = stack();
  const auto anthropic = s.embed({{"model", "claude"}, {"input", "x"}});
  EXPECT_EQ(anthropic.status, 400) << anthropic.body;
  EXPECT_NE(anthropic.body.find("no embeddings API"), std::string::npos) << anthropic.body;
  const auto cohere_dims = s.embed({{"model", "cohere"}, {"input", "x"}, {"dimensions", 4}});
  EXPECT_EQ(cohere_dims.status, 400) << cohere_dims.body;
  EXPECT_NE(cohere_dims.body.find("'dimensions'"), std::string::npos) << cohere_dims.body;
  const auto tokens = s.embed({{"model", "gemini"}, {"input", json::array{1, 2, 3}}});
  EXPECT_EQ(tokens.status, 400) << tokens.body;
  EXPECT_NE(tokens.body.find("token-id inputs"), std::string::npos) << tokens.body;
  // Token ids pass through to OpenAI-format servers.
  EXPECT_EQ(s.embed({{"model", "openai"}, {"input", json::array{1, 2, 3}}}).status, 200);
  const auto bad = s.embed({{"model", "openai"}, {"input", "x"}, {"encoding_format", "hex"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body).at("error").at("param"), "encoding_format");
}

// The same cloud stack serves the Responses API through the pivot: Gemini and Bedrock speak
// neither OpenAI nor Anthropic, so a Responses request goes Responses → chat → native and back.
TEST(CloudResponses, GeminiVertexAndBedrockAnswerTheResponsesApi) {
  auto& s = stack();
  for (const auto* group : {"gemini-chat", "vertex-chat", "bedrock-chat"}) {
    SCOPED_TRACE(group);
    const auto whole = request(s.port, "POST", "/v1/responses",
                               json::serialize(json::object{{"model", group}, {"input", "Say hello"}, {"instructions", "Be brief."}}));
    ASSERT_EQ(whole.status, 200) << whole.body;
    const auto body = json::parse(whole.body);
    EXPECT_EQ(body.at("output").at(0).at("content").at(0).at("text"), "Hello from the mock");
    EXPECT_GT(body.at("usage").at("output_tokens").to_number<int>(), 0);
    const auto streamed = request(s.port, "POST", "/v1/responses",
                                  json::serialize(json::object{{"model", group}, {"input", "Say hello"}, {"stream", true}}));
    ASSERT_EQ(streamed.status, 200) << streamed.body;
    std::string text, last;
    for (const auto& e : parse_sse(streamed.body)) {
      const auto data = json::parse(e.data);
      last = std::string(data.at("type").as_string());
      if (last == "response.output_text.delta") text += data.at("delta").as_string();
    }
    EXPECT_EQ(text, "Hello from the mock");
    EXPECT_EQ(last, "response.completed") << streamed.body;
  }
}

TEST(CloudResponses, JsonSchemaReachesBedrockAsAForcedTool) {
  auto& s = stack();
  const json::object text{{"format", {{"type", "json_schema"}, {"name", "w"}, {"schema", {{"type", "object"}}}}}};
  const auto r = request(s.port, "POST", "/v1/responses",
                         json::serialize(json::object{{"model", "bedrock-json"}, {"input", "Weather?"}, {"text", text}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(std::string(json::parse(r.body).at("output").at(0).at("content").at(0).at("text").as_string())),
            json::parse(R"({"city":"Paris"})"));
  const auto upstream = s.last("anthropic.claude-json-v1").at("last_body");
  EXPECT_EQ(upstream.at("toolConfig").at("toolChoice").at("tool").at("name"), "switchyard_json_output");
}

}  // namespace
}  // namespace switchyard::testing
