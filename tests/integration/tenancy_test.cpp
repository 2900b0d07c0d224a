// Several tenants through one gateway: what one client key can see of another's work and of the
// gateway's cloud credentials. Stored Responses belong to the key that stored them (in memory and
// through Redis); a failing credential source's message stays in the operator's log; a fetched
// token that an upstream echoes in its error is redacted before a client or a log line sees it.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "chat_client.h"
#include "core/digest.h"
#include "cred_stack.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kMaster = "sk-master-tenancy-0001";
constexpr std::string_view kKeyA = "sk-team-a-tenancy-0001";
constexpr std::string_view kKeyB = "sk-team-b-tenancy-0001";

Headers bearer(std::string_view key) { return {{"authorization", "Bearer " + std::string(key)}}; }

std::string keyed_config(std::uint16_t mock, const std::string& router_settings = "") {
  return "model_list:\n  - {model_name: claude, litellm_params: {model: anthropic/claude-ok, api_base: "
         "'http://127.0.0.1:" +
         std::to_string(mock) + "', api_key: sk-upstream-x}}\ngeneral_settings:\n  master_key: " + std::string(kMaster) +
         "\n  keys:\n    - {key: " + std::string(kKeyA) + ", name: team-a}\n    - {key: " + std::string(kKeyB) +
         ", name: team-b}\n" + router_settings;
}

std::unique_ptr<Process> start_gateway(const std::string& config_file, std::uint16_t& port) {
  auto gateway = std::make_unique<Process>(
      std::vector<std::string>{binary_path(), "serve", "--config", config_file, "--port", "0"});
  const auto p = gateway->wait_for_port();
  if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
  port = *p;
  return gateway;
}

HttpResult post_response(std::uint16_t port, std::string_view key, json::object body) {
  body["model"] = "claude";
  return request(port, "POST", "/v1/responses", json::serialize(body), bearer(key));
}

// The answer with `id` written as `unknown`: a foreign id must be answered as an unknown one.
std::string with_id(std::string body, const std::string& id, const std::string& unknown) {
  for (auto at = body.find(id); at != std::string::npos; at = body.find(id, at + unknown.size()))
    body.replace(at, id.size(), unknown);
  return body;
}

json::object user_says(std::string_view text) { return {{"type", "message"}, {"role", "user"}, {"content", text}}; }

// An id of the same shape that nobody stored.
std::string unknown_like(const std::string& id) { return "resp_" + std::string(id.size() - 5, '0'); }

// What key B gets for A's response `id` is exactly what it gets for an id nobody stored.
void expect_foreign_is_unknown(std::uint16_t port, const std::string& id, std::string_view other_key) {
  const auto unknown = unknown_like(id);
  const auto get_foreign = request(port, "GET", "/v1/responses/" + id, {}, bearer(other_key));
  const auto get_unknown = request(port, "GET", "/v1/responses/" + unknown, {}, bearer(other_key));
  EXPECT_EQ(get_foreign.status, 404) << get_foreign.body;
  EXPECT_EQ(with_id(get_foreign.body, id, unknown), get_unknown.body);
  const auto next_foreign = post_response(port, other_key, {{"input", "go on"}, {"previous_response_id", id}});
  const auto next_unknown = post_response(port, other_key, {{"input", "go on"}, {"previous_response_id", unknown}});
  EXPECT_EQ(next_foreign.status, 404) << next_foreign.body;
  EXPECT_EQ(with_id(next_foreign.body, id, unknown), next_unknown.body);
  EXPECT_NE(next_foreign.body.find("previous_response_not_found"), std::string::npos) << next_foreign.body;
  const auto delete_foreign = request(port, "DELETE", "/v1/responses/" + id, {}, bearer(other_key));
  const auto delete_unknown = request(port, "DELETE", "/v1/responses/" + unknown, {}, bearer(other_key));
  EXPECT_EQ(delete_foreign.status, 404) << delete_foreign.body;
  EXPECT_EQ(with_id(delete_foreign.body, id, unknown), delete_unknown.body);
}

