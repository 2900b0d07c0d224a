// The upstream client's answer parsing (AnswerParser) through the real gateway and mock: an
// error answer reaches the classifier with its body whether the request streams or not (a
// streamed request reads the error body whole after the head), and healthy answers on the same
// pooled connection follow. Which headers are kept is tested in unit/answer_parser_test.cpp.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <thread>

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
    auto started = start_gateway(
        "model_list:\n"
        "  - {model_name: limited-plain, litellm_params: {model: openai/limited, api_base: '" + base + "', api_key: k}}\n"
        "  - {model_name: limited-stream, litellm_params: {model: openai/limited, api_base: '" + base + "', api_key: k}}\n"
        "  - {model_name: fine, litellm_params: {model: openai/fine, api_base: '" + base + "', api_key: k}}\n"
        "router_settings: {num_retries: 0}\n",
        {"--threads", "1"});
    gateway = std::move(started.process);
    port = started.port;
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

// An upstream that answers each connection with `answer` and closes it, after reading the request.
class OneShotUpstream {
 public:
  explicit OneShotUpstream(std::string answer) : answer_(std::move(answer)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("upstream setup failed");
    port = ntohs(addr.sin_port);
    thread_ = std::jthread([this] { serve(); });
  }
  ~OneShotUpstream() {
    ::shutdown(fd_, SHUT_RDWR);  // ends accept()
    thread_.join();
    ::close(fd_);
  }
  OneShotUpstream(const OneShotUpstream&) = delete;
  OneShotUpstream& operator=(const OneShotUpstream&) = delete;
  std::uint16_t port = 0;

 private:
  void serve() {
    for (;;) {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      // The whole request first (closing with unread bytes would reset the connection).
      std::string got;
      char chunk[4096];
      for (;;) {
        const auto head_end = got.find("\r\n\r\n");
        if (head_end != std::string::npos) {
          const auto at = got.find("Content-Length: ");
          const auto length = at == std::string::npos ? 0 : std::stoul(got.substr(at + 16));
          if (got.size() >= head_end + 4 + length) break;
        }
        const auto n = ::recv(c, chunk, sizeof chunk, 0);
        if (n <= 0) break;
        got.append(chunk, static_cast<std::size_t>(n));
      }
      (void)!::send(c, answer_.data(), answer_.size(), MSG_NOSIGNAL);
      ::close(c);
    }
  }
  std::string answer_;
  int fd_ = -1;
  std::jthread thread_;
};

std::unique_ptr<Process> gateway_to(std::uint16_t upstream, std::uint16_t& port) {
  const auto cfg = write_temp_file("upstream-oneshot-" + std::to_string(upstream) + ".yaml",
                                   "model_list:\n  - {model_name: chat, litellm_params: {model: openai/m, api_base: "
                                   "'http://127.0.0.1:" + std::to_string(upstream) + "/v1', api_key: k}}\n"
                                   "router_settings: {num_retries: 0}\n");
  auto gw = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
  const auto p = gw->wait_for_port();
  if (!p) throw std::runtime_error("gateway did not start: " + gw->output());
  port = *p;
  return gw;
}

const char* kChatAnswer =
    R"({"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,)"
    R"("message":{"role":"assistant","content":"delimited by the end"},"finish_reason":"stop"}],)"
    R"("usage":{"prompt_tokens":1,"completion_tokens":4,"total_tokens":5}})";
const char* kChatRequest = R"({"model":"chat","messages":[{"role":"user","content":"hi"}]})";

TEST(UpstreamAnswers, AnswerDelimitedByTheConnectionsEndIsWhole) {
  OneShotUpstream upstream(std::string("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n") +
                           kChatAnswer);
  std::uint16_t port = 0;
  const auto gw = gateway_to(upstream.port, port);
  const auto r = request(port, "POST", "/v1/chat/completions", kChatRequest);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("delimited by the end"), std::string::npos) << r.body;
}

TEST(UpstreamAnswers, AnswerCutShortOrMissingIsAConnectionFailure) {
  for (const std::string& answer : {std::string("HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n") + kChatAnswer,
                                   std::string()}) {
    SCOPED_TRACE(answer.empty() ? "closed without an answer" : "body cut short");
    OneShotUpstream upstream(answer);
    std::uint16_t port = 0;
    const auto gw = gateway_to(upstream.port, port);
    const auto r = request(port, "POST", "/v1/chat/completions", kChatRequest);
    EXPECT_EQ(r.status, 502) << r.body;
    EXPECT_EQ(r.header("x-switchyard-error-class"), "connection");
    EXPECT_NE(r.body.find("closed_early"), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace switchyard::testing
