// Issue 11 items 2 and 5c/5d through the real binary: credentials written in api_base are sent
// upstream as HTTP Basic and never shown (deployment header, /metrics, /admin/deployments, request
// log); an upstream that echoes the configured key has it redacted before the client sees it
// (error body and stream error event); invalid UTF-8 from an upstream reaches the client and the
// JSON log escaped; a hostile x-request-id cannot forge fields or lines of the text log.
//
// The upstream is a small fake in this process (not the mock): the test must see the exact
// request line, Host and Authorization the gateway sent, and make the upstream echo whatever key
// it was given.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <thread>

#include "chat_client.h"
#include "core/utf8.h"
#include "harness.h"

namespace switchyard::testing {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;

constexpr std::string_view kUser = "alice";
constexpr std::string_view kPassword = "pa55-URL-SECRET-7f3c";
constexpr std::string_view kKey = "sk-CONFIGURED-KEY-0123456789abcdefXYZ";
constexpr std::string_view kMasterKey = "sk-master-CREDENTIALS-TEST-0000";

// What the fake upstream received for one request.
struct Received {
  std::string head;  // request line + headers, as sent
  std::string body;
};

// A header of a raw request head (names compared case-insensitively).
std::string header_value(std::string_view head, std::string_view name) {
  std::string lower(head);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = lower.find("\r\n" + std::string(name) + ":");
  if (at == std::string::npos) return {};
  auto start = at + 3 + name.size();
  while (start < head.size() && head[start] == ' ') ++start;
  return std::string(head.substr(start, head.find("\r\n", start) - start));
}


// One connection at a time, one request per connection (answers with Connection: close).
// The answer depends on the "model" the gateway asked for.
class FakeUpstream {
 public:
  FakeUpstream() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeUpstream() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);  // wakes accept()
    thread_.join();
  }
  std::uint16_t port() const { return port_; }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  static std::string answer(std::string_view model, std::string_view authorization) {
    const auto respond = [](int status, std::string_view type, const std::string& body) {
      return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + std::string(type) +
             "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    };
    if (model == "m-basic")
      return respond(200, "application/json",
                     R"({"id":"c1","object":"chat.completion","created":1,"model":"m-basic","choices":[{"index":0,)"
                     R"("message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],)"
                     R"("usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})");
    if (model == "m-echo") {
      // OpenAI's 401 shape, echoing the key in full and half-masked as OpenAI does.
      const std::string key(authorization.substr(authorization.find(' ') + 1));
      const std::string masked = key.substr(0, 8) + "****************" + key.substr(key.size() - 4);
      return respond(401, "application/json",
                     json::serialize(json::object{
                         {"error",
                          {{"message", "Incorrect API key provided: " + masked + ". You sent " + key + "."},
                           {"type", "invalid_request_error"},
                           {"param", nullptr},
                           {"code", "invalid_api_key"}}}}));
    }
    if (model == "m-stream-echo") {
      const std::string key(authorization.substr(authorization.find(' ') + 1));
      // Far more content than one read of the gateway takes (16 KiB), so the content is forwarded
      // before the error event arrives: the error is a mid-stream one whatever the timing.
      std::string body;
      for (int i = 0; i < 400; ++i)
        body += "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"partial \"},"
                "\"finish_reason\":null}]}\n\n";
      body += "data: {\"error\":{\"message\":\"upstream failed for key " + key +
              "\",\"type\":\"server_error\",\"code\":null}}\n\n";
      return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + body;
    }
    if (model == "m-utf8")
      return respond(502, "text/plain", std::string("bad gateway: \xff\xfe broken \xc3 bytes \xed\xa0\x80 end"));
    return respond(404, "application/json", R"({"error":{"message":"unknown model","type":"invalid_request_error"}})");
  }

  void serve() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      std::string data;
      char buf[4096];
      std::size_t header_end = std::string::npos;
      while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
        const auto n = socket.read_some(asio::buffer(buf), ec);
        if (ec) break;
        data.append(buf, n);
      }
      if (header_end == std::string::npos) continue;
      Received r;
      r.head = data.substr(0, header_end + 2);
      const auto length = std::stoul("0" + header_value(r.head, "content-length"));
      r.body = data.substr(header_end + 4);
      while (r.body.size() < length) {
        const auto n = socket.read_some(asio::buffer(buf), ec);
        if (ec) break;
        r.body.append(buf, n);
      }
      std::string model;
      boost::system::error_code parse_ec;
      const auto parsed = json::parse(r.body, parse_ec);
      if (!parse_ec && parsed.is_object())
        if (const auto* m = parsed.get_object().if_contains("model"); m && m->is_string()) model = m->get_string();
      const auto reply = answer(model, header_value(r.head, "authorization"));
      {
        std::lock_guard lock(mutex_);
        received_.push_back(std::move(r));
      }
      asio::write(socket, asio::buffer(reply), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
};

