// Nothing lost on fallback: what a request asks for (thinking, prompt caching, top_k, beta
// headers) reaches each provider in the form it takes and comes back, through the real gateway
// and the mock's provider endpoints (Bedrock with its SigV4 check); a parameter a deployment
// cannot honour is refused before any call (the router then tries one that can), or dropped and
// named under drop_params.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "chat_client.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kBedrockModel = "anthropic.claude-sonnet-4-5-20250929-v1:0";

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  Stack(const std::string& tag, const std::string& models, const std::string& config) {
    mock = start_mock("aws: {access_key_id: AKIDFIDELITY, secret_access_key: 'fidelity-secret', region: us-east-1}\n"
                      "models:\n" + models);
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    std::string cfg = config;
    const std::string base = "http://127.0.0.1:" + std::to_string(mock.port);
    for (auto at = cfg.find("$BASE"); at != std::string::npos; at = cfg.find("$BASE", at + base.size()))
      cfg.replace(at, 5, base);
    const auto file = write_temp_file("fidelity-" + tag + ".yaml", cfg);
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
  json::value last_body(std::string_view model) const { return stats().at("models").at(model).at("last_body"); }
  json::value last_headers(std::string_view model) const { return stats().at("models").at(model).at("last_headers"); }
  HttpResult messages(const json::object& body, Headers headers = {}) const {
    headers.emplace_back("anthropic-version", "2023-06-01");
    return request(port, "POST", "/v1/messages", json::serialize(body), headers);
  }
};

const std::string kBedrockDeployment =
    "'bedrock/" + std::string(kBedrockModel) +
    "', api_base: '$BASE', aws_region_name: us-east-1, aws_access_key_id: AKIDFIDELITY, aws_secret_access_key: 'fidelity-secret'";

// ---- drop_params ----------------------------------------------------------------------------------

const std::string kParamModels =
    "  gpt-plain: {reply: \"from openai\"}\n"
    "  claude-direct: {reply: \"from claude\"}\n";
const std::string kParamConfig =
    "model_list:\n"
    "  - {model_name: gpt, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x}}\n"
    "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
    "  - {model_name: mixed, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x}}\n"
    "  - {model_name: mixed, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
    "  - {model_name: gpt-lenient, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x, drop_params: true}}\n"
    "  - {model_name: gpt-alone, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x}}\n"
    "router_settings:\n"
    "  num_retries: 0\n"
    "  fallbacks: [{gpt: [claude]}]\n";

TEST(Fidelity, UnsupportedParameterIsRefusedBeforeAnyCallAndADeploymentThatCanAnswers) {
  Stack s("refuse", kParamModels, kParamConfig);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c));
    const auto r = post_chat(s.port, c, chat_body(c, "gpt", false, {{"top_k", 5}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-fallback-path"), "gpt,claude");
    EXPECT_EQ(r.header("x-switchyard-model-group"), "claude");
    EXPECT_EQ(r.header("x-switchyard-dropped-params"), "");
    EXPECT_EQ(s.last_body("claude-direct").at("top_k"), 5) << "Anthropic takes top_k";
  }
  EXPECT_EQ(s.calls("gpt-plain"), 0) << "OpenAI has no top_k: refused before any call";
  // Within a group too: whichever deployment is picked first, the one that can answers, and the
  // refusal cooled nothing down (the OpenAI deployment still serves requests without top_k).
  for (int i = 0; i < 6; ++i) {
    const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "mixed", false, {{"top_k", 5}}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-deployment").find("anthropic/"), 0u) << r.header("x-switchyard-deployment");
  }
  EXPECT_EQ(s.calls("gpt-plain"), 0);
  const auto plain = post_chat(s.port, Client::openai, chat_body(Client::openai, "gpt", false));
  EXPECT_EQ(plain.header("x-switchyard-model-group"), "gpt");
  EXPECT_EQ(s.calls("gpt-plain"), 1);
}

TEST(Fidelity, NoDeploymentThatCanMeansBadRequestNamingTheParameter) {
  Stack s("nobody", kParamModels, kParamConfig);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c));
    const auto r = post_chat(s.port, c, chat_body(c, "gpt-alone", false, {{"top_k", 5}}));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("top_k"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("drop_params"), std::string::npos) << r.body;
  }
  EXPECT_EQ(s.calls("gpt-plain"), 0);
}

