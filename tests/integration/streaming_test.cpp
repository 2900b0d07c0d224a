// Streaming through the gateway end to end: real `switchyard serve` and `switchyard mock`
// processes on 127.0.0.1. A failure before the first content token falls back without the client
// noticing; after it, the stream ends with an error event in the client's format and the failure
// counts against the deployment; tool calls stream across formats; a client that goes away
// cancels the upstream call.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "chat_client.h"
#include "harness.h"
#include "raw_client.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

// The primary's reply: 8 words, streamed 2 words a chunk, so "the first 2 content chunks" are
// exactly kPrimaryFirstChunks.
constexpr std::string_view kPrimaryReply = "alpha bravo charlie delta echo foxtrot golf hotel";
constexpr std::string_view kPrimaryFirstChunks = "alpha bravo charlie delta";
constexpr std::string_view kBackupReply = "Hello from the fallback deployment";

// One failing Anthropic-format deployment per client format (cooldowns are per deployment), each
// falling back to the same OpenAI-format group. allowed_fails 0: one failure cools it down.
struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  explicit Stack(const std::string& mock_yaml, const std::string& model_list, const std::string& fallbacks = "") {
    mock = start_mock(mock_yaml);
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    std::string cfg = model_list;
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
    for (auto at = cfg.find("$BASE"); at != std::string::npos; at = cfg.find("$BASE")) cfg.replace(at, 5, base);
    cfg = "model_list:\n" + cfg +
          "router_settings:\n"
          "  num_retries: 0\n"
          "  allowed_fails: 0\n"
          "  cooldown_time: 60\n" +
          (fallbacks.empty() ? "" : "  fallbacks:\n" + fallbacks);
    const auto file = write_temp_file("streaming-" + std::to_string(mock.port) + ".yaml", cfg);
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  // Both processes exit 0 on SIGTERM: under the sanitizer build that also means no report.
  void expect_clean_exit() {
    EXPECT_EQ(gateway->stop(), 0) << gateway->output();
    EXPECT_EQ(mock.process->stop(), 0) << mock.process->output();
  }

  json::object stats() const { return json::parse(request(mock.port, "GET", "/mock/stats").body).as_object(); }
  int calls(const std::string& model) const {
    const auto s = stats();
    const auto* m = s.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
  json::value last_body(const std::string& model) const { return stats().at("models").at(model).at("last_body"); }
};

// A stack whose primaries (one per client format) fail with `fault`.
Stack fault_stack(const std::string& fault) {
  const std::string mock_yaml = "models:\n"
                                "  claude-primary-openai: {fault: " + fault + ", reply: \"" + std::string(kPrimaryReply) + "\"}\n"
                                "  claude-primary-anthropic: {fault: " + fault + ", reply: \"" + std::string(kPrimaryReply) + "\"}\n"
                                "  gpt-backup: {reply: \"" + std::string(kBackupReply) + "\"}\n";
  return Stack(mock_yaml,
               "  - {model_name: primary-openai, litellm_params: {model: anthropic/claude-primary-openai, api_base: '$BASE', api_key: sk-ant-x}}\n"
               "  - {model_name: primary-anthropic, litellm_params: {model: anthropic/claude-primary-anthropic, api_base: '$BASE', api_key: sk-ant-x}}\n"
               "  - {model_name: backup, litellm_params: {model: openai_compatible/gpt-backup, api_base: '$BASE/v1'}}\n",
               "    - primary-openai: [backup]\n"
               "    - primary-anthropic: [backup]\n");
}

HttpResult post(const Stack& s, Client c, const std::string& body) { return post_chat(s.port, c, body); }

// a), b): the primary fails before its first content token; the client sees only the fallback.
void expect_invisible_fallback(const std::string& fault) {
  auto s = fault_stack(fault);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c) + " client");
    const auto r = post(s, c, chat_body(c, "primary-" + name(c), true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    EXPECT_EQ(r.header("x-switchyard-attempts"), "2");
    EXPECT_EQ(r.header("x-switchyard-fallback-path"), "primary-" + name(c) + ",backup");
    EXPECT_EQ(r.header("x-switchyard-model-group"), "backup");
    const auto got = read_stream(c, r);
    EXPECT_FALSE(got.error) << r.body;
    EXPECT_EQ(got.text, kBackupReply);
    EXPECT_EQ(got.finish, c == Client::openai ? "stop" : "end_turn");
    EXPECT_TRUE(got.done) << r.body;
    if (c == Client::openai) {
      EXPECT_EQ(got.events.back().data, "[DONE]");
    } else {
      EXPECT_EQ(got.events.back().event, "message_stop");
    }
    EXPECT_EQ(s.calls("claude-primary-" + name(c)), 1);
  }
  EXPECT_EQ(s.calls("gpt-backup"), 2);
  s.expect_clean_exit();
}

