// POST /v1/responses end to end: real `switchyard serve` and `switchyard mock` processes. Translated
// (Anthropic, OpenAI-compatible chat) and passed through (OpenAI's own /responses), whole and
// streamed, tool calls and their outputs, the response store (previous_response_id, GET, DELETE),
// fallbacks on a credit-balance error, the stream hold-back, and features refused per provider.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kReply = "Hello from the responses mock — it works ✓";

const char* kMockConfig = R"(models:
  claude-no-credit: {fault: quota_exhausted}
  claude-ok: {reply: "Hello from the responses mock — it works ✓"}
  claude-tools: {reply: "Done.", tool_call: {name: run_shell, arguments: {cmd: "echo hi"}}}
  claude-json: {reply: "not JSON", tool_call: {name: switchyard_json_output, arguments: {city: Paris}}}
  chat-ok: {reply: "Hello from the responses mock — it works ✓"}
  chat-tools: {reply: "Done.", tool_call: {name: run_shell, arguments: {cmd: "echo hi"}}}
  gpt-ok: {reply: "Hello from the responses mock — it works ✓"}
  gpt-tools: {reply: "Done.", tool_call: {name: run_shell, arguments: {cmd: "echo hi"}}}
  gpt-stream-fails-first: {script: [stream_error_before_content, ok]}
  gpt-breaks-mid-stream: {fault: stream_error_after_content}
default: {reply: "default reply"}
)";

std::string gateway_config(std::uint16_t mock) {
  const auto base = "http://127.0.0.1:" + std::to_string(mock);
  const auto row = [&](std::string_view group, std::string_view model, std::string_view api_base) {
    return "  - {model_name: " + std::string(group) + ", litellm_params: {model: " + std::string(model) +
           ", api_base: '" + std::string(api_base) + "', api_key: sk-x}}\n";
  };
  return "model_list:\n" + row("claude-broke", "anthropic/claude-no-credit", base) +
         row("claude", "anthropic/claude-ok", base) + row("claude-tools", "anthropic/claude-tools", base) +
         row("claude-json", "anthropic/claude-json", base) +
         row("chat", "openai_compatible/chat-ok", base + "/v1") +
         row("chat-tools", "openai_compatible/chat-tools", base + "/v1") + row("gpt", "openai/gpt-ok", base + "/v1") +
         row("gpt-tools", "openai/gpt-tools", base + "/v1") +
         row("gpt-flaky-stream", "openai/gpt-stream-fails-first", base + "/v1") +
         row("gpt-breaks", "openai/gpt-breaks-mid-stream", base + "/v1") +
         "  - {model_name: azure, litellm_params: {model: azure/gpt-ok, api_base: '" + base + "', api_key: az-x, api_version: 2025-03-01-preview}}\n" +
         row("databricks", "databricks/chat-ok", base + "/serving-endpoints") +
         "router_settings:\n  num_retries: 1\n  fallbacks:\n    - claude-broke: [claude]\n";
}

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  Stack() {
    mock = start_mock(kMockConfig);
    const auto cfg = write_temp_file("responses-" + std::to_string(mock.port) + ".yaml", gateway_config(mock.port));
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }
  HttpResult post(const json::object& body) const { return request(port, "POST", "/v1/responses", json::serialize(body)); }
  json::object last(const std::string& model) const {
    const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body);
    return stats.at("models").at(model).as_object();
  }
};

Stack& stack() {
  static Stack s;
  return s;
}

std::string output_text(const json::object& response) {
  std::string text;
  for (const auto& item : response.at("output").as_array())
    if (item.at("type") == "message")
      for (const auto& part : item.at("content").as_array())
        if (part.at("type") == "output_text") text += part.at("text").as_string();
  return text;
}

struct Streamed {
  std::vector<std::string> types;
  std::string text;
  std::string arguments;
  json::object final_response;
  bool sequence_ok = true;
};

Streamed read_stream(const HttpResult& r) {
  Streamed s;
  std::int64_t expected = 0;
  for (const auto& e : parse_sse(r.body)) {
    const auto data = json::parse(e.data).as_object();
    const std::string type(data.at("type").as_string());
    s.types.push_back(type);
    if (e.event != type) s.sequence_ok = false;  // `event:` names the type, as OpenAI sends it
    if (data.at("sequence_number").to_number<std::int64_t>() != expected++) s.sequence_ok = false;
    if (type == "response.output_text.delta") s.text += data.at("delta").as_string();
    if (type == "response.function_call_arguments.delta") s.arguments += data.at("delta").as_string();
    if (type == "response.completed" || type == "response.failed") s.final_response = data.at("response").as_object();
  }
  return s;
}