TEST(Fidelity, DropParamsDropsTheParameterAndNamesIt) {
  Stack s("drop", kParamModels, kParamConfig);
  for (const auto c : kClients)
    for (const bool stream : {false, true}) {
      SCOPED_TRACE(name(c) + (stream ? " streaming" : ""));
      // From the request body (LiteLLM's per-request drop_params)...
      auto r = post_chat(s.port, c, chat_body(c, "gpt-alone", stream, {{"top_k", 5}, {"drop_params", true}}));
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.header("x-switchyard-dropped-params"), "top_k");
      auto sent = s.last_body("gpt-plain").as_object();
      EXPECT_FALSE(sent.contains("top_k"));
      EXPECT_FALSE(sent.contains("drop_params")) << "a LiteLLM control, not a provider parameter";
      // ...and from the deployment's litellm_params.
      r = post_chat(s.port, c, chat_body(c, "gpt-lenient", stream, {{"top_k", 5}}));
      ASSERT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.header("x-switchyard-dropped-params"), "top_k");
    }
  // Request log lines are written in batches (within ~100 ms): wait for it.
  EXPECT_TRUE(s.gateway->wait_for_line("dropped_params=top_k")) << "named in the request log: " << s.gateway->output();
}

// ---- thinking in a tool loop from a client that does not keep thinking_blocks -------------------

// A Chat Completions client (LangChain's ChatOpenAI, the AI SDK's .chat()) with reasoning on,
// continuing a tool loop: the assistant's tool call comes back without the signed thinking that
// preceded it. Claude refuses that (the mock gives the real API's 400), so the gateway does not
// send it there: refused before any call (an OpenAI deployment answers), or, under drop_params,
// sent without thinking and named.
const std::string kThinkingToolModels =
    "  gpt-plain: {reply: \"from openai\"}\n"
    "  claude-direct: {reply: \"from claude\"}\n";
const std::string kThinkingToolConfig =
    "model_list:\n"
    "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
    "  - {model_name: gpt, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x}}\n"
    "  - {model_name: claude-alone, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
    "  - {model_name: claude-lenient, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x, drop_params: true}}\n"
    "router_settings:\n"
    "  num_retries: 0\n"
    "  fallbacks: [{claude: [gpt]}]\n";