TEST(Streaming, ErrorEventBeforeContentFallsBackInvisibly) { expect_invisible_fallback("stream_error_before_content"); }
TEST(Streaming, DroppedConnectionBeforeContentFallsBackInvisibly) { expect_invisible_fallback("stream_drop_before_content"); }

// c), d): the primary fails after content reached the client: no fallback, a well-formed error
// event ends the stream, and the failure cools the deployment down for the next request.
void expect_error_event_after_content(const std::string& fault, const std::string& error_class) {
  auto s = fault_stack(fault);
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c) + " client");
    const std::string group = "primary-" + name(c);
    const auto r = post(s, c, chat_body(c, group, true));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-attempts"), "1");
    EXPECT_EQ(r.header("x-switchyard-model-group"), group);
    const auto got = read_stream(c, r);
    EXPECT_EQ(got.text, kPrimaryFirstChunks) << r.body;
    ASSERT_TRUE(got.error) << r.body;
    EXPECT_TRUE(got.error_is_last) << "nothing may follow the error event: " << r.body;
    EXPECT_FALSE(got.done) << "a failed stream must not look complete: " << r.body;
    const std::string message(got.error->at("message").as_string());
    EXPECT_NE(message.find(error_class), std::string::npos) << message;
    if (c == Client::openai) {
      EXPECT_EQ(json::value_to<std::string>(got.error->at("code")), error_class);
      EXPECT_TRUE(got.error->at("type").is_string());
      EXPECT_EQ(r.body.find("[DONE]"), std::string::npos);
    } else {
      EXPECT_EQ(got.events.back().event, "error");
      EXPECT_EQ(got.error->at("type"), error_class == "overloaded" ? "overloaded_error" : "api_error");
    }
    EXPECT_EQ(s.calls("gpt-backup"), 0) << "the fallback must not be called once content went out";

    // The failure counted (allowed_fails 0): the next request skips the primary altogether.
    const auto next = post(s, c, chat_body(c, group, true));
    ASSERT_EQ(next.status, 200) << next.body;
    EXPECT_EQ(next.header("x-switchyard-attempts"), "1");
    EXPECT_EQ(next.header("x-switchyard-model-group"), "backup");
    const auto again = read_stream(c, next);
    EXPECT_EQ(again.text, kBackupReply);
    EXPECT_FALSE(again.error);
    EXPECT_EQ(s.calls("claude-primary-" + name(c)), 1);
    EXPECT_EQ(s.calls("gpt-backup"), 1);
    ASSERT_EQ(request(s.mock.port, "POST", "/mock/reset").status, 200);
  }
  s.expect_clean_exit();
}

TEST(Streaming, ErrorEventAfterContentEndsTheClientStreamWithAnErrorEvent) {
  expect_error_event_after_content("stream_error_after_content", "overloaded");
}
TEST(Streaming, DroppedConnectionAfterContentEndsTheClientStreamWithAnErrorEvent) {
  expect_error_event_after_content("stream_drop_after_content", "connection");
}

// e), f): tool calls across formats. Tools are declared in the client's format; the upstream of
// the other format must receive them translated, and answer with the mock's tool call.
const char* kToolMock = R"(models:
  claude-tools: {tool_call: {name: get_weather, arguments: {city: Paris, units: celsius}}}
  gpt-tools: {tool_call: {name: get_weather, arguments: {city: Paris, units: celsius}}}
)";
const json::object kArguments{{"city", "Paris"}, {"units", "celsius"}};
const json::object kSchema{{"type", "object"},
                           {"properties", {{"city", {{"type", "string"}}}, {"units", {{"type", "string"}}}}},
                           {"required", json::array{"city"}}};

// OpenAI client → Anthropic upstream (tools-anthropic); Anthropic client → OpenAI upstream (tools-openai).
Stack tool_stack() {
  return Stack(kToolMock,
               "  - {model_name: tools-anthropic, litellm_params: {model: anthropic/claude-tools, api_base: '$BASE', api_key: sk-ant-x}}\n"
               "  - {model_name: tools-openai, litellm_params: {model: openai_compatible/gpt-tools, api_base: '$BASE/v1'}}\n");
}