TEST(Responses, StringInputTranslatedToAnthropicAfterCreditFallback) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude-broke"}, {"input", "Say hello"}, {"instructions", "Be brief."},
                         {"max_output_tokens", 64}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "claude-broke,claude");
  const auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("object"), "response");
  EXPECT_EQ(body.at("status"), "completed");
  EXPECT_EQ(body.at("model"), "claude-broke");
  EXPECT_EQ(body.at("instructions"), "Be brief.");
  EXPECT_TRUE(body.at("id").as_string().starts_with("resp_"));
  EXPECT_EQ(output_text(body), kReply);
  const auto& usage = body.at("usage").as_object();
  EXPECT_GT(usage.at("input_tokens").to_number<int>(), 0);
  EXPECT_GT(usage.at("output_tokens").to_number<int>(), 0);
  EXPECT_EQ(usage.at("total_tokens").to_number<int>(),
            usage.at("input_tokens").to_number<int>() + usage.at("output_tokens").to_number<int>());
  // Anthropic got the instructions as its system prompt and max_output_tokens as max_tokens.
  const auto upstream = s.last("claude-ok").at("last_body").as_object();
  EXPECT_EQ(upstream.at("system"), "Be brief.");
  EXPECT_EQ(upstream.at("max_tokens").to_number<int>(), 64);
}

TEST(Responses, StreamFromAnthropicIsTheResponsesEventSequence) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude"}, {"input", "Say hello"}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.header("content-type").starts_with("text/event-stream"));
  const auto got = read_stream(r);
  EXPECT_TRUE(got.sequence_ok) << r.body;
  ASSERT_GE(got.types.size(), 9u) << r.body;
  const std::vector<std::string> head{"response.created", "response.in_progress", "response.output_item.added",
                                      "response.content_part.added", "response.output_text.delta"};
  EXPECT_EQ(std::vector<std::string>(got.types.begin(), got.types.begin() + 5), head) << r.body;
  const std::vector<std::string> tail{"response.output_text.done", "response.content_part.done",
                                      "response.output_item.done", "response.completed"};
  EXPECT_EQ(std::vector<std::string>(got.types.end() - 4, got.types.end()), tail) << r.body;
  EXPECT_EQ(got.text, kReply);
  EXPECT_EQ(output_text(got.final_response), kReply);
  EXPECT_GT(got.final_response.at("usage").at("output_tokens").to_number<int>(), 0);
}

// The agent loop: a function tool is called, its output sent back as function_call_output.
void tool_round_trip(const std::string& group, bool stream) {
  auto& s = stack();
  const json::array tools{{{"type", "function"},
                           {"name", "run_shell"},
                           {"description", "Run a shell command"},
                           {"parameters", {{"type", "object"}, {"properties", {{"cmd", {{"type", "string"}}}}}}}},
                          {{"type", "web_search"}}};
  json::object first{{"model", group}, {"input", "List files"}, {"tools", tools}, {"stream", stream}, {"store", false}};
  const auto r1 = s.post(first);
  ASSERT_EQ(r1.status, 200) << r1.body;
  json::object call;
  if (stream) {
    const auto got = read_stream(r1);
    EXPECT_TRUE(got.sequence_ok) << r1.body;
    EXPECT_NE(std::find(got.types.begin(), got.types.end(), "response.function_call_arguments.done"), got.types.end());
    EXPECT_EQ(json::parse(got.arguments), json::parse(R"({"cmd":"echo hi"})"));
    call = got.final_response.at("output").at(0).as_object();
  } else {
    call = json::parse(r1.body).at("output").at(0).as_object();
  }
  ASSERT_EQ(call.at("type"), "function_call") << json::serialize(call);
  EXPECT_EQ(call.at("name"), "run_shell");
  EXPECT_EQ(json::parse(call.at("arguments").as_string()), json::parse(R"({"cmd":"echo hi"})"));
  const bool translated = group != "gpt-tools";
  // Offered built-in tools a chat provider cannot run are named, never dropped silently.
  EXPECT_EQ(r1.header("x-switchyard-omitted-tools"), translated ? "web_search" : "");

  json::array input{{{"role", "user"}, {"content", "List files"}},
                    {{"type", "function_call"}, {"call_id", call.at("call_id")}, {"name", "run_shell"},
                     {"arguments", call.at("arguments")}},
                    {{"type", "function_call_output"}, {"call_id", call.at("call_id")}, {"output", "a.txt b.txt"}}};
  const auto r2 = s.post({{"model", group}, {"input", input}, {"tools", tools}, {"stream", stream}, {"store", false}});
  ASSERT_EQ(r2.status, 200) << r2.body;
  const auto answer = stream ? read_stream(r2).final_response : json::parse(r2.body).as_object();
  EXPECT_EQ(output_text(answer), "Done. Tool output: a.txt b.txt");
}