json::object tool_loop_turn(std::string_view model, const json::value& thinking_blocks) {
  auto body = json::parse(R"({"reasoning_effort":"low","max_tokens":256,
    "tools":[{"type":"function","function":{"name":"get_weather",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
    "messages":[{"role":"user","content":"Weather in Paris?"},
                {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_01","type":"function",
                  "function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
                {"role":"tool","tool_call_id":"toolu_01","content":"sunny, 21 C"}]})").as_object();
  body["model"] = model;
  if (!thinking_blocks.is_null()) body["messages"].as_array()[1].as_object()["thinking_blocks"] = thinking_blocks;
  return body;
}

TEST(Fidelity, ThinkingToolTurnWithoutItsSignedThinkingIsNotSentToClaude) {
  Stack s("thinking-tool-turn", kThinkingToolModels, kThinkingToolConfig);
  const auto post = [&](const json::object& body) {
    return request(s.port, "POST", "/v1/chat/completions", json::serialize(body), {{"content-type", "application/json"}});
  };
  // Claude would refuse it: refused before the call, the fallback answers.
  auto r = post(tool_loop_turn("claude", nullptr));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("from openai"), std::string::npos) << r.body;
  EXPECT_EQ(s.calls("claude-direct"), 0);
  // No deployment that can: 400 saying why and what to do.
  r = post(tool_loop_turn("claude-alone", nullptr));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("thinking_blocks"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("drop_params"), std::string::npos) << r.body;
  EXPECT_EQ(s.calls("claude-direct"), 0);
  // drop_params: answered by Claude without thinking, and named.
  r = post(tool_loop_turn("claude-lenient", nullptr));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-dropped-params"), "reasoning_effort");
  EXPECT_FALSE(s.last_body("claude-direct").as_object().contains("thinking"));
  // The turn with its signed thinking (as Claude returned it) goes to Claude with thinking on,
  // the assistant message starting with the signed block.
  const auto signed_blocks = json::parse(R"([{"type":"thinking","thinking":"Use the tool.","signature":"mock-sig-1-EqQBCgIYAhIM"}])");
  r = post(tool_loop_turn("claude-alone", signed_blocks));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("from claude"), std::string::npos) << r.body;
  const auto sent = s.last_body("claude-direct").as_object();
  EXPECT_TRUE(sent.contains("thinking")) << sent;
  EXPECT_EQ(sent.at("messages").at(1).at("content").at(0).at("type"), "thinking") << sent;
  // What Claude (the mock, as the real API) answers to the turn without it: an Anthropic client's
  // request goes through unchanged and gets the provider's 400.
  const auto anthropic = json::parse(R"({"model":"claude-alone","max_tokens":2048,
    "thinking":{"type":"enabled","budget_tokens":1024},
    "messages":[{"role":"user","content":"Weather in Paris?"},
                {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Paris"}}]},
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny"}]}]})").as_object();
  r = s.messages(anthropic);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Expected `thinking` or `redacted_thinking`, but found `tool_use`"), std::string::npos) << r.body;
}

TEST(Fidelity, LitellmSettingsDropParamsAppliesToEveryDeployment) {
  Stack s("drop-global", kParamModels, kParamConfig + "litellm_settings: {drop_params: true}\n");
  const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "gpt-alone", false, {{"seed", 7}, {"top_k", 2}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-dropped-params"), "top_k");  // OpenAI has seed
  EXPECT_EQ(s.last_body("gpt-plain").at("seed"), 7);
}

TEST(Fidelity, AllowListedClientHeadersReachTheProviderAndTheGatewayKeyNever) {
  Stack s("forward", kParamModels,
          kParamConfig + "general_settings: {master_key: sk-gateway, forward_client_headers_to_llm_api: [x-team]}\n");
  const Headers headers{{"authorization", "Bearer sk-gateway"}, {"x-team", "blue"}, {"x-other", "no"}};
  const auto r = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "gpt", false), headers);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto sent = s.last_headers("gpt-plain").as_object();
  EXPECT_EQ(sent.at("x-team"), "blue");
  EXPECT_FALSE(sent.contains("x-other"));
  EXPECT_EQ(sent.at("authorization"), "Bearer sk-x") << "the deployment's key, not the gateway's";
}

// With `true` (LiteLLM: every x-* header), a client still cannot send the headers the clouds sign or
// authorise with, nor a LiteLLM-style gateway key: a copy of x-amz-date would break the SigV4
// signature and the 403 would cool the deployment down for every client.
TEST(Fidelity, ForwardingAllXHeadersNeverForwardsCloudAuthHeadersOrTheGatewayKey) {
  Stack s("forward-all", kParamModels,
          kParamConfig + "general_settings: {master_key: sk-gateway, forward_client_headers_to_llm_api: true}\n");
  const Headers headers{{"authorization", "Bearer sk-gateway"}, {"x-team", "blue"},
                        {"x-amz-date", "20200101T000000Z"}, {"x-goog-user-project", "other"},
                        {"x-ms-client-request-id", "1"}, {"x-litellm-api-key", "sk-gateway"}};
  const auto r = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "gpt", false), headers);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto sent = s.last_headers("gpt-plain").as_object();
  EXPECT_EQ(sent.at("x-team"), "blue");
  for (const auto* name : {"x-amz-date", "x-goog-user-project", "x-ms-client-request-id", "x-litellm-api-key"})
    EXPECT_FALSE(sent.contains(name)) << name;
}

// ---- thinking and prompt caching to Bedrock ------------------------------------------------------