std::string config_for(std::uint16_t upstream) {
  const auto with_userinfo =
      "http://" + std::string(kUser) + ":" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(upstream) + "/v1";
  const auto plain = "http://127.0.0.1:" + std::to_string(upstream) + "/v1";
  return "model_list:\n"
         "  - {model_name: basic, litellm_params: {model: openai_compatible/m-basic, api_base: '" + with_userinfo + "'}}\n"
         "  - {model_name: echo, litellm_params: {model: openai_compatible/m-echo, api_base: '" + plain + "', api_key: '" +
         std::string(kKey) + "'}}\n"
         "  - {model_name: stream-echo, litellm_params: {model: openai_compatible/m-stream-echo, api_base: '" + plain +
         "', api_key: '" + std::string(kKey) + "'}}\n"
         "  - {model_name: utf8, litellm_params: {model: openai_compatible/m-utf8, api_base: '" + plain + "'}}\n"
         "  - {model_name: both, litellm_params: {model: openai_compatible/m-basic, api_base: '" + with_userinfo +
         "', api_key: '" + std::string(kKey) + "'}}\n"
         "router_settings: {num_retries: 0}\n"
         "general_settings: {master_key: '" + std::string(kMasterKey) + "'}\n";
}

struct Stack {
  FakeUpstream upstream;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  explicit Stack(const std::string& log_format) {
    const auto config = write_temp_file("credentials-" + log_format + ".yaml", config_for(upstream.port()));
    gateway = std::make_unique<Process>(std::vector<std::string>{binary_path(), "serve", "--config", config.string(),
                                                                 "--port", "0", "--log-format", log_format});
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }
  HttpResult chat(const std::string& group, bool stream = false, Headers extra = {}) const {
    Headers headers{{"authorization", "Bearer " + std::string(kMasterKey)}};
    for (auto& h : extra) headers.push_back(std::move(h));
    return request(port, "POST", "/v1/chat/completions", chat_body(Client::openai, group, stream), headers);
  }
};

bool valid_utf8(std::string_view s) { return core::valid_utf8(s).size() == s.size(); }

std::string everything_shown(const Stack& s, const std::vector<HttpResult>& answers) {
  std::string all;
  for (const auto& a : answers) {
    all += a.body;
    for (const auto& [name, value] : a.headers) all += name + ": " + value + "\n";
  }
  all += request(s.port, "GET", "/metrics").body;
  all += request(s.port, "GET", "/admin/deployments", {}, {{"authorization", "Bearer " + std::string(kMasterKey)}}).body;
  return all;
}

TEST(Credentials, UrlPasswordGoesUpstreamAsBasicAndIsNeverShown) {
  Stack s("json");
  const auto ok = s.chat("basic");
  ASSERT_EQ(ok.status, 200) << ok.body;
  const auto both = s.chat("both");
  ASSERT_EQ(both.status, 200) << both.body;

  const auto received = s.upstream.received();
  ASSERT_EQ(received.size(), 2u);
  // Basic alice:pa55-URL-SECRET-7f3c, as curl sends it; the URL connected to has no userinfo.
  EXPECT_EQ(header_value(received[0].head, "authorization"), "Basic YWxpY2U6cGE1NS1VUkwtU0VDUkVULTdmM2M=")
      << received[0].head;
  EXPECT_TRUE(received[0].head.starts_with("POST /v1/chat/completions HTTP/1.1\r\n")) << received[0].head;
  EXPECT_EQ(header_value(received[0].head, "host"), "127.0.0.1:" + std::to_string(s.upstream.port()))
      << received[0].head;
  // With an api_key the provider's own bearer auth wins (curl: an explicit Authorization header
  // replaces -u), and the URL's credentials are not sent at all.
  EXPECT_EQ(header_value(received[1].head, "authorization"), "Bearer " + std::string(kKey)) << received[1].head;
  EXPECT_EQ(received[1].head.find("Basic"), std::string::npos) << received[1].head;
  for (const auto& r : received) EXPECT_EQ(r.head.find(kPassword), std::string::npos) << r.head;

  // The deployment id is the redacted one, and nothing the gateway shows carries the password.
  // Both deployments share that base id, so each carries a '#' + hash suffix that tells them apart.
  EXPECT_TRUE(ok.header("x-switchyard-deployment")
                  .starts_with("openai_compatible/m-basic@http://127.0.0.1:" + std::to_string(s.upstream.port()) +
                               "/v1#"))
      << ok.header("x-switchyard-deployment");
  const auto shown = everything_shown(s, {ok, both});
  EXPECT_NE(shown.find("openai_compatible/m-basic@http://127.0.0.1:"), std::string::npos) << shown;
  for (const auto secret : {kPassword, std::string_view("alice:")}) {
    EXPECT_EQ(shown.find(secret), std::string::npos) << shown;
  }
  ASSERT_TRUE(s.gateway->wait_for_line("\"model_group\":\"both\"")) << s.gateway->output();
  EXPECT_EQ(s.gateway->output().find(kPassword), std::string::npos) << s.gateway->output();
}

