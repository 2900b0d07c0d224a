// Upstream TLS: certificates are verified (chain and host name). An `openssl s_server` with a
// self-signed certificate stands in for a provider.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace switchyard::testing {
namespace {

struct TlsUpstream {
  std::filesystem::path cert, key;
  std::unique_ptr<Process> server;
  std::uint16_t port = 0;

  TlsUpstream() {
    const auto dir = temp_dir();
    cert = dir / ("cert-" + std::to_string(::getpid()) + ".pem");
    key = dir / ("key-" + std::to_string(::getpid()) + ".pem");
    Process gen({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                 "-addext", "subjectAltName=DNS:localhost", "-keyout", key.string(), "-out", cert.string()});
    if (gen.wait_for_exit(std::chrono::seconds(30)) != 0) throw std::runtime_error("openssl req failed: " + gen.output());
    port = free_port();
    server = std::make_unique<Process>(std::vector<std::string>{"/usr/bin/openssl", "s_server", "-accept", std::to_string(port),
                                                                "-cert", cert.string(), "-key", key.string(), "-www"});
    if (!server->wait_for_line("ACCEPT")) throw std::runtime_error("s_server did not start: " + server->output());
  }
};

std::string error_message(const HttpResult& r) {
  return std::string(boost::json::parse(r.body).at("error").at("message").as_string());
}

std::unique_ptr<Process> gateway_for(const std::string& host, std::uint16_t port, std::vector<std::string> env) {
  const auto cfg = write_temp_file("tls-" + host + "-" + std::to_string(port) + ".yaml",
                                   "model_list:\n  - {model_name: secure, litellm_params: {model: openai/x, api_base: 'https://" +
                                       host + ":" + std::to_string(port) + "/v1', api_key: k, timeout: 2}}\n"
                                       "router_settings: {num_retries: 0}\n");
  std::vector<std::string> argv{"/usr/bin/env"};
  for (auto& e : env) argv.push_back(e);
  for (const char* a : {"serve", "--config"}) argv.emplace_back(a);
  argv.insert(argv.begin() + 1 + static_cast<long>(env.size()), binary_path());
  argv.push_back(cfg.string());
  argv.emplace_back("--port");
  argv.emplace_back("0");
  return std::make_unique<Process>(argv);
}

const char* kChat = R"({"model":"secure","messages":[{"role":"user","content":"hi"}]})";

TEST(UpstreamTls, SelfSignedCertificateIsRefusedAsAConnectionFailure) {
  TlsUpstream upstream;
  auto gw = gateway_for("127.0.0.1", upstream.port, {});
  const auto port = gw->wait_for_port();
  ASSERT_TRUE(port) << gw->output();
  const auto r = request(*port, "POST", "/v1/chat/completions", kChat);
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_EQ(r.header("x-switchyard-error-class"), "connection");
  EXPECT_NE(error_message(r).find("tls: "), std::string::npos) << r.body;
  EXPECT_NE(error_message(r).find("certificate verify failed"), std::string::npos) << r.body;
}

TEST(UpstreamTls, TrustedCertificateWithMatchingHostNameConnects) {
  TlsUpstream upstream;
  auto gw = gateway_for("localhost", upstream.port, {"SSL_CERT_FILE=" + upstream.cert.string()});
  const auto port = gw->wait_for_port();
  ASSERT_TRUE(port) << gw->output();
  const auto r = request(*port, "POST", "/v1/chat/completions", kChat);
  // s_server is no chat API: whatever it answers is a failure, but not a TLS one.
  EXPECT_NE(r.status, 200);
  EXPECT_EQ(error_message(r).find("tls"), std::string::npos) << r.body;
}

TEST(UpstreamTls, TrustedCertificateForAnotherHostNameIsRefused) {
  TlsUpstream upstream;
  auto gw = gateway_for("127.0.0.1", upstream.port, {"SSL_CERT_FILE=" + upstream.cert.string()});
  const auto port = gw->wait_for_port();
  ASSERT_TRUE(port) << gw->output();
  const auto r = request(*port, "POST", "/v1/chat/completions", kChat);
  EXPECT_NE(error_message(r).find("tls: "), std::string::npos) << r.body;
}

}  // namespace
}  // namespace switchyard::testing
