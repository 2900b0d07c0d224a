// The upstream client's timeouts against upstreams that never answer, through the real gateway:
// a connect that never completes (the listener's accept queue is full, so the kernel drops the
// SYN), a TLS handshake and an HTTP answer that never come (the listener never accepts; the
// kernel completes the TCP handshake and keeps what the gateway writes). Each must end as its own
// transport error (the classifier and `explain` tell them apart), within the deployment's timeout.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <fcntl.h>

#include "harness.h"

namespace switchyard::testing {
namespace {

// A listening socket on 127.0.0.1 that never accepts.
struct SilentListener {
  int fd = -1;
  std::uint16_t port = 0;
  explicit SilentListener(int backlog) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, backlog) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("listener setup failed");
    port = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
};

// A client socket to `port` that connected within `wait`, else -1.
int connect_within(std::uint16_t port, std::chrono::milliseconds wait) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  pollfd p{fd, POLLOUT, 0};
  int err = 0;
  socklen_t len = sizeof err;
  if (errno == EINPROGRESS && ::poll(&p, 1, static_cast<int>(wait.count())) == 1 &&
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0)
    return fd;
  ::close(fd);
  return -1;
}

struct Gateway {
  std::unique_ptr<Process> process;
  std::uint16_t port = 0;
  explicit Gateway(const std::string& api_base) {
    const auto cfg = write_temp_file("upstream-timeouts.yaml",
                                     "model_list:\n  - {model_name: chat, litellm_params: {model: openai/x, api_base: '" +
                                         api_base + "/v1', api_key: k, timeout: 1}}\n"
                                         "router_settings: {num_retries: 0}\n");
    process = std::make_unique<Process>(
        std::vector<std::string>{binary_path(), "serve", "--config", cfg.string(), "--port", "0"});
    const auto p = process->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + process->output());
    port = *p;
  }
  HttpResult chat(bool stream) const {
    const std::string body = std::string(R"({"model":"chat","messages":[{"role":"user","content":"hi"}])") +
                             (stream ? R"(,"stream":true})" : "}");
    return request(port, "POST", "/v1/chat/completions", body, {}, std::chrono::seconds(30));
  }
};

std::string error_message(const HttpResult& r) {
  return std::string(boost::json::parse(r.body).at("error").at("message").as_string());
}

TEST(UpstreamTimeouts, ConnectThatNeverCompletesIsAConnectTimeout) {
  SilentListener listener(0);
  const int filler = connect_within(listener.port, std::chrono::seconds(5));  // fills the accept queue
  ASSERT_GE(filler, 0);
  const int probe = connect_within(listener.port, std::chrono::milliseconds(300));
  if (probe >= 0) {
    ::close(probe);
    ::close(filler);
    GTEST_SKIP() << "this kernel completed a connect to a full accept queue";
  }
  Gateway gw("http://127.0.0.1:" + std::to_string(listener.port));
  const auto r = gw.chat(false);
  ::close(filler);
  EXPECT_EQ(r.status, 504) << r.body;
  EXPECT_EQ(r.header("x-switchyard-error-class"), "timeout");
  EXPECT_NE(error_message(r).find(": connect_timeout: "), std::string::npos) << r.body;
}

TEST(UpstreamTimeouts, TlsHandshakeThatNeverCompletesFailsAsTls) {
  SilentListener listener(16);
  Gateway gw("https://127.0.0.1:" + std::to_string(listener.port));
  const auto r = gw.chat(false);
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(r.header("x-switchyard-error-class"), "connection");
  EXPECT_NE(error_message(r).find(": tls: "), std::string::npos) << r.body;
  EXPECT_NE(error_message(r).find("timeout", error_message(r).find(": tls: ")), std::string::npos) << r.body;
}

TEST(UpstreamTimeouts, AnswerThatNeverComesIsAReadTimeoutStreamingOrNot) {
  SilentListener listener(16);
  Gateway gw("http://127.0.0.1:" + std::to_string(listener.port));
  for (const bool stream : {false, true}) {
    SCOPED_TRACE(stream ? "streaming" : "non-streaming");
    const auto r = gw.chat(stream);
    EXPECT_EQ(r.status, 504) << r.body;
    EXPECT_EQ(r.header("x-switchyard-error-class"), "timeout");
    EXPECT_NE(error_message(r).find(": read_timeout: "), std::string::npos) << r.body;
  }
}

}  // namespace
}  // namespace switchyard::testing