TEST(Responses, ToolCallAndOutputThroughAnthropic) { tool_round_trip("claude-tools", false); }
TEST(Responses, ToolCallAndOutputThroughAnthropicStreamed) { tool_round_trip("claude-tools", true); }
TEST(Responses, ToolCallAndOutputThroughOpenAiCompatibleChatStreamed) { tool_round_trip("chat-tools", true); }
TEST(Responses, ToolCallAndOutputPassedThroughToOpenAi) { tool_round_trip("gpt-tools", true); }

TEST(Responses, OpenAiDeploymentGetsTheResponsesEndpointUnderOurId) {
  auto& s = stack();
  const auto r = s.post({{"model", "gpt"}, {"input", "Say hello"}, {"previous_response_id", nullptr}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.last("gpt-ok").at("last_path"), "/v1/responses");
  const auto body = json::parse(r.body).as_object();
  EXPECT_EQ(output_text(body), kReply);
  const std::string id(body.at("id").as_string());
  EXPECT_TRUE(id.starts_with("resp_") && !id.starts_with("resp_mock")) << id;
  const auto stored = request(s.port, "GET", "/v1/responses/" + id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(json::parse(stored.body).at("id"), json::value(id));
}

TEST(Responses, AzureIsPassedThroughAndDatabricksTranslated) {
  auto& s = stack();
  const auto azure = s.post({{"model", "azure"}, {"input", "Say hello"}});
  ASSERT_EQ(azure.status, 200) << azure.body;
  EXPECT_EQ(output_text(json::parse(azure.body).as_object()), kReply);
  EXPECT_EQ(s.last("gpt-ok").at("last_path"), "/openai/responses");
  EXPECT_EQ(s.last("gpt-ok").at("last_headers").at("api-key"), "az-x");
  const auto databricks = s.post({{"model", "databricks"}, {"input", "Say hello"}, {"stream", true}});
  ASSERT_EQ(databricks.status, 200) << databricks.body;
  EXPECT_EQ(read_stream(databricks).text, kReply);
  EXPECT_EQ(s.last("chat-ok").at("last_path"), "/serving-endpoints/chat/completions");
}

TEST(Responses, PreviousResponseIdContinuesOnAnotherProvider) {
  auto& s = stack();
  const auto r1 = s.post({{"model", "gpt"}, {"input", "My name is Ada."}});
  ASSERT_EQ(r1.status, 200) << r1.body;
  const std::string id(json::parse(r1.body).at("id").as_string());
  const auto r2 = s.post({{"model", "chat"}, {"input", "What is my name?"}, {"previous_response_id", id}});
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(json::parse(r2.body).at("previous_response_id"), json::value(id));
  // The chat upstream received the whole conversation: user, assistant (stored), user.
  const auto messages = s.last("chat-ok").at("last_body").at("messages").as_array();
  ASSERT_EQ(messages.size(), 3u) << json::serialize(messages);
  EXPECT_EQ(messages[0].at("content"), "My name is Ada.");
  EXPECT_EQ(messages[1].at("role"), "assistant");
  EXPECT_EQ(messages[1].at("content"), json::value(kReply));
  EXPECT_EQ(messages[2].at("content"), "What is my name?");
}

TEST(Responses, StreamedResponsesAreStoredToo) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude"}, {"input", "Say hello"}, {"stream", true}});
  const auto got = read_stream(r);
  const std::string id(got.final_response.at("id").as_string());
  const auto stored = request(s.port, "GET", "/v1/responses/" + id);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(output_text(json::parse(stored.body).as_object()), kReply);
  EXPECT_EQ(request(s.port, "DELETE", "/v1/responses/" + id).status, 200);
  EXPECT_EQ(request(s.port, "GET", "/v1/responses/" + id).status, 404);
}

TEST(Responses, UnknownPreviousResponseIdIsOpenAisNotFound) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude"}, {"input", "hi"}, {"previous_response_id", "resp_nope"}});
  ASSERT_EQ(r.status, 404) << r.body;
  const auto error = json::parse(r.body).at("error");
  EXPECT_EQ(error.at("code"), "previous_response_not_found");
  EXPECT_EQ(error.at("param"), "previous_response_id");
  EXPECT_EQ(error.at("type"), "invalid_request_error");
  EXPECT_EQ(request(s.port, "GET", "/v1/responses/resp_nope").status, 404);
}

