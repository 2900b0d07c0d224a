// `switchyard mock` driven over real sockets: replies and streams in both wire formats, every
// fault's status and body (checked against the classifier, so the mock fails the way providers
// fail), scripts, runtime changes, stats, transport faults and config errors.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/asio/error.hpp>
#include <fstream>
#include <iterator>
#include <thread>

#include "errors/classifier.h"
#include "harness.h"
#include "mock/behaviour.h"
#include "mock/fault_bodies.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

constexpr std::string_view kAnthropicPath = "/v1/messages";
constexpr std::string_view kOpenAiPath = "/v1/chat/completions";
constexpr std::chrono::milliseconds kHangClientTimeout{300};

std::string anthropic_body(std::string_view model, bool stream = false) {
  return json::serialize(json::object{{"model", model},
                                      {"max_tokens", 64},
                                      {"system", "be brief"},
                                      {"stream", stream},
                                      {"messages", json::array{json::object{{"role", "user"},
                                                                            {"content", "say hello please"}}}}});
}

std::string openai_body(std::string_view model, bool stream = false, bool include_usage = false) {
  json::object o{{"model", model},
                 {"stream", stream},
                 {"messages", json::array{json::object{{"role", "user"}, {"content", "say hello please"}}}}};
  if (include_usage) o["stream_options"] = {{"include_usage", true}};
  return json::serialize(o);
}

json::value parse(const std::string& s) { return json::parse(s); }

class MockTest : public ::testing::Test {
 protected:
  void start(std::string_view config = {}) {
    mock_ = start_mock(config);
    ASSERT_NE(mock_.port, 0) << mock_.process->output();
  }
  HttpResult post(std::string_view path, const std::string& body, const Headers& headers = {},
                  std::chrono::milliseconds timeout = kDefaultTimeout) {
    return request(mock_.port, "POST", path, body, headers, timeout);
  }
  HttpResult put_model(std::string_view name, std::string_view behaviour) {
    return request(mock_.port, "PUT", "/mock/models/" + std::string(name), behaviour);
  }
  json::object stats() { return parse(request(mock_.port, "GET", "/mock/stats").body).as_object(); }

  // A clean exit on SIGTERM also means no sanitizer report from the mock during the test.
  void TearDown() override {
    if (mock_.process) {
      EXPECT_EQ(mock_.process->stop(), 0) << mock_.process->output();
    }
  }

  MockProcess mock_;
};

