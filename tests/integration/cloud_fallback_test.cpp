// The users' own setup, through the real gateway and the mock's cloud endpoints:
// anthropic → databricks → vertex_ai → bedrock, one Claude model, each earlier provider failing
// with its own realistic error, streaming and not, both client formats. The mock checks what the
// clouds check (the service-account JWT's signature at the token endpoint and the OAuth token on
// Vertex; the SigV4 signature on Bedrock), so a signing mistake fails here. Gemini (AI Studio
// and Vertex) is reached the same way.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "chat_client.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kBedrockModel = "anthropic.claude-3-5-sonnet-20240620-v1:0";
constexpr std::string_view kBedrockReply = "Hello from Bedrock";
constexpr std::string_view kAwsKeyId = "AKIDSWITCHYARDTEST";
constexpr std::string_view kAwsSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSWITCHYARD";

// A fresh RSA key (openssl CLI) in a Google service-account key file whose token_uri is the mock.
std::filesystem::path service_account_file(std::uint16_t mock_port, const std::string& tag) {
  const auto key = temp_dir() / ("sa-" + tag + ".pem");
  const auto cmd = "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" + key.string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl genpkey failed");
  std::ifstream in(key);
  std::stringstream pem;
  pem << in.rdbuf();
  const json::object account{{"type", "service_account"},
                             {"project_id", "switchyard-test"},
                             {"private_key_id", "key-" + tag},
                             {"private_key", pem.str()},
                             {"client_email", "gateway@switchyard-test.iam.gserviceaccount.com"},
                             {"client_id", "1234567890"},
                             {"token_uri", "http://127.0.0.1:" + std::to_string(mock_port) + "/token"}};
  return write_temp_file("sa-" + tag + ".json", json::serialize(account));
}

struct CloudStack {
  std::uint16_t mock_port = 0;
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  // `models`: the mock's behaviours; `deployments`: model_list entries ($BASE, $SA replaced);
  // `gateway_secret`: the AWS secret the gateway signs with (the mock knows kAwsSecret).
  CloudStack(const std::string& tag, const std::string& models, const std::string& deployments,
             const std::string& router_settings, std::string_view gateway_secret = kAwsSecret,
             const std::string& google_options = "") {
    mock_port = free_port();
    const auto account = service_account_file(mock_port, tag);
    const std::string mock_yaml = "google: {service_account: '" + account.string() + "'" + google_options + "}\n" +
                                  "gemini: {api_key: gemini-test-key}\n" +
                                  "aws: {access_key_id: " + std::string(kAwsKeyId) + ", secret_access_key: '" +
                                  std::string(kAwsSecret) + "', region: us-east-1}\n" + "models:\n" + models;
    mock = start_mock(mock_yaml, {"--port", std::to_string(mock_port)});
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    std::string cfg = "model_list:\n" + deployments + "router_settings:\n" + router_settings;
    const auto replace_all = [&cfg](std::string_view what, const std::string& with) {
      for (auto at = cfg.find(what); at != std::string::npos; at = cfg.find(what, at + with.size()))
        cfg.replace(at, what.size(), with);
    };
    replace_all("$BASE", "http://127.0.0.1:" + std::to_string(mock.port));
    replace_all("$SA", account.string());
    replace_all("$AWS_KEY", std::string(kAwsKeyId));
    replace_all("$AWS_SECRET", std::string(gateway_secret));
    const auto file = write_temp_file("cloud-" + tag + ".yaml", cfg);
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  json::object stats() const { return json::parse(request(mock.port, "GET", "/mock/stats").body).as_object(); }
  int calls(std::string_view model) const {
    const auto s = stats();
    const auto* m = s.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
  void expect_clean_exit() {
    EXPECT_EQ(gateway->stop(), 0) << gateway->output();
    EXPECT_EQ(mock.process->stop(), 0) << mock.process->output();
  }
};

const std::string kChainDeployments =
    "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-test}}\n"
    "  - {model_name: claude-databricks, litellm_params: {model: databricks/claude-on-databricks, api_base: '$BASE/serving-endpoints', api_key: dapi-test}}\n"
    "  - model_name: claude-vertex\n"
    "    litellm_params: {model: vertex_ai/claude-on-vertex, api_base: '$BASE', vertex_project: switchyard-test, vertex_location: us-east5, vertex_credentials: '$SA'}\n"
    "  - model_name: claude-bedrock\n"
    "    litellm_params: {model: 'bedrock/" + std::string(kBedrockModel) + "', api_base: '$BASE', aws_region_name: us-east-1, aws_access_key_id: '$AWS_KEY', aws_secret_access_key: '$AWS_SECRET'}\n";

const std::string kChainRouter =
    "  num_retries: 0\n"
    "  fallbacks: [{claude: [claude-databricks, claude-vertex, claude-bedrock]}]\n";

// Each earlier provider fails its own way: Anthropic out of credit (400), Databricks rate limited
// (429 REQUEST_LIMIT_EXCEEDED), Vertex out of quota (429 RESOURCE_EXHAUSTED); Bedrock answers.
std::string chain_models() {
  return "  claude-direct: {fault: quota_exhausted}\n"
         "  claude-on-databricks: {fault: rate_limit}\n"
         "  claude-on-vertex: {fault: rate_limit}\n"
         "  '" + std::string(kBedrockModel) + "': {reply: \"" + std::string(kBedrockReply) + "\"}\n";
}

TEST(CloudFallback, AnthropicDatabricksVertexBedrockNonStreaming) {
  CloudStack s("chain", chain_models(), kChainDeployments, kChainRouter);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c) + " client");
    const auto r = post_chat(s.port, c, chat_body(c, "claude", false));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-fallback-path"), "claude,claude-databricks,claude-vertex,claude-bedrock");
    EXPECT_EQ(r.header("x-switchyard-model-group"), "claude-bedrock");
    // The second request skips Anthropic (quota: cooled down at once); the two rate limits are
    // below allowed_fails (3 a minute), so those deployments are asked again.
    EXPECT_EQ(r.header("x-switchyard-attempts"), c == Client::openai ? "4" : "3");
    const auto body = json::parse(r.body).as_object();
    if (c == Client::openai) {
      EXPECT_EQ(body.at("choices").at(0).at("message").at("content").as_string(), kBedrockReply);
      EXPECT_EQ(body.at("choices").at(0).at("finish_reason"), "stop");
      EXPECT_GT(body.at("usage").at("completion_tokens").to_number<int>(), 0);
    } else {
      EXPECT_EQ(body.at("content").at(0).at("text").as_string(), kBedrockReply);
      EXPECT_EQ(body.at("stop_reason"), "end_turn");
    }
  }
  EXPECT_EQ(s.calls("claude-direct"), 1);
  EXPECT_EQ(s.calls("claude-on-databricks"), 2);
  EXPECT_EQ(s.calls("claude-on-vertex"), 2);
  EXPECT_EQ(s.stats().at("token_grants").to_number<int>(), 1) << "the OAuth token is cached";
  EXPECT_EQ(s.stats().at("auth_failures").to_number<int>(), 0);
  EXPECT_EQ(s.calls(kBedrockModel), 2);
  s.expect_clean_exit();
}

