// POST /v1/responses with `reasoning` to a Claude deployment (the chat pivot): the gateway asks
// Claude to think, and the thinking comes back as a reasoning item whose summary is the thinking
// text, before the answer, whole and streamed (OpenAI's reasoning-summary events), as LangChain
// (useResponsesApi), the AI SDK and Codex read it, with the signed thinking blocks in its
// encrypted_content, so the item sent back puts Claude's signed thinking before the tool_use of
// the turn being continued (Anthropic requires it). Before, the thinking was requested (and
// billed) but dropped from the Response.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kReply = "Six times seven is forty-two";

struct Stack {
  MockProcess mock;
  GatewayProcess gateway;

  Stack() {
    mock = start_mock(R"(models:
  claude-thinks: {reply: "Six times seven is forty-two"}
  claude-thinks-tools: {reply: "Done.", tool_call: {name: calc, arguments: {expr: "6*7"}}}
)");
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
    gateway = start_gateway("model_list:\n"
                            "  - {model_name: claude, litellm_params: {model: anthropic/claude-thinks, api_base: '" + base +
                            "', api_key: sk-x}}\n"
                            "  - {model_name: claude-tools, litellm_params: {model: anthropic/claude-thinks-tools, api_base: '" +
                            base + "', api_key: sk-x}}\n");
  }
  HttpResult post(std::string_view path, const json::object& body) const {
    return request(gateway.port, "POST", path, json::serialize(body));
  }
};

Stack& stack() {
  static Stack s;
  return s;
}

// What Claude (the mock) thinks, read through the gateway's own Anthropic endpoint.
std::string claude_thinking() {
  const auto r = stack().post("/v1/messages", {{"model", "claude"}, {"max_tokens", 2048},
                                               {"thinking", {{"type", "enabled"}, {"budget_tokens", 1024}}},
                                               {"messages", json::array{{{"role", "user"}, {"content", "6*7?"}}}}});
  EXPECT_EQ(r.status, 200) << r.body;
  const auto message = json::parse(r.body);
  for (const auto& block : message.at("content").as_array())
    if (block.at("type") == "thinking") return std::string(block.at("thinking").as_string());
  ADD_FAILURE() << "no thinking block: " << r.body;
  return {};
}

const json::object kReasoning{{"effort", "low"}, {"summary", "auto"}};

constexpr std::string_view kCarrier = "switchyard.thinking_blocks.v1:";

void expect_reasoning_item(const json::value& item, const std::string& thought) {
  ASSERT_EQ(item.at("type"), "reasoning") << json::serialize(item);
  EXPECT_TRUE(item.at("id").as_string().starts_with("rs_")) << json::serialize(item);
  const auto& summary = item.at("summary").as_array();
  ASSERT_EQ(summary.size(), 1u) << json::serialize(item);
  EXPECT_EQ(summary[0].at("type"), "summary_text");
  EXPECT_EQ(summary[0].at("text").as_string(), thought);
  // The signed thinking block, whole, in encrypted_content.
  const std::string carried(item.at("encrypted_content").as_string());
  ASSERT_TRUE(carried.starts_with(kCarrier)) << carried;
  const auto blocks = json::parse(carried.substr(kCarrier.size()));
  ASSERT_EQ(blocks.as_array().size(), 1u) << carried;
  EXPECT_EQ(blocks.at(0).at("type"), "thinking");
  EXPECT_EQ(blocks.at(0).at("thinking").as_string(), thought);
  EXPECT_TRUE(blocks.at(0).at("signature").as_string().starts_with("mock-sig-")) << carried;
}