json::object tools_for(Client c) {
  if (c == Client::openai)
    return {{"tools", json::array{{{"type", "function"},
                                   {"function", {{"name", "get_weather"}, {"description", "Weather in a city"}, {"parameters", kSchema}}}}}},
            {"tool_choice", "required"}};
  return {{"tools", json::array{{{"name", "get_weather"}, {"description", "Weather in a city"}, {"input_schema", kSchema}}}},
          {"tool_choice", {{"type", "any"}}}};
}

std::string group_for(Client c) { return c == Client::openai ? "tools-anthropic" : "tools-openai"; }
std::string upstream_model_for(Client c) { return c == Client::openai ? "claude-tools" : "gpt-tools"; }

// The upstream (the other format) received the client's tools translated.
void expect_tools_translated(const Stack& s, Client c) {
  const auto body = s.last_body(upstream_model_for(c));
  const auto& tools = body.at("tools").as_array();
  ASSERT_EQ(tools.size(), 1u) << json::serialize(body);
  if (c == Client::openai) {  // Anthropic upstream
    EXPECT_EQ(tools[0].at("name"), "get_weather");
    EXPECT_EQ(tools[0].at("input_schema"), kSchema);
    EXPECT_EQ(body.at("tool_choice").at("type"), "any") << json::serialize(body);
  } else {  // OpenAI upstream
    EXPECT_EQ(tools[0].at("type"), "function");
    EXPECT_EQ(tools[0].at("function").at("name"), "get_weather");
    EXPECT_EQ(tools[0].at("function").at("parameters"), kSchema);
    EXPECT_EQ(body.at("tool_choice"), "required") << json::serialize(body);
  }
}

TEST(Streaming, ToolCallsStreamAcrossFormatsBothWays) {
  auto s = tool_stack();
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c) + " client");
    const auto r = post(s, c, chat_body(c, group_for(c), true, tools_for(c)));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto got = read_stream(c, r);
    EXPECT_FALSE(got.error) << r.body;
    EXPECT_TRUE(got.done) << r.body;
    EXPECT_EQ(got.tool_calls, 1) << r.body;
    EXPECT_EQ(got.tool_name, "get_weather");
    EXPECT_FALSE(got.tool_id.empty());
    boost::system::error_code ec;
    const auto args = json::parse(got.tool_arguments, ec);
    ASSERT_FALSE(ec) << "arguments reassembled from fragments: " << got.tool_arguments;
    EXPECT_EQ(args, kArguments);
    EXPECT_EQ(got.finish, c == Client::openai ? "tool_calls" : "tool_use");
    EXPECT_TRUE(got.text.empty()) << got.text;
    expect_tools_translated(s, c);
  }
  s.expect_clean_exit();
}