TEST_F(MockTest, RepliesInAnthropicMessagesFormat) {
  start();
  const auto r = post(kAnthropicPath, anthropic_body("claude-x"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = parse(r.body).as_object();
  EXPECT_TRUE(j.at("id").as_string().starts_with("msg_mock_"));
  EXPECT_EQ(j.at("type"), "message");
  EXPECT_EQ(j.at("role"), "assistant");
  EXPECT_EQ(j.at("model"), "claude-x");
  EXPECT_EQ(j.at("content").at(0).at("type"), "text");
  EXPECT_EQ(j.at("content").at(0).at("text"), "Hello from the mock");
  EXPECT_EQ(j.at("stop_reason"), "end_turn");
  EXPECT_TRUE(j.at("stop_sequence").is_null());
  EXPECT_EQ(j.at("usage").at("input_tokens").to_number<int>(), 5);  // "be brief" + "say hello please"
  EXPECT_EQ(j.at("usage").at("output_tokens").to_number<int>(), 4);
}

TEST_F(MockTest, RepliesInOpenAiFormatOnEveryChatCompletionsPath) {
  start("models:\n  dbx-model: {reply: \"from dbx\"}\n");
  const auto r = post(kOpenAiPath, openai_body("gpt-x"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto j = parse(r.body).as_object();
  EXPECT_TRUE(j.at("id").as_string().starts_with("chatcmpl-mock-"));
  EXPECT_EQ(j.at("object"), "chat.completion");
  EXPECT_GT(j.at("created").to_number<std::int64_t>(), 0);
  EXPECT_EQ(j.at("model"), "gpt-x");
  EXPECT_EQ(j.at("choices").at(0).at("message").at("role"), "assistant");
  EXPECT_EQ(j.at("choices").at(0).at("message").at("content"), "Hello from the mock");
  EXPECT_EQ(j.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_EQ(j.at("usage").at("prompt_tokens").to_number<int>(), 3);
  EXPECT_EQ(j.at("usage").at("completion_tokens").to_number<int>(), 4);
  EXPECT_EQ(j.at("usage").at("total_tokens").to_number<int>(), 7);

  const auto dbx = post("/serving-endpoints/chat/completions", openai_body("dbx-model"));
  ASSERT_EQ(dbx.status, 200);
  EXPECT_EQ(parse(dbx.body).at("choices").at(0).at("message").at("content"), "from dbx");

  // Azure names the deployment in the path and may send no model in the body.
  const auto azure = post("/openai/deployments/my-gpt4o/chat/completions?api-version=2024-08-01-preview",
                          R"({"messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(azure.status, 200) << azure.body;
  EXPECT_EQ(parse(azure.body).at("model"), "my-gpt4o");
}

// Which classifier provider reads a response in each wire format.
struct FormatCase {
  std::string_view path;
  core::Provider provider;
  mock::WireFormat format;
};
constexpr FormatCase kFormats[] = {
    {kAnthropicPath, core::Provider::anthropic, mock::WireFormat::anthropic},
    {kOpenAiPath, core::Provider::openai, mock::WireFormat::openai},
};

std::string call_body(const FormatCase& f, std::string_view model) {
  return f.format == mock::WireFormat::anthropic ? anthropic_body(model) : openai_body(model);
}

// For every fault × format: the mock answers with the table's status and body, and the gateway's
// classifier puts that answer in the class the fault is named after.
TEST_F(MockTest, EveryFaultAnswersTheProvidersRealErrorAndTheClassifierAgrees) {
  std::string config = "models:\n";
  for (const auto f : mock::all_faults())
    config += "  fault-" + std::string(mock::to_string(f)) + ": {fault: " + std::string(mock::to_string(f)) + "}\n";
  start(config);
  const errors::Classifier classifier;
  for (const auto& format : kFormats) {
    for (const auto f : mock::all_faults()) {
      const std::string name(mock::to_string(f));
      SCOPED_TRACE(name + " via " + std::string(format.path));
      const auto timeout = f == mock::Fault::hang ? kHangClientTimeout : kDefaultTimeout;
      const auto r = post(format.path, call_body(format, "fault-" + name), {}, timeout);

      errors::UpstreamError e;
      e.provider = format.provider;
      e.status = r.status;
      e.headers = r.headers;
      e.body = r.body;
      // A stream fault answers a non-streaming call like overloaded or connection_reset.
      const auto g = mock::non_streaming_fault(f);
      EXPECT_EQ(mock::is_stream_fault(f), g != f);
      std::string expected(mock::to_string(g));
      if (g == mock::Fault::ok || g == mock::Fault::close_after_answer) {
        EXPECT_EQ(r.status, 200);
        continue;
      } else if (g == mock::Fault::close_after_read) {
        EXPECT_EQ(r.error, boost::beast::http::error::end_of_stream) << r.error.message();
        e.transport_error = errors::TransportError::closed_early;
        expected = "connection";
      } else if (g == mock::Fault::connection_reset) {
        EXPECT_EQ(r.error, boost::asio::error::connection_reset) << r.error.message();
        e.transport_error = errors::TransportError::connection_reset;
        expected = "connection";
      } else if (g == mock::Fault::hang) {
        EXPECT_EQ(r.error, boost::beast::error::timeout) << r.error.message();
        e.transport_error = errors::TransportError::read_timeout;
        expected = "timeout";
      } else if (g == mock::Fault::garbage) {
        EXPECT_EQ(r.status, 200);
        boost::system::error_code ec;
        json::parse(r.body, ec);
        EXPECT_TRUE(ec) << "garbage must not parse as JSON";
        expected = "server_error";  // DESIGN.md: a garbage body is the server's fault
      } else {
        const auto* fb = mock::fault_body(g, format.format);
        ASSERT_NE(fb, nullptr);
        EXPECT_EQ(r.status, fb->status);
        EXPECT_EQ(r.body, fb->body);
        EXPECT_EQ(r.header("content-type"), fb->content_type);
      }
      const auto c = classifier.classify(e);
      EXPECT_EQ(errors::to_string(c.error_class), expected) << "rule " << c.rule << " on " << r.body;
    }
  }
}

// The bodies are the provider_errors.yaml cases they cite, byte for byte.
TEST(MockFaultBodies, AreTheCitedCasesOfTheProviderErrorTable) {
  const auto table = YAML::LoadFile((data_dir() / "provider_errors.yaml").string());
  int compared = 0;
  for (const auto f : mock::all_faults()) {
    for (const auto format : {mock::WireFormat::anthropic, mock::WireFormat::openai}) {
      const auto* fb = mock::fault_body(f, format);
      if (mock::is_http_error(f)) {
        ASSERT_NE(fb, nullptr) << mock::to_string(f);
      }
      if (fb == nullptr) continue;
      for (const auto& c : table["cases"]) {
        if (c["name"].as<std::string>() != fb->source) continue;
        EXPECT_EQ(c["status"].as<int>(), fb->status) << fb->source;
        EXPECT_EQ(c["body"].as<std::string>(), fb->body) << fb->source;
        ++compared;
      }
    }
  }
  EXPECT_GE(compared, 22);
}

TEST_F(MockTest, RateLimitCarriesRetryAfterFromTheConfig) {
  start("models:\n  limited: {fault: rate_limit, retry_after: 7}\n  plain: {fault: rate_limit}\n");
  auto r = post(kAnthropicPath, anthropic_body("limited"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("retry-after"), "7");
  r = post(kOpenAiPath, openai_body("plain"));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "1");
}

TEST_F(MockTest, ScriptAdvancesPerCallRepeatsItsLastStepAndRestartsOnReset) {
  start("models:\n  gpt-flaky: {script: [rate_limit, server_error, ok]}\n");
  HttpConnection c(mock_.port);
  const auto body = openai_body("gpt-flaky");
  EXPECT_EQ(c.request("POST", kOpenAiPath, body).status, 429);
  EXPECT_EQ(c.request("POST", kOpenAiPath, body).status, 500);
  EXPECT_EQ(c.request("POST", kOpenAiPath, body).status, 200);
  EXPECT_EQ(c.request("POST", kOpenAiPath, body).status, 200);
  EXPECT_EQ(c.request("POST", "/mock/reset", "").status, 200);
  EXPECT_EQ(c.request("POST", kOpenAiPath, body).status, 429);
}

TEST_F(MockTest, PutChangesAModelsBehaviourAtRuntime) {
  start();
  EXPECT_EQ(post(kOpenAiPath, openai_body("gpt-x")).status, 200);
  auto r = put_model("gpt-x", R"({"fault":"connection_reset"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(post(kOpenAiPath, openai_body("gpt-x")).error, boost::asio::error::connection_reset);
  ASSERT_EQ(put_model("gpt-x", R"({"reply":"back again","latency_ms":5})").status, 200);
  r = post(kOpenAiPath, openai_body("gpt-x"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(parse(r.body).at("choices").at(0).at("message").at("content"), "back again");

  EXPECT_EQ(put_model("gpt-x", R"({"fault":"no_such_fault"})").status, 400);
  EXPECT_EQ(put_model("gpt-x", R"({"latency":5})").status, 400);
  EXPECT_EQ(put_model("gpt-x", "not json").status, 400);
}

TEST_F(MockTest, MostSpecificMatchWinsPathPrefixThenModelThenDefault) {
  start(
      "models:\n"
      "  claude-opus-4-6: {reply: \"plain\"}\n"
      "  \"/no-credit|claude-opus-4-6\": {fault: quota_exhausted}\n"
      "  \"/no-credit/deeper|claude-opus-4-6\": {reply: \"deeper\"}\n"
      "  \"/edge|*\": {fault: overloaded}\n"
      "  other: {model: claude-opus-4-6, path_prefix: /fields, reply: \"fields\"}\n");
  const auto reply_of = [&](std::string_view path, std::string_view model) {
    const auto r = post(path, anthropic_body(model));
    return r.status == 200 ? std::string(parse(r.body).at("content").at(0).at("text").as_string())
                           : std::to_string(r.status);
  };
  EXPECT_EQ(reply_of("/v1/messages", "claude-opus-4-6"), "plain");
  EXPECT_EQ(reply_of("/no-credit/v1/messages", "claude-opus-4-6"), "400");
  EXPECT_EQ(reply_of("/no-credit/deeper/v1/messages", "claude-opus-4-6"), "deeper");
  EXPECT_EQ(reply_of("/fields/v1/messages", "claude-opus-4-6"), "fields");
  EXPECT_EQ(reply_of("/edge/v1/messages", "anything"), "529");
  EXPECT_EQ(reply_of("/edge/v1/messages", "claude-opus-4-6"), "plain");  // an exact model beats "*"
  EXPECT_EQ(reply_of("/v1/messages", "unknown"), "Hello from the mock");

  // A runtime change can target one prefix, with the key percent-encoded.
  ASSERT_EQ(put_model("%2Fv9%7Cclaude-opus-4-6", R"({"fault":"not_found"})").status, 200);
  EXPECT_EQ(reply_of("/v9/v1/messages", "claude-opus-4-6"), "404");
  EXPECT_EQ(reply_of("/v1/messages", "claude-opus-4-6"), "plain");
}

TEST_F(MockTest, StatsCountCallsPerModelAndKeepTheLastRequest) {
  start("models:\n  broken: {fault: server_error}\n");
  const Headers anthropic_auth{{"x-api-key", "sk-ant-test"}, {"anthropic-version", "2023-06-01"}};
  ASSERT_EQ(post("/no-credit/v1/messages", anthropic_body("claude-a"), anthropic_auth).status, 200);
  ASSERT_EQ(post(kOpenAiPath, openai_body("broken"), {{"Authorization", "Bearer sk-1"}}).status, 500);
  ASSERT_EQ(post(kOpenAiPath, openai_body("broken"), {{"api-key", "azure-key"}}).status, 500);

  auto s = stats();
  EXPECT_EQ(s.at("total").to_number<int>(), 3);
  const auto& a = s.at("models").at("claude-a");
  EXPECT_EQ(a.at("calls").to_number<int>(), 1);
  EXPECT_EQ(a.at("last_path"), "/no-credit/v1/messages");
  EXPECT_EQ(a.at("last_headers").at("x-api-key"), "sk-ant-test");
  EXPECT_EQ(a.at("last_headers").at("anthropic-version"), "2023-06-01");
  EXPECT_EQ(a.at("last_body").at("max_tokens").to_number<int>(), 64);
  const auto& b = s.at("models").at("broken");
  EXPECT_EQ(b.at("calls").to_number<int>(), 2);
  EXPECT_EQ(b.at("calls_by_path").at(kOpenAiPath).to_number<int>(), 2);
  EXPECT_EQ(b.at("last_headers").at("api-key"), "azure-key");
  EXPECT_FALSE(b.at("last_headers").as_object().contains("authorization"));

  ASSERT_EQ(request(mock_.port, "POST", "/mock/reset").status, 200);
  s = stats();
  EXPECT_EQ(s.at("total").to_number<int>(), 0);
  EXPECT_TRUE(s.at("models").as_object().empty());
}

TEST_F(MockTest, StreamsOpenAiChunksThenDone) {
  start("models:\n  streamer: {reply: \"one two three four five six seven\", chunk_delay_ms: 1}\n");
  for (const bool include_usage : {false, true}) {
    SCOPED_TRACE(include_usage ? "include_usage" : "no usage");
    const auto r = post(kOpenAiPath, openai_body("streamer", true, include_usage));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/event-stream");
    const auto events = parse_sse(r.body);
    ASSERT_GE(events.size(), 4u);
    EXPECT_EQ(events.back().data, "[DONE]");
    std::string text;
    std::string finish;
    bool saw_usage = false;
    for (std::size_t i = 0; i + 1 < events.size(); ++i) {
      EXPECT_TRUE(events[i].event.empty());
      const auto chunk = parse(events[i].data).as_object();
      EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
      EXPECT_EQ(chunk.at("model"), "streamer");
      if (const auto* u = chunk.if_contains("usage"); u && !u->is_null()) {
        saw_usage = true;
        EXPECT_TRUE(chunk.at("choices").as_array().empty());
        EXPECT_EQ(u->at("completion_tokens").to_number<int>(), 7);
        EXPECT_EQ(u->at("total_tokens").to_number<int>(), 10);
        continue;
      }
      const auto& choice = chunk.at("choices").at(0).as_object();
      if (const auto* c = choice.at("delta").as_object().if_contains("content")) text += c->as_string();
      if (!choice.at("finish_reason").is_null()) finish = choice.at("finish_reason").as_string();
    }
    EXPECT_EQ(text, "one two three four five six seven");
    EXPECT_EQ(finish, "stop");
    EXPECT_EQ(saw_usage, include_usage);
    EXPECT_EQ(events.size(), include_usage ? 8u : 7u);  // role, 4 text chunks, finish, [usage], DONE
  }
}

TEST_F(MockTest, StreamsAnthropicEventsInTheDocumentedOrder) {
  start("models:\n  streamer: {reply: \"one two three four five\"}\n");
  const auto r = post(kAnthropicPath, anthropic_body("streamer", true));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/event-stream");
  const auto events = parse_sse(r.body);
  std::vector<std::string> names;
  std::string text;
  for (const auto& e : events) {
    const auto data = parse(e.data).as_object();
    EXPECT_EQ(data.at("type").as_string(), e.event);  // the event name repeats the data's type
    if (names.empty() || names.back() != e.event) names.push_back(e.event);
    if (e.event == "message_start") {
      EXPECT_EQ(data.at("message").at("model"), "streamer");
      EXPECT_EQ(data.at("message").at("usage").at("input_tokens").to_number<int>(), 5);
    }
    if (e.event == "content_block_delta") {
      EXPECT_EQ(data.at("delta").at("type"), "text_delta");
      text += data.at("delta").at("text").as_string();
    }
    if (e.event == "message_delta") {
      EXPECT_EQ(data.at("delta").at("stop_reason"), "end_turn");
      EXPECT_EQ(data.at("usage").at("output_tokens").to_number<int>(), 5);
    }
  }
  const std::vector<std::string> expected{"message_start", "content_block_start", "ping", "content_block_delta",
                                          "content_block_stop", "message_delta", "message_stop"};
  EXPECT_EQ(names, expected);
  EXPECT_EQ(text, "one two three four five");
}

// The stream faults, per wire format: a 200 event stream cut before or after the first content,
// ending with the provider's real mid-stream error event or an RST.
TEST_F(MockTest, StreamFaultsCutTheStreamBeforeOrAfterContent) {
  start(
      "models:\n"
      "  err-before: {fault: stream_error_before_content, reply: \"one two three four five six seven eight\"}\n"
      "  err-after: {fault: stream_error_after_content, reply: \"one two three four five six seven eight\"}\n"
      "  drop-before: {fault: stream_drop_before_content}\n"
      "  drop-after: {fault: stream_drop_after_content, reply: \"one two three four five six seven eight\"}\n");
  const auto text_of = [](const std::vector<SseEvent>& events) {
    std::string text;
    for (const auto& e : events) {
      if (e.data == "[DONE]") continue;
      const auto d = parse(e.data).as_object();
      if (const auto* delta = d.if_contains("delta"); delta && delta->as_object().contains("text"))
        text += delta->at("text").as_string();
      if (const auto* choices = d.if_contains("choices"))
        for (const auto& c : choices->as_array())
          if (const auto* t = c.at("delta").as_object().if_contains("content"); t && t->is_string()) text += t->as_string();
    }
    return text;
  };
  for (const auto& format : kFormats) {
    const bool anthropic = format.format == mock::WireFormat::anthropic;
    SCOPED_TRACE(std::string(format.path));
    const auto body = [&](std::string_view model) {
      return anthropic ? anthropic_body(model, true) : openai_body(model, true);
    };
    for (const std::string model : {"err-before", "err-after"}) {
      SCOPED_TRACE(model);
      const auto r = post(format.path, body(model));
      ASSERT_EQ(r.status, 200) << r.error.message();
      EXPECT_EQ(r.header("content-type"), "text/event-stream");
      const auto events = parse_sse(r.body);
      ASSERT_GE(events.size(), 2u) << r.body;
      // The opening event first, the error event last.
      if (anthropic) {
        EXPECT_EQ(events.front().event, "message_start");
        EXPECT_EQ(events.back().event, "error");
        EXPECT_EQ(events.back().data,
                  R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
      } else {
        EXPECT_EQ(parse(events.front().data).at("choices").at(0).at("delta").at("role"), "assistant");
        EXPECT_TRUE(events.back().event.empty());
        EXPECT_EQ(events.back().data,
                  R"({"error":{"message":"The server had an error while processing your request. Sorry about that!",)"
                  R"("type":"server_error","param":null,"code":null}})");
      }
      if (model == "err-before") {
        EXPECT_EQ(events.size(), 2u) << r.body;
        EXPECT_EQ(text_of(events), "");
      } else {
        EXPECT_EQ(text_of(events), "one two three four");  // the first 2 content chunks
      }
      // The gateway's classifier reads Anthropic's event as overloaded; OpenAI's says server_error.
      errors::UpstreamError e;
      e.provider = format.provider;
      e.status = 200;
      e.body = events.back().data;
      EXPECT_EQ(errors::to_string(errors::Classifier().classify(e).error_class), anthropic ? "overloaded" : "server_error");
    }
    for (const std::string model : {"drop-before", "drop-after"}) {
      SCOPED_TRACE(model);
      const auto r = post(format.path, body(model));
      EXPECT_TRUE(r.error == boost::asio::error::connection_reset || r.error == boost::beast::http::error::partial_message)
          << r.error.message();
    }
    // Without `stream`, the faults answer like overloaded and connection_reset.
    const auto* overloaded = mock::fault_body(mock::Fault::overloaded, format.format);
    for (const std::string model : {"err-before", "err-after"}) {
      const auto r = post(format.path, call_body(format, model));
      EXPECT_EQ(r.status, overloaded->status);
      EXPECT_EQ(r.body, overloaded->body);
    }
    for (const std::string model : {"drop-before", "drop-after"})
      EXPECT_EQ(post(format.path, call_body(format, model)).error, boost::asio::error::connection_reset);
  }
}

// A raw client that reads the response head and hangs up: the mock's next writes fail and it
// counts an aborted stream.
TEST_F(MockTest, StatsCountStreamsTheClientAbandoned) {
  start("models:\n  slow: {reply: \"a b c d e f g h i j k l m n o p\", chunk_delay_ms: 50}\n");
  EXPECT_EQ(stats().at("aborted_streams").to_number<int>(), 0);
  {
    HttpResult r = post(kOpenAiPath, openai_body("slow", true), {}, std::chrono::milliseconds(60));
    EXPECT_FALSE(r.ok());  // gave up (timeout) mid-stream and closed the connection
  }
  const auto deadline = std::chrono::steady_clock::now() + kDefaultTimeout;
  while (stats().at("aborted_streams").to_number<int>() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);  // bounded by the deadline
  EXPECT_EQ(stats().at("aborted_streams").to_number<int>(), 1);
  ASSERT_EQ(request(mock_.port, "POST", "/mock/reset").status, 200);
  EXPECT_EQ(stats().at("aborted_streams").to_number<int>(), 0);
}

const char* kWithTools = R"({"model":"MODEL","max_tokens":64,"messages":[{"role":"user","content":"weather?"}],)"
                         R"("tools":[TOOL]STREAM})";

std::string tool_request(const FormatCase& f, std::string_view model, bool stream, bool with_tools = true) {
  std::string body = kWithTools;
  body.replace(body.find("MODEL"), 5, model);
  const std::string tool = f.format == mock::WireFormat::anthropic
                               ? R"({"name":"get_weather","input_schema":{"type":"object"}})"
                               : R"({"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}})";
  body.replace(body.find("TOOL"), 4, with_tools ? tool : "");
  body.replace(body.find("STREAM"), 6, stream ? R"(,"stream":true)" : "");
  return body;
}

TEST_F(MockTest, ToolCallAnswersRequestsThatDeclareToolsInBothFormats) {
  start("models:\n  tooly: {reply: \"plain text\", tool_call: {name: get_weather, arguments: {city: Paris, days: 3, \"note\": \"Zürich ✓\"}}}\n");
  const json::value args = {{"city", "Paris"}, {"days", 3}, {"note", "Zürich ✓"}};
  for (const auto& format : kFormats) {
    const bool anthropic = format.format == mock::WireFormat::anthropic;
    SCOPED_TRACE(std::string(format.path));
    // Whole.
    auto r = post(format.path, tool_request(format, "tooly", false));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = parse(r.body);
    if (anthropic) {
      EXPECT_EQ(j.at("stop_reason"), "tool_use");
      const auto& block = j.at("content").at(0);
      EXPECT_EQ(block.at("type"), "tool_use");
      EXPECT_TRUE(block.at("id").as_string().starts_with("toolu_mock_"));
      EXPECT_EQ(block.at("name"), "get_weather");
      EXPECT_EQ(block.at("input"), args);
    } else {
      const auto& choice = j.at("choices").at(0);
      EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
      EXPECT_TRUE(choice.at("message").at("content").is_null());
      const auto& call = choice.at("message").at("tool_calls").at(0);
      EXPECT_TRUE(call.at("id").as_string().starts_with("call_mock_"));
      EXPECT_EQ(call.at("type"), "function");
      EXPECT_EQ(call.at("function").at("name"), "get_weather");
      EXPECT_EQ(parse(std::string(call.at("function").at("arguments").as_string())), args);
    }
    // Streamed: the arguments arrive in fragments that only parse once joined.
    r = post(format.path, tool_request(format, "tooly", true));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto events = parse_sse(r.body);
    std::string arguments, name, finish;
    int fragments = 0;
    std::vector<std::string> names;
    for (const auto& e : events) {
      if (e.data == "[DONE]") continue;
      const auto d = parse(e.data).as_object();
      if (anthropic) {
        if (names.empty() || names.back() != e.event) names.push_back(e.event);
        if (e.event == "content_block_start") {
          EXPECT_EQ(d.at("content_block").at("type"), "tool_use");
          EXPECT_TRUE(d.at("content_block").at("input").as_object().empty());
          name = d.at("content_block").at("name").as_string();
        }
        if (e.event == "content_block_delta") {
          EXPECT_EQ(d.at("delta").at("type"), "input_json_delta");
          arguments += d.at("delta").at("partial_json").as_string();
          ++fragments;
        }
        if (e.event == "message_delta") finish = d.at("delta").at("stop_reason").as_string();
      } else {
        const auto& choice = d.at("choices").at(0);
        if (const auto* calls = choice.at("delta").as_object().if_contains("tool_calls")) {
          const auto& call = calls->at(0).as_object();
          EXPECT_EQ(call.at("index").to_number<int>(), 0);
          if (call.contains("id")) {
            EXPECT_TRUE(name.empty()) << "one first chunk";
            EXPECT_EQ(call.at("type"), "function");
            EXPECT_EQ(call.at("function").at("arguments"), "");
            EXPECT_EQ(choice.at("delta").at("role"), "assistant");
            name = call.at("function").at("name").as_string();
          }
          arguments += call.at("function").at("arguments").as_string();
          ++fragments;
        }
        if (choice.at("finish_reason").is_string()) finish = choice.at("finish_reason").as_string();
      }
    }
    EXPECT_EQ(name, "get_weather");
    EXPECT_GT(fragments, 2);
    EXPECT_EQ(parse(arguments), args);
    EXPECT_EQ(finish, anthropic ? "tool_use" : "tool_calls");
    if (anthropic) {
      const std::vector<std::string> expected{"message_start", "content_block_start", "ping", "content_block_delta",
                                              "content_block_stop", "message_delta", "message_stop"};
      EXPECT_EQ(names, expected);
    } else {
      EXPECT_EQ(events.back().data, "[DONE]");
    }
    // No tools declared (or tool_choice none): the text reply.
    r = post(format.path, tool_request(format, "tooly", false, false));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("plain text"), std::string::npos) << r.body;
  }
  const auto r = post(kOpenAiPath, R"({"model":"tooly","messages":[],"tool_choice":"none",)"
                                   R"("tools":[{"type":"function","function":{"name":"f"}}]})");
  EXPECT_EQ(parse(r.body).at("choices").at(0).at("message").at("content"), "plain text");
}

TEST_F(MockTest, ToolCallCanBeSetAtRuntimeAndIsValidated) {
  start();
  ASSERT_EQ(put_model("gpt-t", R"({"tool_call":{"name":"lookup","arguments":{"q":"x"}}})").status, 200);
  const auto r = post(kOpenAiPath, tool_request(kFormats[1], "gpt-t", false));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(parse(r.body).at("choices").at(0).at("message").at("tool_calls").at(0).at("function").at("arguments"),
            R"({"q":"x"})");
  EXPECT_EQ(put_model("gpt-t", R"({"tool_call":{"name":"lookup","arguments":"{}"}})").status, 400);
  EXPECT_EQ(put_model("gpt-t", R"({"tool_call":{"arguments":{}}})").status, 400);
  EXPECT_EQ(put_model("gpt-t", R"({"tool_call":{"name":"x","args":{}}})").status, 400);
  // The stream faults are ordinary fault names at runtime too.
  EXPECT_EQ(put_model("gpt-t", R"({"script":["stream_drop_after_content","ok"]})").status, 200);
}

TEST_F(MockTest, ConnectionResetIsATransportErrorNotAResponse) {
  start("models:\n  dead-model: {fault: connection_reset}\n");
  for (const auto& format : kFormats) {
    const auto r = post(format.path, call_body(format, "dead-model"));
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.error, boost::asio::error::connection_reset) << r.error.message();
  }
  EXPECT_EQ(stats().at("models").at("dead-model").at("calls").to_number<int>(), 2);
}

TEST_F(MockTest, HangKeepsTheConnectionOpenWithoutBlockingOtherCalls) {
  // One I/O thread: if a hanging call blocked it, the second call could not be answered.
  mock_ = start_mock("models:\n  stuck: {fault: hang}\n", {"--threads", "1"});
  ASSERT_NE(mock_.port, 0) << mock_.process->output();
  HttpResult hung;
  std::thread caller([&] { hung = post(kOpenAiPath, openai_body("stuck"), {}, 2 * kHangClientTimeout); });
  const auto deadline = std::chrono::steady_clock::now() + kDefaultTimeout;
  while (!stats().at("models").as_object().contains("stuck") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);  // bounded by the deadline
  const auto start_time = std::chrono::steady_clock::now();
  const auto r = post(kOpenAiPath, openai_body("gpt-x"));
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start_time, kHangClientTimeout);
  caller.join();
  EXPECT_EQ(hung.status, 0);
  EXPECT_EQ(hung.error, boost::beast::error::timeout) << hung.error.message();
}

TEST_F(MockTest, LatencyDelaysTheAnswer) {
  start("models:\n  slow-model: {reply: \"hi\", latency_ms: 200}\n");
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = post(kAnthropicPath, anthropic_body("slow-model"));
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 5s);
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(post(kAnthropicPath, anthropic_body("fast-model")).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t1, 200ms);
}

TEST_F(MockTest, KeepAliveConnectionServesManyCalls) {
  start();
  HttpConnection c(mock_.port);
  constexpr int kCalls = 200;
  int ok = 0;
  for (int i = 0; i < kCalls; ++i) ok += c.request("POST", kOpenAiPath, openai_body("loop")).status == 200;
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(stats().at("total").to_number<int>(), kCalls);
}

TEST_F(MockTest, RefusesUnparseableCallsAndUnknownPaths) {
  start();
  auto r = post(kAnthropicPath, "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(parse(r.body).at("error").at("type"), "invalid_request_error");
  r = post(kOpenAiPath, R"({"messages":[]})");  // no model, and no Azure deployment in the path
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(parse(r.body).at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(post("/v1/images/generations", openai_body("x")).status, 404);  // embeddings are served since issue 13
  EXPECT_EQ(request(mock_.port, "GET", "/health").status, 200);
  EXPECT_EQ(stats().at("total").to_number<int>(), 0);
}

TEST_F(MockTest, ExampleConfigServesTheQuickstartDeployments) {
  std::ifstream in(examples_dir() / "mock.yaml");
  start(std::string(std::istreambuf_iterator<char>(in), {}));
  auto r = post("/no-credit/v1/messages", anthropic_body("claude-opus-4-6"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Your credit balance is too low"), std::string::npos);
  r = post("/serving-endpoints/chat/completions", openai_body("databricks-claude-opus-4-6"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(parse(r.body).at("choices").at(0).at("message").at("content"), "Hello from Databricks (mock)");
  r = post("/v1/chat/completions", openai_body("claude-opus-4-6"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(stats().at("models").at("claude-opus-4-6").at("calls").to_number<int>(), 2);
}

TEST(MockProcessTest, ExitsZeroOnSigtermEvenWithACallHanging) {
  auto m = start_mock("models:\n  stuck: {fault: hang}\n");
  ASSERT_NE(m.port, 0) << m.process->output();
  EXPECT_EQ(request(m.port, "GET", "/health").status, 200);
  HttpResult hung;
  std::thread caller([&] { hung = request(m.port, "POST", "/v1/chat/completions", openai_body("stuck")); });
  const auto deadline = std::chrono::steady_clock::now() + kDefaultTimeout;
  while (request(m.port, "GET", "/mock/stats").body.find("stuck") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);  // bounded by the deadline
  EXPECT_EQ(m.process->stop(1s), 0) << m.process->output();  // 137 would mean it needed SIGKILL
  caller.join();
  EXPECT_EQ(hung.status, 0);  // the hanging call ends with the process, unanswered
}

// `replay:` answers with the given bytes on whatever path the call came: whole for a plain call,
// one SSE event per chunk for a stream (here an OpenAI body replayed on the Anthropic path: the
// mock does not reshape it).
TEST_F(MockTest, ReplayAnswersTheGivenBytesVerbatim) {
  start("models:\n"
        "  real-answer:\n"
        "    replay:\n"
        "      content_type: application/json\n"
        "      body: |-\n"
        "        {\"id\": \"chatcmpl-1\", \"choices\": []}\n"
        "  real-stream:\n"
        "    replay:\n"
        "      status: 200\n"
        "      content_type: text/event-stream\n"
        "      body: |\n"
        "        data: {\"a\":1}\n"
        "\n"
        "        data: [DONE]\n");
  const auto whole = post(kAnthropicPath, anthropic_body("real-answer"));
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(whole.body, R"({"id": "chatcmpl-1", "choices": []})");
  EXPECT_EQ(whole.header("content-type"), "application/json");
  const auto stream = post(kOpenAiPath, openai_body("real-stream", true));
  EXPECT_EQ(stream.status, 200);
  EXPECT_EQ(stream.body, "data: {\"a\":1}\n\ndata: [DONE]\n\n");
  EXPECT_EQ(stream.header("content-type"), "text/event-stream");
  // A streamed call of a JSON replay gets the JSON whole, as a provider answering without SSE.
  EXPECT_EQ(post(kOpenAiPath, openai_body("real-answer", true)).body, R"({"id": "chatcmpl-1", "choices": []})");
  const auto bad = put_model("x", R"({"replay":{"status":200}})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("'replay.body' is required"), std::string::npos) << bad.body;
}

TEST(MockProcessTest, BadConfigExitsOneNamingFileLineAndColumn) {
  const auto path = write_temp_file("bad-mock.yaml",
                                    "models:\n"
                                    "  ok-model: {reply: hi}\n"
                                    "  bad-model: {fault: quota_exhaustd}\n"
                                    "  other: {latency: 5}\n"
                                    "  tools: {tool_call: {name: f, arguments: [1, 2]}}\n"
                                    "  replayed: {replay: {status: 999, body: x}}\n");
  Process p({binary_path(), "mock", "--port", "0", "--config", path.string()});
  EXPECT_EQ(p.wait_for_exit(), 1);
  const auto out = p.output();
  EXPECT_NE(out.find(path.string() + ":3:22: unknown fault 'quota_exhaustd'"), std::string::npos) << out;
  EXPECT_NE(out.find(path.string() + ":4:11: models.other: unknown field 'latency'"), std::string::npos) << out;
  EXPECT_NE(out.find(path.string() + ":5:22: models.tools: 'tool_call.arguments' must be a JSON object"), std::string::npos)
      << out;
  EXPECT_NE(out.find(path.string() + ":6:22: models.replayed: 'replay.status' must be an HTTP status (100..599)"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("listening"), std::string::npos);

  const auto broken = write_temp_file("broken-mock.yaml", "models:\n  a: {fault: [ok\n");
  Process q({binary_path(), "mock", "--port", "0", "--config", broken.string()});
  EXPECT_EQ(q.wait_for_exit(), 1);
  EXPECT_NE(q.output().find(broken.string() + ":"), std::string::npos) << q.output();
  EXPECT_NE(q.output().find("invalid YAML"), std::string::npos) << q.output();
}

}  // namespace
}  // namespace switchyard::testing