TEST(Tenancy, StoredResponsesBelongToTheKeyThatStoredThem) {
  auto mock = start_mock("models:\n  claude-ok: {reply: \"Hello, team A\"}\n");
  std::uint16_t port = 0;
  auto gateway = start_gateway(write_temp_file("tenancy-store.yaml", keyed_config(mock.port)).string(), port);

  const auto first = post_response(port, kKeyA, {{"input", "My name is Ada."}});
  ASSERT_EQ(first.status, 200) << first.body;
  const auto answer = json::parse(first.body).as_object();
  const std::string id(answer.at("id").as_string());
  const std::string item_id(answer.at("output").as_array().at(0).at("id").as_string());

  expect_foreign_is_unknown(port, id, kKeyB);
  // An output item of A's response, referenced by B, is as unknown as any other id.
  const auto reference = post_response(
      port, kKeyB,
      {{"input", json::array{json::object{{"type", "item_reference"}, {"id", item_id}}, user_says("and?")}}});
  EXPECT_EQ(reference.status, 404) << reference.body;

  // B's attempts changed nothing for A: A reads, continues and finally deletes its response.
  EXPECT_EQ(request(port, "GET", "/v1/responses/" + id, {}, bearer(kKeyA)).status, 200);
  const auto next = post_response(port, kKeyA, {{"input", "My name?"}, {"previous_response_id", id}});
  EXPECT_EQ(next.status, 200) << next.body;
  const auto with_item = post_response(
      port, kKeyA, {{"input", json::array{json::object{{"type", "item_reference"}, {"id", item_id}}, user_says("and?")}}});
  EXPECT_EQ(with_item.status, 200) << with_item.body;
  // The master key administers the gateway: it may read every key's responses.
  EXPECT_EQ(request(port, "GET", "/v1/responses/" + id, {}, bearer(kMaster)).status, 200);
  EXPECT_EQ(request(port, "DELETE", "/v1/responses/" + id, {}, bearer(kKeyA)).status, 200);
  EXPECT_EQ(request(port, "GET", "/v1/responses/" + id, {}, bearer(kKeyA)).status, 404);
  gateway->stop();
}

// Item ids come from the upstream: two upstreams (here two mocks, each numbering its items from 1)
// may answer two keys with the same item id. Each key's item_reference still resolves to its own
// item. Before, B's item replaced A's under the same id: A's reference answered 404 (B's item is
// not A's) and B's resolved to whichever was stored last.
TEST(Tenancy, AnItemIdReusedByUpstreamsStaysEachKeysOwnItem) {
  auto mock_a = start_mock("models:\n  gpt-ok: {reply: \"Hello, team A\"}\n");
  auto mock_b = start_mock("models:\n  gpt-ok: {reply: \"Hello, team B\"}\n");
  const auto row = [](std::string_view group, std::uint16_t mock) {
    return "  - {model_name: " + std::string(group) + ", litellm_params: {model: openai/gpt-ok, api_base: "
           "'http://127.0.0.1:" + std::to_string(mock) + "/v1', api_key: sk-upstream-x}}\n";
  };
  std::uint16_t port = 0;
  auto gateway = start_gateway(
      write_temp_file("tenancy-items.yaml", "model_list:\n" + row("gpt-a", mock_a.port) + row("gpt-b", mock_b.port) +
                                                "general_settings:\n  master_key: " + std::string(kMaster) +
                                                "\n  keys:\n    - {key: " + std::string(kKeyA) +
                                                ", name: team-a}\n    - {key: " + std::string(kKeyB) + ", name: team-b}\n")
          .string(),
      port);
  const auto post = [&](std::string_view key, std::string_view group, json::value input) {
    return request(port, "POST", "/v1/responses",
                   json::serialize(json::object{{"model", group}, {"input", std::move(input)}}), bearer(key));
  };
  const auto first_item = [](const HttpResult& r) {
    return std::string(json::parse(r.body).at("output").at(0).at("id").as_string());
  };
  const auto a = post(kKeyA, "gpt-a", "Hi, I am team A.");
  const auto b = post(kKeyB, "gpt-b", "Hi, I am team B.");
  ASSERT_EQ(a.status, 200) << a.body;
  ASSERT_EQ(b.status, 200) << b.body;
  const auto item = first_item(a);
  ASSERT_EQ(item, first_item(b)) << "the premise: both upstreams answered with the same item id";

  const auto last_input = [](const MockProcess& mock) {
    const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body);
    return json::serialize(stats.at("models").at("gpt-ok").at("last_body").at("input"));
  };
  const json::array reference{json::object{{"type", "item_reference"}, {"id", item}}, user_says("and?")};
  const auto again_a = post(kKeyA, "gpt-a", reference);
  ASSERT_EQ(again_a.status, 200) << again_a.body;
  EXPECT_NE(last_input(mock_a).find("Hello, team A"), std::string::npos) << last_input(mock_a);
  const auto again_b = post(kKeyB, "gpt-b", reference);
  ASSERT_EQ(again_b.status, 200) << again_b.body;
  EXPECT_NE(last_input(mock_b).find("Hello, team B"), std::string::npos) << last_input(mock_b);
  EXPECT_EQ(last_input(mock_b).find("team A"), std::string::npos) << last_input(mock_b);
  gateway->stop();
}

