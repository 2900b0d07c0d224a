// The upstream client's answer parsing (AnswerParser) through the real gateway and mock: an
// error answer reaches the classifier with its body whether the request streams or not (a
// streamed request reads the error body whole after the head), and healthy answers on the same
// pooled connection follow. Which headers are kept is tested in unit/answer_parser_test.cpp.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace switchyard::testing {
namespace {

struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;
  Stack() {
    mock = start_mock("models:\n  limited: {fault: rate_limit}\n  fine: {reply: \"all good\"}\n");
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port) + "/v1";
    const auto cfg = write_temp_file("upstream-answers.yaml",
                                     "model_list:\n"
                                     "  - {model_name: limited-plain, litellm_params: {model: openai/limited, api_base: '" + base + "', api_key: k}}\n"
                                     "  - {model_name: limited-stream, litellm_params: {model: openai/limited, api_base: '" + base + "', api_key: k}}\n"
                                     "  - {model_name: fine, litellm_params: {model: openai/fine, api_base: '" + base + "', api_key: k}}\n"
                                     "router_settings: {num_retries: 0}\n");
    gateway = std::make_unique<Process>(
        std::vector<std::string>{binary_path(), "serve", "--config", cfg.string(), "--port", "0", "--threads", "1"});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }
  HttpResult chat(const std::string& model, bool stream) const {
    const std::string body = R"({"model":")" + model + R"(","messages":[{"role":"user","content":"hi"}])" +
                             (stream ? R"(,"stream":true})" : "}");
    return request(port, "POST", "/v1/chat/completions", body);
  }
};

TEST(UpstreamAnswers, ErrorAnswerReachesTheClassifierWithItsBodyStreamingOrNot) {
  Stack s;
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streaming" : "non-streaming");
    const std::string limited = stream ? "limited-stream" : "limited-plain";
    const auto r = s.chat(limited, stream);
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(r.header("x-switchyard-error-class"), "rate_limit");
    // The provider's message: the body was read whole.
    EXPECT_NE(r.body.find("Rate limit reached for gpt-4"), std::string::npos) << r.body;
    const auto ok = s.chat("fine", stream);
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_NE(ok.body.find(stream ? "\"content\":\" good\"" : "all good"), std::string::npos) << ok.body;
  }
}

}  // namespace
}  // namespace switchyard::testing