TEST(Credentials, AnEchoedKeyIsRedactedInErrorBodiesStreamEventsAndLogs) {
  Stack s("json");
  const auto refused = s.chat("echo");
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(refused.header("x-switchyard-error-class"), "authentication");
  EXPECT_NE(refused.body.find("Incorrect API key provided"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find(kKey), std::string::npos) << refused.body;
  EXPECT_EQ(refused.body.find(kKey.substr(0, 8)), std::string::npos) << "half-masked echo: " << refused.body;
  EXPECT_EQ(refused.body.find(kKey.substr(kKey.size() - 4)), std::string::npos) << refused.body;

  const auto streamed = s.chat("stream-echo", true);
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  EXPECT_NE(streamed.body.find("partial"), std::string::npos) << streamed.body;
  EXPECT_NE(streamed.body.find("after the stream started"), std::string::npos) << streamed.body;
  EXPECT_EQ(streamed.body.find(kKey), std::string::npos) << streamed.body;

  ASSERT_TRUE(s.gateway->wait_for_line("\"model_group\":\"stream-echo\"")) << s.gateway->output();
  EXPECT_EQ(s.gateway->output().find(kKey), std::string::npos) << s.gateway->output();
}

TEST(Credentials, InvalidUtf8FromAnUpstreamIsEscapedForTheClientAndTheJsonLog) {
  Stack s("json");
  const auto answer = s.chat("utf8");
  EXPECT_EQ(answer.status, 502) << answer.body;
  EXPECT_TRUE(valid_utf8(answer.body)) << answer.body;
  boost::system::error_code ec;
  const auto parsed = json::parse(answer.body, ec);
  ASSERT_FALSE(ec) << answer.body;
  const std::string message(parsed.at("error").at("message").as_string());
  EXPECT_NE(message.find("bad gateway: \\xff\\xfe broken \\xc3 bytes \\xed\\xa0\\x80 end"), std::string::npos) << message;

  ASSERT_TRUE(s.gateway->wait_for_line("\"model_group\":\"utf8\"")) << s.gateway->output();
  const auto out = s.gateway->output();
  const auto start = out.rfind('\n', out.find("\"model_group\":\"utf8\"")) + 1;
  const auto line = out.substr(start, out.find('\n', start) - start);
  EXPECT_TRUE(valid_utf8(line)) << line;
  EXPECT_FALSE(json::parse(line, ec).is_null()) << line;
  EXPECT_FALSE(ec) << line;
}

TEST(Credentials, AClientRequestIdCannotForgeTextLogFieldsOrLines) {
  Stack s("text");
  const std::string hostile = "x\" status=200 deployment=forged [evil/one success]";
  const auto answer = s.chat("basic", false, {{"x-request-id", hostile}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_TRUE(s.gateway->wait_for_line(" request id=")) << s.gateway->output();
  const auto out = s.gateway->output();
  const auto start = out.find(" request id=");
  const auto line = out.substr(start, out.find('\n', start) - start);
  // The value is one quoted field; the only status= and deployment= are the gateway's own.
  EXPECT_NE(line.find(R"(id="x\" status=200 deployment=forged [evil/one success]")"), std::string::npos) << line;
  const auto unquoted = line.substr(0, line.find("id=")) + line.substr(line.find("\" POST") + 1);
  EXPECT_EQ(unquoted.find("forged"), std::string::npos) << line;
  EXPECT_NE(unquoted.find(" status=200"), std::string::npos) << line;
}

}  // namespace
}  // namespace switchyard::testing