TEST(ResponsesReasoning, ClaudeThinkingIsAReasoningItemBeforeTheAnswer) {
  const auto thought = claude_thinking();
  ASSERT_FALSE(thought.empty());
  const auto r = stack().post("/v1/responses", {{"model", "claude"}, {"input", "6*7?"}, {"reasoning", kReasoning}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto body = json::parse(r.body).as_object();
  const auto& output = body.at("output").as_array();
  ASSERT_EQ(output.size(), 2u) << r.body;
  expect_reasoning_item(output[0], thought);
  EXPECT_EQ(output[1].at("type"), "message");
  EXPECT_EQ(output[1].at("content").at(0).at("text").as_string(), kReply);
}

struct StreamedEvents {
  std::vector<std::string> types;
  std::string summary_deltas;
  std::string text;
  json::object completed;
};

StreamedEvents read_events(const HttpResult& r) {
  StreamedEvents s;
  std::int64_t sequence = 0;
  for (const auto& e : parse_sse(r.body)) {
    const auto data = json::parse(e.data).as_object();
    const std::string type(data.at("type").as_string());
    EXPECT_EQ(e.event, type);
    EXPECT_EQ(data.at("sequence_number").to_number<std::int64_t>(), sequence++);
    s.types.push_back(type);
    if (type == "response.reasoning_summary_text.delta") {
      EXPECT_EQ(data.at("output_index").to_number<int>(), 0);
      s.summary_deltas += data.at("delta").as_string();
    }
    if (type == "response.output_text.delta") s.text += data.at("delta").as_string();
    if (type == "response.completed") s.completed = data.at("response").as_object();
  }
  return s;
}

TEST(ResponsesReasoning, StreamedAsReasoningSummaryEventsThenTheAnswer) {
  const auto thought = claude_thinking();
  const auto r = stack().post("/v1/responses",
                              {{"model", "claude"}, {"input", "6*7?"}, {"reasoning", kReasoning}, {"stream", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto s = read_events(r);
  EXPECT_EQ(s.summary_deltas, thought);
  EXPECT_EQ(s.text, kReply);
  // The reasoning item opens, streams and closes before the message item opens.
  const std::vector<std::string> reasoning_events{
      "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta"};
  ASSERT_GE(s.types.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(s.types.begin() + 2, s.types.begin() + 5), reasoning_events) << r.body;
  const auto first_text = std::find(s.types.begin(), s.types.end(), "response.output_text.delta");
  const auto summary_done = std::find(s.types.begin(), s.types.end(), "response.reasoning_summary_part.done");
  EXPECT_LT(summary_done, first_text) << r.body;
  EXPECT_NE(std::find(s.types.begin(), s.types.end(), "response.reasoning_summary_text.done"), s.types.end());
  // The final Response holds the same two items a whole answer does.
  const auto& output = s.completed.at("output").as_array();
  ASSERT_EQ(output.size(), 2u) << json::serialize(s.completed);
  expect_reasoning_item(output[0], thought);
  EXPECT_EQ(output[1].at("content").at(0).at("text").as_string(), kReply);
}

json::object last_body(const std::string& model) {
  const auto stats = json::parse(request(stack().mock.port, "GET", "/mock/stats").body);
  return stats.at("models").at(model).at("last_body").as_object();
}

TEST(ResponsesReasoning, SentBackItPutsTheSignedThinkingBeforeTheToolUse) {
  const auto thought = claude_thinking();
  const json::array tools{{{"type", "function"}, {"name", "calc"},
                           {"parameters", {{"type", "object"}, {"properties", {{"expr", {{"type", "string"}}}}}}}}};
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streamed" : "whole");
    const auto r = stack().post("/v1/responses", {{"model", "claude-tools"}, {"input", "6*7?"}, {"tools", tools},
                                                  {"reasoning", kReasoning}, {"stream", stream}, {"store", false}});
    ASSERT_EQ(r.status, 200) << r.body;
    const auto response = stream ? read_events(r).completed : json::parse(r.body).as_object();
    const auto& output = response.at("output").as_array();
    ASSERT_EQ(output.size(), 2u) << json::serialize(response);
    expect_reasoning_item(output[0], thought);
    EXPECT_EQ(output[1].at("type"), "function_call");
    // The next turn sends the reasoning item back with the call and its output (as clients do
    // with store: false). The mock, like Anthropic, refuses a signature it did not issue.
    json::array input{{{"role", "user"}, {"content", "6*7?"}}};
    for (const auto& item : output) input.push_back(item);
    input.push_back({{"type", "function_call_output"}, {"call_id", output[1].at("call_id")}, {"output", "42"}});
    const auto next = stack().post("/v1/responses", {{"model", "claude-tools"}, {"input", input}, {"tools", tools},
                                                     {"reasoning", kReasoning}, {"store", false}});
    ASSERT_EQ(next.status, 200) << next.body;
    const auto upstream = last_body("claude-thinks-tools");
    const auto& assistant = upstream.at("messages").at(1).as_object();
    ASSERT_EQ(assistant.at("role"), "assistant") << json::serialize(upstream);
    const auto& content = assistant.at("content").as_array();
    ASSERT_EQ(content.size(), 2u) << json::serialize(assistant);
    EXPECT_EQ(content[0].at("type"), "thinking");
    EXPECT_EQ(content[0].at("thinking").as_string(), thought);
    const auto carried = json::parse(std::string(output[0].at("encrypted_content").as_string()).substr(kCarrier.size()));
    EXPECT_EQ(content[0].at("signature"), carried.at(0).at("signature"));
    EXPECT_EQ(content[1].at("type"), "tool_use");
  }
  // Encrypted content that is not ours (OpenAI's own) is still context the pivot leaves out.
  json::array input{{{"role", "user"}, {"content", "6*7?"}},
                    {{"type", "reasoning"}, {"id", "rs_openai"}, {"summary", json::array{}}, {"encrypted_content", "gAAAAB-openai"}},
                    {{"role", "assistant"}, {"content", "Forty-two."}},
                    {{"role", "user"}, {"content", "Thanks"}}};
  const auto foreign = stack().post("/v1/responses", {{"model", "claude"}, {"input", input}, {"store", false}});
  ASSERT_EQ(foreign.status, 200) << foreign.body;
  const auto upstream = last_body("claude-thinks");
  EXPECT_EQ(json::serialize(upstream.at("messages").at(1).at("content")), R"([{"type":"text","text":"Forty-two."}])");
}

}  // namespace
}  // namespace switchyard::testing