TEST(Streaming, NonStreamingToolCallsAndToolResultsTranslateBothWays) {
  auto s = tool_stack();
  // OpenAI client → Anthropic upstream.
  {
    SCOPED_TRACE("openai client");
    const auto r = post(s, Client::openai, chat_body(Client::openai, "tools-anthropic", false, tools_for(Client::openai)));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = json::parse(r.body);
    const auto& choice = j.at("choices").at(0);
    EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
    const auto& call = choice.at("message").at("tool_calls").at(0);
    EXPECT_EQ(call.at("type"), "function");
    EXPECT_TRUE(call.at("id").as_string().starts_with("toolu_mock_")) << call;
    EXPECT_EQ(call.at("function").at("name"), "get_weather");
    EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()), kArguments);
    expect_tools_translated(s, Client::openai);

    // The next turn: the assistant's tool call and the tool's result go back upstream.
    json::array messages{
        {{"role", "user"}, {"content", "Weather in Paris?"}},
        {{"role", "assistant"},
         {"content", nullptr},
         {"tool_calls", json::array{{{"id", "call_abc"},
                                     {"type", "function"},
                                     {"function", {{"name", "get_weather"}, {"arguments", json::serialize(kArguments)}}}}}}},
        {{"role", "tool"}, {"tool_call_id", "call_abc"}, {"content", "18 degrees and sunny"}}};
    auto extra = tools_for(Client::openai);
    extra["messages"] = std::move(messages);
    extra["tool_choice"] = "auto";
    ASSERT_EQ(post(s, Client::openai, chat_body(Client::openai, "tools-anthropic", false, extra)).status, 200);
    const auto sent = s.last_body("claude-tools");
    const auto& turns = sent.at("messages").as_array();
    ASSERT_EQ(turns.size(), 3u) << json::serialize(sent);
    EXPECT_EQ(turns[1].at("role"), "assistant");
    const auto& use = turns[1].at("content").as_array().back();
    EXPECT_EQ(use.at("type"), "tool_use");
    EXPECT_EQ(use.at("id"), "call_abc");
    EXPECT_EQ(use.at("name"), "get_weather");
    EXPECT_EQ(use.at("input"), kArguments);
    EXPECT_EQ(turns[2].at("role"), "user");  // Anthropic carries tool results in a user turn
    const auto& result = turns[2].at("content").at(0);
    EXPECT_EQ(result.at("type"), "tool_result");
    EXPECT_EQ(result.at("tool_use_id"), "call_abc");
    const auto& content = result.at("content");
    const std::string text(content.is_string() ? content.as_string() : content.at(0).at("text").as_string());
    EXPECT_EQ(text, "18 degrees and sunny");
    EXPECT_EQ(sent.at("tool_choice").at("type"), "auto");
  }
  // Anthropic client → OpenAI upstream.
  {
    SCOPED_TRACE("anthropic client");
    const auto r = post(s, Client::anthropic, chat_body(Client::anthropic, "tools-openai", false, tools_for(Client::anthropic)));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto j = json::parse(r.body);
    EXPECT_EQ(j.at("stop_reason"), "tool_use");
    const auto& block = j.at("content").as_array().back();
    EXPECT_EQ(block.at("type"), "tool_use");
    EXPECT_TRUE(block.at("id").as_string().starts_with("call_mock_")) << block;
    EXPECT_EQ(block.at("name"), "get_weather");
    EXPECT_EQ(block.at("input"), kArguments);
    expect_tools_translated(s, Client::anthropic);

    json::array messages{
        {{"role", "user"}, {"content", "Weather in Paris?"}},
        {{"role", "assistant"},
         {"content", json::array{{{"type", "text"}, {"text", "Let me check."}},
                                 {{"type", "tool_use"}, {"id", "toolu_abc"}, {"name", "get_weather"}, {"input", kArguments}}}}},
        {{"role", "user"},
         {"content", json::array{{{"type", "tool_result"}, {"tool_use_id", "toolu_abc"}, {"content", "18 degrees and sunny"}}}}}};
    auto extra = tools_for(Client::anthropic);
    extra["messages"] = std::move(messages);
    extra["tool_choice"] = {{"type", "auto"}};
    ASSERT_EQ(post(s, Client::anthropic, chat_body(Client::anthropic, "tools-openai", false, extra)).status, 200);
    const auto sent = s.last_body("gpt-tools");
    const auto& turns = sent.at("messages").as_array();
    ASSERT_EQ(turns.size(), 3u) << json::serialize(sent);
    EXPECT_EQ(turns[1].at("role"), "assistant");
    EXPECT_EQ(turns[1].at("content"), "Let me check.");
    const auto& call = turns[1].at("tool_calls").at(0);
    EXPECT_EQ(call.at("id"), "toolu_abc");
    EXPECT_EQ(call.at("type"), "function");
    EXPECT_EQ(call.at("function").at("name"), "get_weather");
    EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()), kArguments);
    EXPECT_EQ(turns[2].at("role"), "tool");
    EXPECT_EQ(turns[2].at("tool_call_id"), "toolu_abc");
    EXPECT_EQ(turns[2].at("content"), "18 degrees and sunny");
    EXPECT_EQ(sent.at("tool_choice"), "auto");
  }
  s.expect_clean_exit();
}