TEST(CloudFallback, AnthropicDatabricksVertexBedrockStreaming) {
  CloudStack s("chain-stream", chain_models(), kChainDeployments, kChainRouter);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c) + " client");
    const auto r = post_chat(s.port, c, chat_body(c, "claude", true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    EXPECT_EQ(r.header("x-switchyard-fallback-path"), "claude,claude-databricks,claude-vertex,claude-bedrock");
    const auto streamed = read_stream(c, r);
    EXPECT_EQ(streamed.text, kBedrockReply);  // decoded from Bedrock's binary event stream
    EXPECT_TRUE(streamed.done);
    EXPECT_FALSE(streamed.error.has_value());
    EXPECT_EQ(streamed.finish, c == Client::openai ? "stop" : "end_turn");
  }
  EXPECT_EQ(s.stats().at("auth_failures").to_number<int>(), 0);
  s.expect_clean_exit();
}

// Each cloud answering itself, streaming and not: what the clouds' endpoints receive is what they
// accept (the mock refuses a wrong body shape, a bad token or signature).
TEST(CloudFallback, VertexClaudeGeminiAndBedrockAnswerDirectly) {
  CloudStack s("direct",
               "  claude-on-vertex: {reply: \"Hello from Vertex\"}\n"
               "  gemini-2.0-flash: {reply: \"Hello from Gemini\"}\n"
               "  '" + std::string(kBedrockModel) + "': {reply: \"" + std::string(kBedrockReply) + "\"}\n",
               "  - {model_name: vertex-claude, litellm_params: {model: vertex_ai/claude-on-vertex, api_base: '$BASE', vertex_location: us-east5, vertex_credentials: '$SA'}}\n"
               "  - {model_name: vertex-gemini, litellm_params: {model: vertex_ai/gemini-2.0-flash, api_base: '$BASE', vertex_project: p, vertex_credentials: '$SA'}}\n"
               "  - {model_name: studio-gemini, litellm_params: {model: gemini/gemini-2.0-flash, api_base: '$BASE', api_key: gemini-test-key}}\n"
               "  - model_name: bedrock\n"
               "    litellm_params: {model: 'bedrock/converse/" + std::string(kBedrockModel) + "', api_base: '$BASE', aws_region_name: us-east-1, aws_access_key_id: '$AWS_KEY', aws_secret_access_key: '$AWS_SECRET'}\n",
               "  num_retries: 0\n");
  const std::pair<std::string, std::string> cases[] = {{"vertex-claude", "Hello from Vertex"},
                                                       {"vertex-gemini", "Hello from Gemini"},
                                                       {"studio-gemini", "Hello from Gemini"},
                                                       {"bedrock", std::string(kBedrockReply)}};
  for (const auto& [group, reply] : cases)
    for (const auto c : kClients)
      for (const bool stream : {false, true}) {
        SCOPED_TRACE(group + " " + name(c) + (stream ? " streaming" : ""));
        const auto r = post_chat(s.port, c, chat_body(c, group, stream));
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.header("x-switchyard-attempts"), "1");
        if (stream) {
          const auto streamed = read_stream(c, r);
          EXPECT_EQ(streamed.text, reply);
          EXPECT_TRUE(streamed.done);
        } else {
          const auto body = json::parse(r.body).as_object();
          if (c == Client::openai) EXPECT_EQ(body.at("choices").at(0).at("message").at("content").as_string(), reply);
          else EXPECT_EQ(body.at("content").at(0).at("text").as_string(), reply);
        }
      }
  const auto stats = s.stats();
  EXPECT_EQ(stats.at("auth_failures").to_number<int>(), 0);
  EXPECT_EQ(stats.at("token_grants").to_number<int>(), 1) << "one service account, one cached token";
  // The Vertex project came from the service-account file when the config gave none.
  const auto vertex_path = stats.at("models").at("claude-on-vertex").at("last_path").as_string();
  EXPECT_NE(std::string_view(vertex_path).find("/projects/switchyard-test/locations/us-east5/publishers/anthropic/models/claude-on-vertex:"),
            std::string_view::npos) << vertex_path;
  s.expect_clean_exit();
}