TEST(Responses, StoreFalseKeepsNothing) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude"}, {"input", "hi"}, {"store", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string id(json::parse(r.body).at("id").as_string());
  EXPECT_EQ(request(s.port, "GET", "/v1/responses/" + id).status, 404);
}

TEST(Responses, FeaturesAProviderCannotCarryAreRefusedByName) {
  auto& s = stack();
  const auto forced = s.post({{"model", "claude"}, {"input", "hi"}, {"tools", json::array{{{"type", "web_search"}}}},
                              {"tool_choice", {{"type", "web_search"}}}});
  EXPECT_EQ(forced.status, 400) << forced.body;
  EXPECT_NE(forced.body.find("tool_choice type 'web_search'"), std::string::npos) << forced.body;
  const json::object json_schema{{"format", {{"type", "json_schema"}, {"name", "x"}, {"schema", {{"type", "object"}}}}}};
  const auto schema_and_tools = s.post({{"model", "claude"}, {"input", "hi"}, {"text", json_schema},
                                        {"tools", json::array{{{"type", "function"}, {"name", "f"}}}}});
  EXPECT_EQ(schema_and_tools.status, 400) << schema_and_tools.body;
  EXPECT_NE(schema_and_tools.body.find("text.format"), std::string::npos) << schema_and_tools.body;
  const auto background = s.post({{"model", "chat"}, {"input", "hi"}, {"background", true}});
  EXPECT_EQ(background.status, 400) << background.body;
  EXPECT_NE(background.body.find("'background'"), std::string::npos) << background.body;
  // reasoning.effort is carried: the pivot's reasoning_effort becomes Anthropic's thinking budget.
  const auto effort = s.post({{"model", "claude"}, {"input", "hi"}, {"reasoning", {{"effort", "high"}}}});
  EXPECT_EQ(effort.status, 200) << effort.body;
  const auto effort_upstream = s.last("claude-ok").at("last_body").as_object();
  const auto* thinking = effort_upstream.if_contains("thinking");
  ASSERT_NE(thinking, nullptr) << json::serialize(effort_upstream);
  EXPECT_EQ(thinking->at("type"), "enabled");
  EXPECT_GT(thinking->at("budget_tokens").to_number<std::int64_t>(), 0);
  // Codex's reasoning {summary: auto} without an effort is accepted.
  EXPECT_EQ(s.post({{"model", "claude"}, {"input", "hi"}, {"reasoning", {{"summary", "auto"}}}}).status, 200);
  // The same JSON schema request is carried to an OpenAI-compatible chat server.
  const auto carried = s.post({{"model", "chat"}, {"input", "hi"},
                               {"text", {{"format", {{"type", "json_schema"}, {"name", "x"}, {"schema", {{"type", "object"}}}}}}}});
  EXPECT_EQ(carried.status, 200) << carried.body;
  EXPECT_EQ(s.last("chat-ok").at("last_body").at("response_format").at("type"), "json_schema");
}