// g): a client that goes away mid-stream makes the gateway close the upstream connection.
TEST(Streaming, ClientDisconnectCancelsTheUpstreamStream) {
  std::string long_reply;
  for (int i = 0; i < 200; ++i) long_reply += (i ? " word" : "word") + std::to_string(i);
  auto s = Stack("models:\n  slow-model: {chunk_delay_ms: 200, reply: \"" + long_reply + "\"}\n",
                 "  - {model_name: slow, litellm_params: {model: openai_compatible/slow-model, api_base: '$BASE/v1'}}\n");
  const auto body = chat_body(Client::openai, "slow", true);
  {
    RawClient sock(s.port);
    ASSERT_TRUE(sock.connected());
    ASSERT_TRUE(sock.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
    std::string got;
    ASSERT_TRUE(sock.read_until("word0", got)) << got;  // the first content token reached us
    EXPECT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  }  // closed mid-stream; the whole answer would take 25 chunks × 200 ms

  const auto closed_at = std::chrono::steady_clock::now();
  const auto deadline = closed_at + std::chrono::milliseconds(2500);
  std::uint64_t aborted = 0;
  while ((aborted = s.stats().at("aborted_streams").to_number<std::uint64_t>()) == 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // bounded by the deadline
  EXPECT_EQ(aborted, 1u) << "the mock never saw the upstream connection close early";
  EXPECT_LT(std::chrono::steady_clock::now() - closed_at, std::chrono::milliseconds(2500));

  // The gateway keeps serving.
  EXPECT_EQ(request(s.port, "GET", "/health/liveliness").status, 200);
  EXPECT_EQ(request(s.mock.port, "PUT", "/mock/models/slow-model", R"({"reply":"quick"})").status, 200);
  const auto r = request(s.port, "POST", "/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(read_stream(Client::openai, r).text, "quick");
  EXPECT_TRUE(s.gateway->running());
  s.expect_clean_exit();
}

// Issue 4: a client that hangs up while a NON-streaming request waits on the upstream cancels
// the upstream call too (the mock sees its caller hang up mid-think), and the deployment is not
// blamed for it: the next request goes to the same deployment without a cooldown.
TEST(Streaming, ClientDisconnectCancelsANonStreamingUpstreamCall) {
  auto s = Stack("models:\n  thinker: {latency_ms: 5000, reply: \"pondered\"}\n",
                 "  - {model_name: slow, litellm_params: {model: openai_compatible/thinker, api_base: '$BASE/v1'}}\n");
  for (const bool stream : {false, true}) {
    request(s.mock.port, "POST", "/mock/reset");
    const auto body = chat_body(Client::openai, "slow", stream);
    {
      RawClient sock(s.port);
      ASSERT_TRUE(sock.connected());
      ASSERT_TRUE(sock.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                "x-request-id: hung-up-" + std::to_string(stream) + "\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body));
      // Wait until the gateway's call reached the mock, then hang up.
      const auto reached = std::chrono::steady_clock::now() + std::chrono::seconds(3);
      while (s.stats().at("total").to_number<std::uint64_t>() == 0 && std::chrono::steady_clock::now() < reached)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ASSERT_EQ(s.stats().at("total").to_number<std::uint64_t>(), 1u) << "stream=" << stream;
    }
    const auto closed_at = std::chrono::steady_clock::now();
    std::uint64_t abandoned = 0;
    while ((abandoned = s.stats().at("abandoned_calls").to_number<std::uint64_t>()) == 0 &&
           std::chrono::steady_clock::now() < closed_at + std::chrono::milliseconds(2500))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(abandoned, 1u) << "stream=" << stream << ": the upstream call outlived its client";
    EXPECT_LT(std::chrono::steady_clock::now() - closed_at, std::chrono::milliseconds(1000)) << "stream=" << stream;
    // Logged as the client's doing (nginx's 499), and no longer in flight.
    const auto id = "hung-up-" + std::to_string(stream);
    ASSERT_TRUE(s.gateway->wait_for_line(id)) << s.gateway->output();
    const auto output = s.gateway->output();
    const auto at = output.find(id);
    const auto line = output.substr(at, output.find('\n', at) - at);
    EXPECT_NE(line.find("status=499"), std::string::npos) << line;
    EXPECT_TRUE(eventually([&] {
      return request(s.port, "GET", "/metrics").body.find("\nswitchyard_in_flight_requests 0\n") != std::string::npos;
    })) << request(s.port, "GET", "/metrics").body;
  }
  // Not the deployment's fault: with allowed_fails 0 (Stack) a counted failure would cool it down.
  EXPECT_EQ(request(s.mock.port, "PUT", "/mock/models/thinker", R"({"reply":"quick"})").status, 200);
  const auto r = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "slow", false));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(s.gateway->running());
  s.expect_clean_exit();
}

}  // namespace
}  // namespace switchyard::testing