// A wrong AWS secret: the mock recomputes the SigV4 signature and refuses it (403
// InvalidSignatureException); the gateway classifies that as authentication and falls back.
TEST(CloudFallback, WrongSigV4SignatureIsRefusedAndFallsBack) {
  CloudStack s("badsig",
               "  '" + std::string(kBedrockModel) + "': {reply: \"never\"}\n"
               "  gpt-backup: {reply: \"Hello from the backup\"}\n",
               "  - model_name: bedrock\n"
               "    litellm_params: {model: 'bedrock/" + std::string(kBedrockModel) + "', api_base: '$BASE', aws_region_name: us-east-1, aws_access_key_id: '$AWS_KEY', aws_secret_access_key: '$AWS_SECRET'}\n"
               "  - {model_name: backup, litellm_params: {model: openai_compatible/gpt-backup, api_base: '$BASE/v1'}}\n",
               "  num_retries: 0\n  fallbacks: [{bedrock: [backup]}]\n", "not-the-secret");
  const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "bedrock", false));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "bedrock,backup");
  EXPECT_EQ(json::parse(r.body).at("choices").at(0).at("message").at("content"), "Hello from the backup");
  EXPECT_EQ(s.stats().at("auth_failures").to_number<int>(), 1);
  s.expect_clean_exit();
}

// A token getting old is still used, and replaced in the background: requests never wait for
// the token endpoint once a token is cached. The gateway refreshes when less than
// min(300 s, half the token's life) is left; the mock issues tokens valid 6 s, so requests after
// 3 s see an old token and start a refresh while it still serves them.
TEST(CloudFallback, VertexTokenIsRefreshedInTheBackgroundBeforeItExpires) {
  CloudStack s("refresh", "  claude-on-vertex: {reply: \"Hello from Vertex\"}\n",
               "  - {model_name: vertex, litellm_params: {model: vertex_ai/claude-on-vertex, api_base: '$BASE', vertex_credentials: '$SA'}}\n",
               "  num_retries: 0\n", kAwsSecret, ", token_ttl_seconds: 6");
  const auto authorization = [&s] {
    return std::string(s.stats().at("models").at("claude-on-vertex").at("last_headers").at("authorization").as_string());
  };
  ASSERT_EQ(post_chat(s.port, Client::openai, chat_body(Client::openai, "vertex", false)).status, 200);
  EXPECT_EQ(s.stats().at("token_grants").to_number<int>(), 1);
  const auto first_token = authorization();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (s.stats().at("token_grants").to_number<int>() < 2 && std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(post_chat(s.port, Client::openai, chat_body(Client::openai, "vertex", false)).status, 200);
    if (s.stats().at("token_grants").to_number<int>() < 2) {
      EXPECT_EQ(authorization(), first_token) << "the old token serves requests until the new one is there";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(s.stats().at("token_grants").to_number<int>(), 2) << "no background refresh";

  ASSERT_EQ(post_chat(s.port, Client::openai, chat_body(Client::openai, "vertex", false)).status, 200);
  EXPECT_NE(authorization(), first_token) << "the refreshed token is used";
  EXPECT_EQ(s.stats().at("auth_failures").to_number<int>(), 0);
  s.expect_clean_exit();
}

}  // namespace
}  // namespace switchyard::testing
