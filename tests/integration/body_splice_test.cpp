// Same-format request bodies reach the provider as the client's own bytes with only the gateway's
// edits spliced in (providers/body_splice.h, issue 15): through the real gateway and mock, the
// upstream body keeps the client's spacing, escapes and number spelling, carries the deployment's
// model, and lacks the routing controls and the stream flag of a non-streamed call.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "harness.h"
#include "providers/chat_call.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  Stack() {
    mock = start_mock("models:\n  gpt-plain: {reply: \"from openai\"}\n  claude-direct: {reply: \"from claude\"}\n");
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    const std::string base = "http://127.0.0.1:" + std::to_string(mock.port);
    auto started = start_gateway(
        "model_list:\n"
        "  - {model_name: gpt, litellm_params: {model: openai/gpt-plain, api_base: '" + base + "/v1', api_key: sk-x}}\n"
        "  - {model_name: claude, litellm_params: {model: anthropic/claude-direct, api_base: '" + base + "', api_key: sk-ant-x}}\n");
    gateway = std::move(started.process);
    port = started.port;
  }
  json::object model_stats(std::string_view model) const {
    return json::parse(request(mock.port, "GET", "/mock/stats").body).at("models").at(model).as_object();
  }
};

// Long enough to be spliced (providers::kSpliceMinBytes; each test asserts its body is).
const std::string kHistory =
    R"({"role": "user", "content": "Tell me about \"quotes\", back\\slashes, caf\u00e9 and \ud83d\ude00 {\"model\": \"x\"}."},)"
    R"( {"role": "assistant", "content": "Sure: the \"model\" key inside a string is only text; so is this } ] , :"},)"
    R"( {"role": "user", "content": "And in an array?"}, {"role": "assistant", "content": "[\"model\", {\"stream\": true}] is text too."},)";

TEST(BodySplice, OpenAiClientBytesReachAnOpenAiDeploymentWithOnlyTheGatewaysEdits) {
  Stack s;
  const std::string body = "{ \"model\" : \"gpt\",\n  \"messages\": [" + kHistory +
                           R"( {"role": "user", "content": "And now?"}],
  "temperature": 0.50, "stream": false, "tags": ["team-a"], "metadata": {"tags": ["x"]},
  "response_format": {"type": "json_schema", "json_schema": {"name": "m", "schema": {"type": "object", "properties": {"model": {"type": "string"}}}}} })";
  ASSERT_GE(body.size(), providers::kSpliceMinBytes);
  const auto r = request(s.port, "POST", "/v1/chat/completions", body, {{"content-type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto sent = s.model_stats("gpt-plain");
  const std::string expected = R"({"model":"gpt-plain","messages":[)" + kHistory +
                               R"( {"role": "user", "content": "And now?"}],"temperature":0.50,"response_format":{"type": "json_schema", "json_schema": {"name": "m", "schema": {"type": "object", "properties": {"model": {"type": "string"}}}}}})";
  EXPECT_EQ(sent.at("last_body_text").as_string(), expected);
  // The same value the DOM path would send: routing controls and stream:false gone, model set.
  auto dom = json::parse(body).as_object();
  dom.erase("tags");
  dom.erase("metadata");
  dom.erase("stream");
  dom["model"] = "gpt-plain";
  EXPECT_EQ(sent.at("last_body"), json::value(dom));
}

TEST(BodySplice, AnthropicClientBytesReachAnAnthropicDeploymentKeepingOnlyUserIdInMetadata) {
  Stack s;
  const std::string body = R"({"model": "claude", "max_tokens": 64, "metadata": {"user_id": "u-1", "tags": ["t"]},
  "system": "Be \"brief\".", "messages": [)" + kHistory + R"( {"role": "user", "content": "And now?"}]})";
  ASSERT_GE(body.size(), providers::kSpliceMinBytes);
  const auto r = request(s.port, "POST", "/v1/messages", body,
                         {{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(r.status, 200) << r.body;
  const auto sent = s.model_stats("claude-direct");
  const std::string expected = R"({"model":"claude-direct","max_tokens":64,"metadata":{"user_id":"u-1"},"system":"Be \"brief\".","messages":[)" +
                               kHistory + R"( {"role": "user", "content": "And now?"}]})";
  EXPECT_EQ(sent.at("last_body_text").as_string(), expected);
}

// Below kSpliceMinBytes the body is written from the shaped probe and the client's DOM: the same
// bytes the DOM path serialises (compact, Boost.JSON's number spelling), the controls gone.
TEST(BodySplice, SmallOpenAiBodiesAreSentAsTheDomPathWritesThem) {
  Stack s;
  const std::string body = R"({ "model" : "gpt", "messages": [{"role": "user", "content": "caf\u00e9 \"q\"\n"}],
  "temperature": 0.50, "stream": false, "tags": ["team-a"], "max_tokens": 7 })";
  ASSERT_LT(body.size(), providers::kSpliceMinBytes);
  const auto r = request(s.port, "POST", "/v1/chat/completions", body, {{"content-type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.model_stats("gpt-plain").at("last_body_text").as_string(),
            "{\"model\":\"gpt-plain\",\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9 \\\"q\\\"\\n\"}],"
            "\"temperature\":5E-1,\"max_tokens\":7}");
}

}  // namespace
}  // namespace switchyard::testing