const std::string kClaudeChainConfig =
    "model_list:\n"
    "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
    "  - model_name: claude-bedrock\n"
    "    litellm_params: {model: " + kBedrockDeployment + "}\n"
    "router_settings:\n"
    "  num_retries: 0\n"
    "  fallbacks: [{claude: [claude-bedrock]}]\n";

json::object thinking_request(bool stream) {
  json::object body{{"model", "claude"},
                    {"max_tokens", 4000},
                    {"thinking", {{"type", "enabled"}, {"budget_tokens", 2000}}},
                    {"messages", json::array{{{"role", "user"}, {"content", "What is 6 times 7?"}}}}};
  if (stream) body["stream"] = true;
  return body;
}

TEST(Fidelity, ThinkingThroughBedrockComesBackSignedAndItsSignatureGoesBack) {
  Stack s("thinking", "  claude-direct: {fault: quota_exhausted}\n  '" + std::string(kBedrockModel) + "': {reply: \"42\"}\n",
          kClaudeChainConfig);
  const auto r = s.messages(thinking_request(false), {{"anthropic-beta", "interleaved-thinking-2025-05-14,context-1m-2025-08-07"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "claude,claude-bedrock");
  const auto answer = json::parse(r.body).as_object();
  const auto& thinking = answer.at("content").at(0).as_object();
  EXPECT_EQ(thinking.at("type"), "thinking");
  EXPECT_TRUE(std::string_view(thinking.at("signature").as_string()).starts_with("mock-sig-"));
  EXPECT_EQ(answer.at("content").at(1).at("text"), "42");
  // What Bedrock received: Claude's thinking in additionalModelRequestFields, and the one beta
  // flag Converse takes (interleaved thinking is not one of them).
  const auto sent = s.last_body(kBedrockModel).as_object();
  EXPECT_EQ(sent.at("additionalModelRequestFields").at("thinking"), json::parse(R"({"type":"enabled","budget_tokens":2000})"));
  EXPECT_EQ(sent.at("additionalModelRequestFields").at("anthropic_beta"), json::parse(R"(["context-1m-2025-08-07"])"));
  // The Anthropic deployment (tried first) got both as headers.
  EXPECT_EQ(s.last_headers("claude-direct").at("anthropic-beta"), "interleaved-thinking-2025-05-14,context-1m-2025-08-07");

  // Next turn: the signed thinking goes back (Bedrock, like Anthropic, refuses a forged one).
  auto next = thinking_request(false);
  next["messages"].as_array().push_back({{"role", "assistant"}, {"content", answer.at("content")}});
  next["messages"].as_array().push_back({{"role", "user"}, {"content", "And 6 times 8?"}});
  const auto second = s.messages(next);
  EXPECT_EQ(second.status, 200) << second.body;
  const auto reasoning = s.last_body(kBedrockModel).at("messages").at(1).at("content").at(0);
  EXPECT_EQ(reasoning.at("reasoningContent").at("reasoningText").at("signature"), thinking.at("signature"));
  next["messages"].as_array()[1].as_object()["content"].as_array()[0].as_object()["signature"] = "forged";
  EXPECT_EQ(s.messages(next).status, 400);
}

TEST(Fidelity, StreamedThinkingThroughBedrockArrivesAsThinkingAndSignatureDeltas) {
  Stack s("thinking-stream", "  claude-direct: {fault: quota_exhausted}\n  '" + std::string(kBedrockModel) + "': {reply: \"42\"}\n",
          kClaudeChainConfig);
  const auto r = s.messages(thinking_request(true));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto streamed = read_stream(Client::anthropic, r);
  EXPECT_EQ(streamed.text, "42");
  EXPECT_TRUE(streamed.done);
  std::string deltas;
  for (const auto& e : streamed.events)
    if (e.event == "content_block_delta") deltas += std::string(json::parse(e.data).at("delta").at("type").as_string()) + ",";
  EXPECT_EQ(deltas.rfind("thinking_delta,signature_delta,text_delta", 0), 0u) << deltas;

  // An OpenAI client sees LiteLLM's reasoning_content and thinking_blocks.
  const auto o = post_chat(s.port, Client::openai,
                           chat_body(Client::openai, "claude-bedrock", false, {{"reasoning_effort", "low"}}));
  ASSERT_EQ(o.status, 200) << o.body;
  const auto message = json::parse(o.body).at("choices").at(0).at("message");
  EXPECT_FALSE(message.at("reasoning_content").as_string().empty());
  EXPECT_TRUE(std::string_view(message.at("thinking_blocks").at(0).at("signature").as_string()).starts_with("mock-sig-"));
  EXPECT_EQ(s.last_body(kBedrockModel).at("additionalModelRequestFields").at("thinking").at("budget_tokens"), 1024);
}

TEST(Fidelity, PromptCachingThroughBedrockWritesThenReadsAndReportsBoth) {
  Stack s("cache", "  claude-direct: {fault: quota_exhausted}\n  '" + std::string(kBedrockModel) + "': {reply: \"ok\"}\n",
          kClaudeChainConfig);
  const json::object body{
      {"model", "claude"},
      {"max_tokens", 64},
      {"system", json::array{{{"type", "text"}, {"text", "You are a careful assistant with long instructions to cache"},
                              {"cache_control", {{"type", "ephemeral"}}}}}},
      {"messages", json::array{{{"role", "user"}, {"content", "Hello"}}}}};
  const auto first = s.messages(body);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto u1 = json::parse(first.body).at("usage");
  EXPECT_GT(u1.at("cache_creation_input_tokens").to_number<int>(), 0) << first.body;
  EXPECT_EQ(u1.at("cache_read_input_tokens").to_number<int>(), 0);
  EXPECT_EQ(s.last_body(kBedrockModel).at("system").at(1), json::parse(R"({"cachePoint":{"type":"default"}})"));

  auto streaming = body;
  streaming["stream"] = true;
  const auto second = s.messages(streaming);
  ASSERT_EQ(second.status, 200) << second.body;
  int read = -1;
  for (const auto& e : parse_sse(second.body))
    if (e.event == "message_delta") read = json::parse(e.data).at("usage").at("cache_read_input_tokens").to_number<int>();
  EXPECT_EQ(read, u1.at("cache_creation_input_tokens").to_number<int>()) << second.body;
}

// ---- count_tokens -----------------------------------------------------------------------------------

TEST(Fidelity, CountTokensIsAnsweredByAnthropicAndBedrockAndEstimatedElsewhere) {
  Stack s("count", "  claude-direct: {reply: \"x\"}\n  gpt-plain: {reply: \"x\"}\n  '" + std::string(kBedrockModel) + "': {reply: \"x\"}\n",
          "model_list:\n"
          "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '$BASE', api_key: sk-ant-x}}\n"
          "  - model_name: claude-bedrock\n"
          "    litellm_params: {model: " + kBedrockDeployment + "}\n"
          "  - {model_name: gpt, litellm_params: {model: openai/gpt-plain, api_base: '$BASE/v1', api_key: sk-x}}\n"
          "router_settings: {num_retries: 0}\n");
  // What Claude Code sends: the Messages body (max_tokens included, which counting refuses).
  const auto body = [](const std::string& model) {
    return json::serialize(json::object{
        {"model", model},
        {"max_tokens", 1000},
        {"system", "You are terse."},
        {"messages", json::array{{{"role", "user"}, {"content", "count these five words"}}}}});
  };
  const Headers headers{{"anthropic-version", "2023-06-01"}, {"anthropic-beta", "token-counting-2024-11-01"}};
  for (const std::string group : {"claude", "claude-bedrock"}) {
    SCOPED_TRACE(group);
    const auto r = request(s.port, "POST", "/v1/messages/count_tokens", body(group), headers);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-token-count"), "provider");
    EXPECT_EQ(json::parse(r.body).at("input_tokens"), 7) << r.body;  // the mock counts words
  }
  EXPECT_EQ(s.stats().at("models").at("count_tokens").at("last_path"), "/v1/messages/count_tokens");
  EXPECT_EQ(s.stats().at("models").at("count_tokens").at("last_headers").at("anthropic-beta"), "token-counting-2024-11-01");
  EXPECT_NE(std::string_view(s.stats().at("models").at(kBedrockModel).at("last_path").as_string()).find("/count-tokens"),
            std::string_view::npos);
  EXPECT_EQ(s.stats().at("auth_failures").to_number<int>(), 0) << "CountTokens is SigV4-signed like Converse";

  const auto estimated = request(s.port, "POST", "/v1/messages/count_tokens", body("gpt"), headers);
  ASSERT_EQ(estimated.status, 200) << estimated.body;
  EXPECT_EQ(estimated.header("x-switchyard-token-count"), "estimated");
  EXPECT_GT(json::parse(estimated.body).at("input_tokens").to_number<int>(), 0);
  EXPECT_EQ(s.calls("gpt-plain"), 0);
}

// ---- Vertex AI Claude ------------------------------------------------------------------------------

// A service-account key file (fresh RSA key) whose token_uri is the mock on `mock_port`.
std::filesystem::path service_account(std::uint16_t mock_port) {
  const auto key = temp_dir() / "fidelity-sa.pem";
  const auto cmd = "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" + key.string() + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl genpkey failed");
  std::ifstream in(key);
  std::stringstream pem;
  pem << in.rdbuf();
  return write_temp_file("fidelity-sa.json",
                         json::serialize(json::object{{"type", "service_account"},
                                                      {"project_id", "fidelity"},
                                                      {"private_key_id", "fidelity-key"},
                                                      {"private_key", pem.str()},
                                                      {"client_email", "gw@fidelity.iam.gserviceaccount.com"},
                                                      {"token_uri", "http://127.0.0.1:" + std::to_string(mock_port) + "/token"}}));
}

TEST(Fidelity, VertexClaudeGetsBetaFlagsInTheBodyThinkingAndCountTokens) {
  const auto mock_port = free_port();
  const auto sa = service_account(mock_port);
  auto mock = start_mock("google: {service_account: '" + sa.string() + "'}\nmodels:\n  claude-on-vertex: {reply: \"ok\"}\n",
                         {"--port", std::to_string(mock_port)});
  ASSERT_NE(mock.port, 0) << mock.process->output();
  const auto cfg = write_temp_file("fidelity-vertex.yaml",
      "model_list:\n  - {model_name: vertex, litellm_params: {model: vertex_ai/claude-on-vertex, api_base: 'http://127.0.0.1:" +
      std::to_string(mock.port) + "', vertex_location: us-east5, vertex_credentials: '" + sa.string() + "'}}\n");
  Process gateway({binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
  const auto port = gateway.wait_for_port();
  ASSERT_TRUE(port) << gateway.output();
  const Headers headers{{"anthropic-version", "2023-06-01"},
                        {"anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"}};
  auto body = thinking_request(false);
  body["model"] = "vertex";
  const auto r = request(*port, "POST", "/v1/messages", json::serialize(body), headers);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("content").at(0).at("type"), "thinking");
  const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body);
  const auto& sent = stats.at("models").at("claude-on-vertex").at("last_body");
  EXPECT_EQ(sent.at("anthropic_version"), "vertex-2023-10-16");
  EXPECT_EQ(sent.at("anthropic_beta"), json::parse(R"(["interleaved-thinking-2025-05-14"])")) << "Vertex's flags only";
  EXPECT_EQ(sent.at("thinking").at("budget_tokens"), 2000);

  const auto counted = request(*port, "POST", "/v1/messages/count_tokens", json::serialize(body), headers);
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(counted.header("x-switchyard-token-count"), "provider");
  const auto after = json::parse(request(mock.port, "GET", "/mock/stats").body);
  EXPECT_NE(std::string_view(after.at("models").at("count-tokens").at("last_path").as_string()).find(
                "/projects/fidelity/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict"),
            std::string_view::npos);
  EXPECT_EQ(after.at("models").at("count-tokens").at("last_body").at("model"), "claude-on-vertex");
  EXPECT_EQ(after.at("auth_failures").to_number<int>(), 0);
}

}  // namespace
}  // namespace switchyard::testing