TEST(Tenancy, StoredResponsesOfAnOpenGatewayStayReadableByAnyone) {
  auto mock = start_mock("models:\n  claude-ok: {reply: \"Hello\"}\n");
  std::uint16_t port = 0;
  auto gateway = start_gateway(
      write_temp_file("tenancy-open.yaml",
                      "model_list:\n  - {model_name: claude, litellm_params: {model: anthropic/claude-ok, api_base: "
                      "'http://127.0.0.1:" + std::to_string(mock.port) + "', api_key: x}}\n")
          .string(),
      port);
  const auto first = post_response(port, "whatever-a", {{"input", "hi"}});
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string id(json::parse(first.body).at("id").as_string());
  EXPECT_EQ(request(port, "GET", "/v1/responses/" + id, {}, bearer("another-b")).status, 200);
  EXPECT_EQ(request(port, "GET", "/v1/responses/" + id).status, 200);
  gateway->stop();
}

std::string redis_binary(std::string_view name) {
  for (const auto* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"})
    if (std::filesystem::exists(std::string(dir) + "/" + std::string(name))) return std::string(dir) + "/" + std::string(name);
  return "";
}

TEST(Tenancy, StoredResponsesStayScopedAcrossInstancesThroughRedis) {
  const auto server = redis_binary("redis-server");
  ASSERT_FALSE(server.empty()) << "redis-server not found (apt-get install redis-server; make test installs it)";
  const auto redis_port = free_port();
  Process redis({server, "--port", std::to_string(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"});
  ASSERT_TRUE(redis.wait_for_line("Ready to accept connections")) << redis.output();
  auto mock = start_mock("models:\n  claude-ok: {reply: \"Hello, team A\"}\n");
  const auto file = write_temp_file(
      "tenancy-redis.yaml",
      keyed_config(mock.port, "router_settings:\n  redis_url: redis://127.0.0.1:" + std::to_string(redis_port) + "\n"));
  std::uint16_t first_port = 0, second_port = 0;
  auto first = start_gateway(file.string(), first_port);
  auto second = start_gateway(file.string(), second_port);
  ASSERT_TRUE(first->wait_for_line("connected")) << first->output();
  ASSERT_TRUE(second->wait_for_line("connected")) << second->output();

  const auto stored = post_response(first_port, kKeyA, {{"input", "My name is Ada."}});
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string id(json::parse(stored.body).at("id").as_string());
  // The copy reaches Redis from the first instance's Redis thread: A finds it on the second.
  ASSERT_TRUE(eventually([&] { return request(second_port, "GET", "/v1/responses/" + id, {}, bearer(kKeyA)).status == 200; }, 5s));
  // A third instance that never held it locally: B's requests fetch it from Redis and still miss.
  std::uint16_t third_port = 0;
  auto third = start_gateway(file.string(), third_port);
  ASSERT_TRUE(third->wait_for_line("connected")) << third->output();
  expect_foreign_is_unknown(third_port, id, kKeyB);
  EXPECT_EQ(request(third_port, "GET", "/v1/responses/" + id, {}, bearer(kKeyA)).status, 200);

  // Redis is shared infrastructure: the owner is kept as a fingerprint, never as the key.
  Process dump({redis_binary("redis-cli"), "-p", std::to_string(redis_port), "--no-raw", "GET",
                "switchyard:shared:responses:" + id});
  ASSERT_TRUE(dump.wait_for_exit()) << dump.output();
  EXPECT_NE(dump.output().find("Hello, team A"), std::string::npos) << dump.output();
  EXPECT_EQ(dump.output().find(kKeyA), std::string::npos) << dump.output();
  // …and a fingerprint keyed with the master key (HMAC-SHA-256): a plain SHA-256 of a weak key
  // could be guessed back from a dump. Before, the owner line was SHA-256(key).
  EXPECT_NE(dump.output().find("owner:" + core::hmac_sha256_hex(kMaster, kKeyA)), std::string::npos) << dump.output();
  EXPECT_EQ(dump.output().find(core::sha256_hex(kKeyA)), std::string::npos) << dump.output();

  // A copy without an owner line (written before responses had owners) is no key's: only the
  // master key, which reaches every response, reads it.
  const std::string legacy = "resp_" + std::string(48, '7');
  Process put({redis_binary("redis-cli"), "-p", std::to_string(redis_port), "SET",
               "switchyard:shared:responses:" + legacy, R"({"id":")" + legacy + R"(","object":"response"})" + "\n[]"});
  ASSERT_TRUE(put.wait_for_exit()) << put.output();
  EXPECT_EQ(request(third_port, "GET", "/v1/responses/" + legacy, {}, bearer(kKeyB)).status, 404);
  EXPECT_EQ(request(third_port, "GET", "/v1/responses/" + legacy, {}, bearer(kMaster)).status, 200);
  for (auto* g : {first.get(), second.get(), third.get()}) g->stop();
}

// --- cloud credentials --------------------------------------------------------------------------

constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/switchyard-gateway";
constexpr std::string_view kBedrockModel = "anthropic.claude-3-5-sonnet-20240620-v1:0";

TEST(Tenancy, AFailingCredentialSourcesMessageStaysInTheGatewayLog) {
  const auto token = write_temp_file("tenancy-irsa-forged", "forged-web-identity-token");
  CredStack s("irsa-forged",
              "aws: {region: us-east-1, access_key_id: AKIDTENANCYBASE, secret_access_key: 'tenancy/Secret+Key/000000000000000000', "
              "web_identity_token: 'the-real-token', role_arn: '" + std::string(kRole) + "'}\n",
              "  - model_name: bedrock\n    litellm_params: {model: 'bedrock/" + std::string(kBedrockModel) +
                  "', api_base: '$BASE', aws_region_name: us-east-1}\n",
              {"AWS_ROLE_ARN=" + std::string(kRole), "AWS_WEB_IDENTITY_TOKEN_FILE=" + token.string(),
               "AWS_ENDPOINT_URL_STS=$BASE"});
  const auto r = s.chat("bedrock");
  EXPECT_EQ(r.status, 401) << r.body;
  // The error body keeps its contract (group/deployment: class: message) with a generic line.
  const auto message = std::string(json::parse(r.body).at("error").at("message").as_string());
  EXPECT_NE(message.find("bedrock/"), std::string::npos) << message;
  EXPECT_NE(message.find(": authentication: "), std::string::npos) << message;
  EXPECT_NE(message.find("credentials"), std::string::npos) << message;
  EXPECT_NE(message.find("gateway log"), std::string::npos) << message;
  // Nothing of the credential service's answer: not its message, not the role, not the account.
  EXPECT_EQ(r.body.find("Couldn't verify the provided web identity token"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("arn:aws:iam"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("123456789012"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("AssumeRoleWithWebIdentity"), std::string::npos) << r.body;
  s.gateway->stop();  // flushes the request log
  EXPECT_NE(s.gateway->output().find("Couldn't verify the provided web identity token"), std::string::npos)
      << "the operator still reads the service's own message:\n" << s.gateway->output();
}

TEST(Tenancy, AFailingEntraTokenEndpointNamesNoTenantToTheClient) {
  CredStack s("entra-wrong",
              "azure: {tenant_id: tenant-1, client_id: app-1, client_secret: entra-secret-1}\n",
              "  - model_name: azure\n    litellm_params: {model: azure/gpt-4o-prod, api_base: '$BASE', api_version: "
              "'2024-06-01', tenant_id: tenant-secretive-77, client_id: app-1, client_secret: not-the-secret}\n",
              {"AZURE_AUTHORITY_HOST=$BASE"});
  const auto r = s.chat("azure");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_NE(r.body.find("credentials"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("tenant-secretive-77"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("AADSTS"), std::string::npos) << r.body;
  s.gateway->stop();
}

TEST(Tenancy, AFetchedTokenEchoedByTheUpstreamIsRedactedForClientAndLog) {
  // Managed identity: nothing secret in the config or the environment; the token is fetched.
  CredStack s("entra-echo",
              "azure: {tenant_id: tenant-1, client_id: app-1, client_secret: entra-secret-1}\n"
              "models:\n  gpt-4o-echo: {fault: server_error, echo_credential: true}\n",
              "  - model_name: azure\n    litellm_params: {model: azure/gpt-4o-echo, api_base: '$BASE', api_version: "
              "'2024-06-01'}\n",
              {"AZURE_POD_IDENTITY_AUTHORITY_HOST=$BASE"});
  const auto r = s.chat("azure");
  EXPECT_EQ(r.status, 502) << r.body;  // an upstream 500 is a bad gateway to the client
  const auto stats = json::parse(request(s.mock.port, "GET", "/mock/stats").body);
  const std::string authorization(stats.at("models").at("gpt-4o-echo").at("last_headers").at("authorization").as_string());
  ASSERT_TRUE(authorization.starts_with("Bearer ")) << authorization;
  const auto token = authorization.substr(7);
  ASSERT_GE(token.size(), 8u);
  EXPECT_NE(r.body.find("Invalid token: [redacted]"), std::string::npos) << "the mock echoed it: " << r.body;
  EXPECT_EQ(r.body.find(token), std::string::npos) << r.body;
  s.gateway->stop();  // flushes the request log
  EXPECT_NE(s.gateway->output().find("Invalid token: [redacted]"), std::string::npos) << s.gateway->output();
  EXPECT_EQ(s.gateway->output().find(token), std::string::npos) << s.gateway->output();
}

}  // namespace
}  // namespace switchyard::testing