// A feature one deployment cannot carry is refused for that deployment only: the request moves on
// (here through LiteLLM's request-body `fallbacks`) to one that can, and nothing cools down.
TEST(Responses, RefusedFeatureFallsBackToADeploymentThatCarriesIt) {
  auto& s = stack();
  const auto r = s.post({{"model", "claude"}, {"input", "hi"}, {"background", true}, {"fallbacks", json::array{"gpt"}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-model-group"), "gpt");
  EXPECT_EQ(r.header("x-switchyard-fallback-path"), "claude,gpt");
  EXPECT_FALSE(s.last("gpt-ok").at("last_body").as_object().contains("fallbacks"));  // never sent upstream
  // claude was not cooled down by the refusal: it still answers a request it can carry.
  EXPECT_EQ(s.post({{"model", "claude"}, {"input", "hi"}}).status, 200);
  // Embeddings: Anthropic has none, so the fallback's deployment answers.
  const auto e = request(s.port, "POST", "/v1/embeddings",
                         json::serialize(json::object{{"model", "claude"}, {"input", "hi"}, {"fallbacks", json::array{"gpt"}}}));
  ASSERT_EQ(e.status, 200) << e.body;
  EXPECT_EQ(e.header("x-switchyard-model-group"), "gpt");
}

// Anthropic has no response_format: the schema becomes a forced tool whose arguments are the text.
TEST(Responses, JsonSchemaReachesAnthropicAsAForcedTool) {
  auto& s = stack();
  const json::object text{{"format", {{"type", "json_schema"}, {"name", "weather"}, {"strict", true},
                                      {"schema", {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}}}};
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "whole");
    const auto r = s.post({{"model", "claude-json"}, {"input", "Weather?"}, {"text", text}, {"stream", stream}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto response = stream ? read_stream(r).final_response : json::parse(r.body).as_object();
    ASSERT_EQ(response.at("output").as_array().size(), 1u) << json::serialize(response);
    EXPECT_EQ(json::parse(output_text(response)), json::parse(R"({"city":"Paris"})"));
    const auto upstream = s.last("claude-json").at("last_body").as_object();
    EXPECT_EQ(upstream.at("tool_choice"), json::parse(R"({"type":"tool","name":"switchyard_json_output"})"));
    EXPECT_EQ(upstream.at("tools").at(0).at("input_schema").at("properties").at("city").at("type"), "string");
  }
}

TEST(Responses, PassthroughStreamFailingBeforeContentIsRetriedInvisibly) {
  auto& s = stack();
  const auto r = s.post({{"model", "gpt-flaky-stream"}, {"input", "hi"}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
  const auto got = read_stream(r);
  EXPECT_TRUE(got.sequence_ok) << r.body;
  EXPECT_EQ(got.types.back(), "response.completed") << r.body;
  EXPECT_EQ(std::count(got.types.begin(), got.types.end(), "response.created"), 1);
}

TEST(Responses, FailureAfterContentEndsWithResponseFailed) {
  auto& s = stack();
  const auto r = s.post({{"model", "gpt-breaks"}, {"input", "hi"}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto got = read_stream(r);
  EXPECT_TRUE(got.sequence_ok) << r.body;
  ASSERT_EQ(got.types.back(), "response.failed") << r.body;
  EXPECT_EQ(got.final_response.at("status"), "failed");
  EXPECT_EQ(got.final_response.at("error").at("code"), "server_error");  // OpenAI's mid-stream server error
}

// The AI SDK refers to items of stored responses by item_reference instead of repeating them.
TEST(Responses, ItemReferencesToStoredItemsAreResolved) {
  auto& s = stack();
  const json::array tools{{{"type", "function"}, {"name", "run_shell"}, {"parameters", {{"type", "object"}}}}};
  const auto r1 = s.post({{"model", "claude-tools"}, {"input", "List files"}, {"tools", tools}});
  ASSERT_EQ(r1.status, 200) << r1.body;
  const auto call = json::parse(r1.body).at("output").at(0).as_object();
  json::array input{{{"role", "user"}, {"content", "List files"}},
                    {{"type", "item_reference"}, {"id", call.at("id")}},
                    {{"type", "function_call_output"}, {"call_id", call.at("call_id")}, {"output", "a.txt"}}};
  const auto r2 = s.post({{"model", "claude-tools"}, {"input", input}, {"tools", tools}});
  ASSERT_EQ(r2.status, 200) << r2.body;
  EXPECT_EQ(output_text(json::parse(r2.body).as_object()), "Done. Tool output: a.txt");
  const auto tool_use = s.last("claude-tools").at("last_body").at("messages").at(1).at("content").at(0);
  EXPECT_EQ(tool_use.at("type"), "tool_use");
  EXPECT_EQ(tool_use.at("id"), call.at("call_id"));
  input[1].as_object()["id"] = "fc_unknown";
  const auto unknown = s.post({{"model", "claude-tools"}, {"input", input}, {"tools", tools}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.body.find("fc_unknown"), std::string::npos);
}

TEST(Responses, BadRequestsAreOpenAiErrors) {
  auto& s = stack();
  const auto no_input = s.post({{"model", "claude"}});
  EXPECT_EQ(no_input.status, 400);
  EXPECT_EQ(json::parse(no_input.body).at("error").at("param"), "input");
  const auto unknown = s.post({{"model", "nope"}, {"input", "hi"}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body).at("error").at("code"), "model_not_found");
}

}  // namespace
}  // namespace switchyard::testing
