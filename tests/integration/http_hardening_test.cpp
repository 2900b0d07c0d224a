// Issue 11, items 3, 4 and 5a: the gateway as a hostile client, a careless upstream and an
// operator would try it, through the real `switchyard serve` and `switchyard mock` processes over
// real sockets. Requests are written byte by byte where framing is the point (desync, half-close,
// bodies that never come).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "chat_client.h"
#include "harness.h"
#include "raw_client.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

// How many final HTTP responses (interim 1xx ones not counted) a byte string holds.
int final_responses(std::string_view bytes) {
  int n = 0;
  for (auto at = bytes.find("HTTP/1.1 "); at != std::string_view::npos; at = bytes.find("HTTP/1.1 ", at + 1))
    if (bytes.substr(at + 9, 1) != "1") ++n;
  return n;
}

std::string chat_request(const std::string& body, const std::string& extra_headers = "") {
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A mock and a gateway in front of it. `$BASE` in the model list is the mock's address.
struct Stack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;

  Stack(const std::string& mock_yaml, const std::string& model_list, const std::string& settings = "",
        std::vector<std::string> serve_args = {}, std::vector<std::string> prefix = {}) {
    mock = start_mock(mock_yaml);
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    std::string cfg = "model_list:\n" + model_list + settings;
    const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
    for (auto at = cfg.find("$BASE"); at != std::string::npos; at = cfg.find("$BASE")) cfg.replace(at, 5, base);
    const auto file = write_temp_file("hardening.yaml", cfg);
    std::vector<std::string> argv = std::move(prefix);
    for (const auto& a : {binary_path(), std::string("serve"), std::string("--config"), file.string(),
                          std::string("--port"), std::string("0")})
      argv.push_back(a);
    for (auto& a : serve_args) argv.push_back(std::move(a));
    gateway = std::make_unique<Process>(std::move(argv));
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  json::object stats() const { return json::parse(request(mock.port, "GET", "/mock/stats").body).as_object(); }
  std::uint64_t stat(const char* name) const { return stats().at(name).to_number<std::uint64_t>(); }
  int calls(const std::string& model) const {
    const auto s = stats();
    const auto* m = s.at("models").as_object().if_contains(model);
    return m ? m->at("calls").to_number<int>() : 0;
  }
};

const std::string kOneModel =
    "  - {model_name: chat, litellm_params: {model: openai_compatible/gpt-a, api_base: '$BASE/v1'}}\n";
const std::string kNoRetries = "router_settings: {num_retries: 0, allowed_fails: 0, cooldown_time: 60}\n";

// ---------------------------------------------------------------------------- item 3: framing
// Each of these frames the body differently for some proxy in front of the gateway. The gateway
// must answer one 400 and close, never read the body as a next request.
TEST(HttpHardening, TransferEncodingOtherThanExactlyChunkedIsRefusedAndTheConnectionClosed) {
  Stack s("models: {}\n", kOneModel);
  // A chunked body that, if not read as one, smuggles a second request.
  const std::string smuggled = "GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string chunked_body = "2\r\n{}\r\n0\r\n\r\n" + smuggled;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"chunked, identity", "Transfer-Encoding: chunked, identity\r\n"},
      {"xchunked", "Transfer-Encoding: xchunked\r\n"},
      {"identity", "Transfer-Encoding: identity\r\n"},
      {"two TE headers", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"},
      {"TE and Content-Length", "Transfer-Encoding: chunked\r\nContent-Length: 11\r\n"},
  };
  for (const auto& [name, te] : cases) {
    SCOPED_TRACE(name);
    RawClient c(s.port);
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + te +
                           "\r\n" + chunked_body));
    bool closed = false;
    const auto got = c.read_to_end(&closed);
    EXPECT_TRUE(got.starts_with("HTTP/1.1 400")) << got;
    EXPECT_EQ(final_responses(got), 1) << "a second response means the body was read as a request:\n" << got;
    EXPECT_TRUE(closed) << "the connection must be closed after the 400";
  }
  // Exactly `chunked` is served.
  RawClient ok(s.port);
  const auto body = chat_body(Client::openai, "chat", false);
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size());
  ASSERT_TRUE(ok.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: Chunked\r\nConnection: close\r\n\r\n" +
                          std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n"));
  const auto got = ok.read_to_end();
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200")) << got;
  EXPECT_NE(got.find("Hello from the mock"), std::string::npos) << got;
}

// The head the server writes itself: Content-Length framing that a keep-alive client can read the
// next answer after, `Connection` as each HTTP version needs it, no content after a HEAD's head.
TEST(HttpHardening, ResponsesAreFramedForKeepAliveHeadAndHttp10) {
  Stack s("models: {}\n", kOneModel);
  const auto content_length = [](std::string_view head) {
    const auto at = head.find("Content-Length: ");
    return at == std::string_view::npos ? -1 : std::stoi(std::string(head.substr(at + 16)));
  };
  {
    SCOPED_TRACE("HTTP/1.1, pipelined HEAD then GET");
    RawClient c(s.port);
    ASSERT_TRUE(c.send_all("HEAD /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /health/liveliness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    bool closed = false;
    const auto got = c.read_to_end(&closed);
    EXPECT_TRUE(closed) << got;
    const auto first_end = got.find("\r\n\r\n");
    ASSERT_NE(first_end, std::string::npos) << got;
    const auto head = std::string_view(got).substr(0, first_end);
    EXPECT_GT(content_length(head), 0) << "a HEAD answer carries the length a GET would get:\n" << got;
    EXPECT_EQ(head.find("Connection:"), std::string_view::npos) << got;
    // No content after the HEAD's head: the next answer starts right there.
    const auto second = std::string_view(got).substr(first_end + 4);
    ASSERT_TRUE(second.starts_with("HTTP/1.1 200 OK\r\n")) << got;
    const auto second_end = second.find("\r\n\r\n");
    const auto length = content_length(second.substr(0, second_end));
    ASSERT_GT(length, 0) << got;
    const auto third = second.substr(second_end + 4 + static_cast<std::size_t>(length));
    ASSERT_TRUE(third.starts_with("HTTP/1.1 200 OK\r\n")) << got;
    EXPECT_NE(third.find("Connection: close\r\n"), std::string_view::npos) << got;
    EXPECT_EQ(final_responses(got), 3) << got;
  }
  {
    SCOPED_TRACE("HTTP/1.0 with keep-alive, then without");
    RawClient c(s.port);
    ASSERT_TRUE(c.send_all("GET /health/liveliness HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    std::string got;
    ASSERT_TRUE(c.read_until("\r\n\r\n", got)) << got;
    EXPECT_TRUE(got.starts_with("HTTP/1.0 200 OK\r\n")) << got;
    EXPECT_NE(got.find("Connection: keep-alive\r\n"), std::string::npos) << got;
    ASSERT_TRUE(c.send_all("GET /health/liveliness HTTP/1.0\r\n\r\n"));
    bool closed = false;
    got += c.read_to_end(&closed);
    EXPECT_TRUE(closed) << "an HTTP/1.0 request without keep-alive ends the connection";
    EXPECT_EQ(got.find("HTTP/1.0 200 OK", 1) != std::string::npos, true) << got;
  }
}

// A client that sends its request and shuts down its sending side still reads the answer, quick
// (no interim response) or slow (after a `100 Continue` that tells it from a closed client).
TEST(HttpHardening, HalfClosedClientIsAnswered) {
  Stack s("models:\n  gpt-a: {reply: \"answered after half-close\"}\n"
          "  gpt-slow: {latency_ms: 600, reply: \"answered after half-close\"}\n",
          kOneModel + "  - {model_name: slow, litellm_params: {model: openai_compatible/gpt-slow, api_base: '$BASE/v1'}}\n");
  for (const std::string group : {"chat", "slow"}) {
    for (const bool stream : {false, true}) {
      SCOPED_TRACE(group + (stream ? " streaming" : " whole"));
      RawClient c(s.port);
      ASSERT_TRUE(c.connected());
      ASSERT_TRUE(c.send_all(chat_request(chat_body(Client::openai, group, stream))));
      c.half_close();
      bool closed = false;
      const auto got = c.read_to_end(&closed);
      EXPECT_EQ(final_responses(got), 1) << got;
      EXPECT_NE(got.find("HTTP/1.1 200 OK"), std::string::npos) << got;
      EXPECT_NE(got.find(stream ? "half-close" : "answered after half-close"), std::string::npos) << got;
      EXPECT_TRUE(closed) << "the connection ends after the answer";
    }
  }
  // A client that closes for good while the gateway waits upstream still cancels the call.
  ASSERT_EQ(request(s.mock.port, "PUT", "/mock/models/gpt-a", R"({"latency_ms":5000})").status, 200);
  ASSERT_EQ(request(s.mock.port, "POST", "/mock/reset").status, 200);
  {
    RawClient c(s.port);
    ASSERT_TRUE(c.send_all(chat_request(chat_body(Client::openai, "chat", false))));
    ASSERT_TRUE(eventually([&] { return s.stat("total") == 1; }));
  }
  EXPECT_TRUE(eventually([&] { return s.stat("abandoned_calls") == 1; }, std::chrono::seconds(3)))
      << "the upstream call outlived a client that closed";
}

// ------------------------------------------------------------- item 3: bodies, auth, budget
// 413 at the headers (Content-Length over the limit); the body that follows is read and dropped so
// the client, still sending, reads the 413 instead of a reset.
TEST(HttpHardening, OversizedBodyGetsA413NotAReset) {
  Stack s("models: {}\n", kOneModel);
  constexpr std::size_t kBody = 40u << 20;  // the default limit is 32 MiB
  RawClient c(s.port);
  ASSERT_TRUE(c.connected());
  c.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
             std::to_string(kBody) + "\r\n\r\n");
  // As an SDK does: send the whole body, then read. A reset while sending is the defect: such a
  // client reports "connection reset" and never reads the 413.
  const std::string piece(1 << 20, 'x');
  std::size_t sent = 0;
  for (; sent < kBody; sent += piece.size())
    if (!c.send_all(piece)) break;
  EXPECT_EQ(sent, kBody) << "the gateway reset the connection while the body was being sent";
  const auto got = c.read_to_end();
  EXPECT_TRUE(got.starts_with("HTTP/1.1 413")) << "got: " << got.substr(0, 200);
  EXPECT_NE(got.find("too large"), std::string::npos) << got.substr(0, 400);
}

// A client without a valid key is refused from its headers: the 401 comes while its 30 MB body
// has not even been sent.
TEST(HttpHardening, AuthIsCheckedBeforeTheBodyIsRead) {
  Stack s("models: {}\n", kOneModel, "general_settings: {master_key: sk-master}\n");
  for (const std::string& auth : {std::string(), std::string("Authorization: Bearer wrong\r\n")}) {
    RawClient c(s.port);
    c.set_read_timeout(std::chrono::seconds(5));  // the gateway's body read timeout is 30 s
    ASSERT_TRUE(c.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                           auth + "Content-Length: 30000000\r\n\r\n{\"model\":"));
    const auto got = c.read_to_end();
    EXPECT_TRUE(got.starts_with("HTTP/1.1 401")) << "got: " << got;
    EXPECT_NE(got.find("API key"), std::string::npos) << got;
  }
  // A client that waits for `100 Continue` (curl does for large bodies) is refused at once without
  // one, or told to go on when its key is right.
  {
    RawClient refused(s.port);
    refused.set_read_timeout(std::chrono::seconds(5));
    ASSERT_TRUE(refused.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                 "Content-Length: 30000000\r\n\r\n"));
    const auto got = refused.read_to_end();
    EXPECT_TRUE(got.starts_with("HTTP/1.1 401")) << got;
    const auto body = chat_body(Client::openai, "chat", false);
    RawClient admitted(s.port);
    ASSERT_TRUE(admitted.send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                  "Authorization: Bearer sk-master\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
    std::string interim;
    ASSERT_TRUE(admitted.read_until("HTTP/1.1 100 Continue\r\n\r\n", interim)) << interim;
    ASSERT_TRUE(admitted.send_all(body));
    const auto answer = admitted.read_to_end();
    EXPECT_TRUE(answer.starts_with("HTTP/1.1 200")) << answer;
  }
  // The right key still goes through.
  const auto ok = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "chat", false),
                          {{"Authorization", "Bearer sk-master"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
}

long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  return -1;
}

// 16 clients announce 30 MiB bodies at once; with a 64 MiB budget two are read, the others get a
// 503 at their headers instead of the gateway holding 480 MiB.
TEST(HttpHardening, RequestBodiesCountAgainstAGlobalMemoryBudget) {
  Stack s("models: {}\n", kOneModel, "", {"--max-body-memory-mb", "64"});
  constexpr std::size_t kBody = 30u << 20;
  const std::string head = "{\"model\":\"no-such-group\",\"messages\":[],\"pad\":\"";
  const std::string tail = "\"}";
  std::vector<std::unique_ptr<RawClient>> clients;
  const std::string first_mib(1 << 20, 'x');
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::make_unique<RawClient>(s.port));
    ASSERT_TRUE(clients.back()->send_all("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                         "Content-Length: " + std::to_string(kBody) + "\r\n\r\n" + head + first_mib));
  }
  int refused = 0;
  std::vector<RawClient*> admitted;
  for (auto& c : clients) {
    c->set_read_timeout(std::chrono::seconds(3));  // admitted ones wait for the rest of their body
    std::string got;
    if (c->read_until("\r\n\r\n", got)) {
      EXPECT_TRUE(got.starts_with("HTTP/1.1 503")) << got;
      c->read_until("budget", got);
      EXPECT_NE(got.find("budget"), std::string::npos) << got;
      ++refused;
    } else {
      admitted.push_back(c.get());
    }
  }
  EXPECT_EQ(refused, 14) << "64 MiB holds two 30 MiB bodies";
  const std::string rest(kBody - head.size() - first_mib.size() - tail.size(), 'x');
  for (auto* c : admitted) {
    c->set_read_timeout(std::chrono::seconds(20));
    ASSERT_TRUE(c->send_all(rest + tail));
    std::string got;
    EXPECT_TRUE(c->read_until("\r\n\r\n", got));
    EXPECT_TRUE(got.starts_with("HTTP/1.1 404")) << got.substr(0, 200);  // read, parsed, and answered
  }
  clients.clear();
  EXPECT_LT(peak_rss_kib(s.gateway->pid()), 400 * 1024) << "bodies were held beyond the budget";
  // The budget is given back: a normal request is served.
  const auto ok = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "chat", false));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// ---------------------------------------------------------------- item 3: descriptors, caps
std::chrono::duration<double> cpu_time(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::istringstream fields(all.substr(all.rfind(')') + 2));  // fields after the command name
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  return std::chrono::duration<double>(static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK)));
}

// With its open-files limit exhausted by connections, the gateway does not spin on accept(), and
// serves again once connections close.
TEST(HttpHardening, AcceptBacksOffWhenOutOfFileDescriptors) {
  Stack s("models: {}\n", kOneModel, "", {"--threads", "1"}, {"/usr/bin/prlimit", "--nofile=64:64", "--"});
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 120; ++i) clients.push_back(std::make_unique<RawClient>(s.port));  // the backlog takes the rest
  ASSERT_TRUE(s.gateway->wait_for_line("backing off")) << s.gateway->output();
  // Out of descriptors now, with connections waiting: measure how busy the gateway is.
  const auto before = cpu_time(s.gateway->pid());
  const auto window = std::chrono::milliseconds(1500);
  std::this_thread::sleep_for(window);  // a measurement window, not a wait for a condition
  const auto used = cpu_time(s.gateway->pid()) - before;
  EXPECT_LT(used.count(), 0.3) << "the accept loop spins: " << used.count() << " s of CPU in 1.5 s";
  clients.clear();
  EXPECT_TRUE(eventually([&] { return request(s.port, "GET", "/health/liveliness", {}, {}, 2s).status == 200; }))
      << s.gateway->output();
  const auto ok = request(s.port, "POST", "/v1/chat/completions", chat_body(Client::openai, "chat", false));
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// Busy connections keep their slots: a new client waits in the listen backlog until one is free.
TEST(HttpHardening, ConnectionCapMakesNewConnectionsWaitWhileTheOthersAreBusy) {
  Stack s("models:\n  gpt-a: {latency_ms: 3000, reply: \"slow answer\"}\n", kOneModel,
          "general_settings: {max_connections: 2}\n", {"--threads", "1"});
  const auto slow = chat_request(chat_body(Client::openai, "chat", false));
  RawClient first(s.port);
  RawClient second(s.port);
  for (auto* c : {&first, &second}) ASSERT_TRUE(c->send_all(slow));
  ASSERT_TRUE(eventually([&] { return s.stat("total") == 2; })) << "both requests in flight";
  RawClient third(s.port);
  ASSERT_TRUE(third.send_all("GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n"));
  third.set_read_timeout(std::chrono::milliseconds(800));
  std::string got;
  EXPECT_FALSE(third.read_until("alive", got)) << "a third connection was served over the cap: " << got;
  // The busy ones are answered in full (never closed to make room); then they are idle, and one
  // is closed for the waiting client.
  for (auto* c : {&first, &second}) {
    std::string answer;
    EXPECT_TRUE(c->read_until("slow answer", answer)) << answer;
  }
  third.set_read_timeout(std::chrono::seconds(10));
  EXPECT_TRUE(third.read_until("alive", got)) << got;
}

// How many of `clients` the gateway has closed, each looked at for at most `wait`: they were idle,
// so nothing else is due on them, and the close must be a clean one (no reset).
int closed_by_server(std::vector<std::unique_ptr<RawClient>>& clients, std::vector<bool>& closed,
                     std::chrono::milliseconds wait = std::chrono::milliseconds(50)) {
  int n = 0;
  for (std::size_t i = 0; i < clients.size(); ++i) {
    if (!closed[i]) {
      clients[i]->set_read_timeout(wait);
      bool ended = false;
      const auto extra = clients[i]->read_to_end(&ended);
      EXPECT_TRUE(extra.empty()) << "an idle connection got bytes: " << extra;
      EXPECT_FALSE(clients[i]->was_reset()) << "an idle connection was reset, not closed";
      closed[i] = ended;
    }
    n += closed[i] ? 1 : 0;
  }
  return n;
}

const std::string kHealth = "GET /health/liveliness HTTP/1.1\r\nHost: x\r\n\r\n";

// At max_connections, idle keep-alive connections (a pool keeping its sockets open) must not lock
// new clients out for the idle timeout (75 s by default): the oldest idle ones are closed to make
// room, as nginx does, and counted in /metrics.
TEST(HttpHardening, ConnectionCapClosesIdleKeepAliveConnectionsForNewClients) {
  for (const char* threads : {"1", "2"}) {
    SCOPED_TRACE(std::string("--threads ") + threads);
    Stack s("models: {}\n", kOneModel, "", {"--max-connections", "4", "--threads", threads});
    std::vector<std::unique_ptr<RawClient>> pool;
    for (int i = 0; i < 4; ++i) {
      pool.push_back(std::make_unique<RawClient>(s.port));
      std::string got;
      ASSERT_TRUE(pool.back()->send_all(kHealth));
      ASSERT_TRUE(pool.back()->read_until("alive", got)) << got;  // served, kept open, idle
    }
    RawClient fifth(s.port);
    fifth.set_read_timeout(std::chrono::seconds(5));  // well under the idle timeout
    const auto started = Clock::now();
    ASSERT_TRUE(fifth.send_all(kHealth));
    std::string got;
    EXPECT_TRUE(fifth.read_until("alive", got)) << "the new client was locked out: " << got << s.gateway->output();
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    std::vector<bool> closed(pool.size(), false);
    EXPECT_TRUE(eventually([&] { return closed_by_server(pool, closed) >= 1; }))
        << "no idle connection was closed to make room";
    // Oldest idle first. With one thread the order the server saw is the test's; with two, a
    // thread may mark a connection idle (after its write completes) later than the other thread
    // serves the next client's request.
    if (std::string_view(threads) == "1") {
      EXPECT_TRUE(closed[0] && !closed[1] && !closed[2] && !closed[3])
          << "the oldest idle connection (only) goes first: " << closed[0] << closed[1] << closed[2] << closed[3];
    }
    // A connection left open still serves.
    for (std::size_t i = 0; i < pool.size(); ++i)
      if (!closed[i]) {
        pool[i]->set_read_timeout(std::chrono::seconds(10));
        std::string again;
        EXPECT_TRUE(pool[i]->send_all(kHealth) && pool[i]->read_until("alive", again)) << again;
        break;
      }
    EXPECT_TRUE(s.gateway->wait_for_line("closing idle keep-alive connections to make room")) << s.gateway->output();
    // The scrape's own connection is over the cap too: it gets in the same way. One client waited
    // each time, so each round closed one connection.
    const auto metrics = request(s.port, "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("\nswitchyard_idle_connections_closed_total 2\n"), std::string::npos)
        << metrics.body << s.gateway->output();
  }
}

// The cap counts connections, not accept loops: an I/O thread with nobody to accept holds no slot
// (one taken before accepting would leave N - 1 fewer for N threads, and make room for nobody).
TEST(HttpHardening, ConnectionCapCountsConnectionsNotAcceptLoops) {
  Stack s("models: {}\n", kOneModel, "", {"--max-connections", "6", "--threads", "4"});
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<RawClient>(s.port));
    clients.back()->set_read_timeout(std::chrono::seconds(5));
    std::string got;
    ASSERT_TRUE(clients.back()->send_all(kHealth));
    ASSERT_TRUE(clients.back()->read_until("alive", got)) << "connection " << i << " waited under the cap: " << got;
  }
  std::vector<bool> closed(clients.size(), false);
  EXPECT_EQ(closed_by_server(clients, closed), 0) << "a connection was closed under the cap";
  EXPECT_EQ(s.gateway->output().find("closing idle keep-alive connections"), std::string::npos) << s.gateway->output();
}

// A connection in the middle of a slow stream is never closed to make room, nor one whose next
// request has started to arrive; idle ones are, oldest first.
TEST(HttpHardening, ConnectionCapNeverClosesAConnectionWithARequestUnderWay) {
  for (const char* threads : {"1", "2"}) {
    SCOPED_TRACE(std::string("--threads ") + threads);
    Stack s("models:\n  gpt-a: {chunk_delay_ms: 300, reply: \"one two three four five six seven eight\"}\n",
            kOneModel, "", {"--max-connections", "4", "--threads", threads});
    RawClient streaming(s.port);
    ASSERT_TRUE(streaming.send_all(chat_request(chat_body(Client::openai, "chat", true))));
    std::string streamed;
    ASSERT_TRUE(streaming.read_until("data: ", streamed)) << streamed;  // under way
    // A keep-alive connection whose next request has sent its first bytes only.
    RawClient started_next(s.port);
    std::string got;
    ASSERT_TRUE(started_next.send_all(kHealth));
    ASSERT_TRUE(started_next.read_until("alive", got)) << got;
    ASSERT_TRUE(started_next.send_all("GET /health/liveliness HTTP/1.1\r\n"));
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 2; ++i) {
      idle.push_back(std::make_unique<RawClient>(s.port));
      std::string answer;
      ASSERT_TRUE(idle.back()->send_all(kHealth));
      ASSERT_TRUE(idle.back()->read_until("alive", answer)) << answer;
    }
    // Four new clients, one after the other, each kept open: each needs an idle one closed.
    std::vector<std::unique_ptr<RawClient>> newcomers;
    for (int i = 0; i < 4; ++i) {
      newcomers.push_back(std::make_unique<RawClient>(s.port));
      newcomers.back()->set_read_timeout(std::chrono::seconds(5));
      std::string answer;
      ASSERT_TRUE(newcomers.back()->send_all(kHealth));
      ASSERT_TRUE(newcomers.back()->read_until("alive", answer)) << "newcomer " << i << ": " << answer;
    }
    std::vector<bool> closed(idle.size(), false);
    EXPECT_TRUE(eventually([&] { return closed_by_server(idle, closed) == 2; })) << "the idle ones were closed";
    // The stream goes on to its end, and the started request is answered once complete.
    EXPECT_TRUE(streaming.read_until("data: [DONE]", streamed)) << streamed;
    EXPECT_NE(streamed.find("eight"), std::string::npos) << streamed;
    started_next.set_read_timeout(std::chrono::seconds(10));
    std::string next;
    ASSERT_TRUE(started_next.send_all("Host: x\r\n\r\n"));
    EXPECT_TRUE(started_next.read_until("alive", next)) << next;
  }
}

TEST(HttpHardening, InFlightCapAnswers429InTheClientsFormat) {
  Stack s("models:\n  gpt-a: {latency_ms: 2000, reply: \"slow\"}\n", kOneModel, "", {"--max-in-flight", "1"});
  HttpResult slow;
  std::jthread first([&] { slow = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", false)); });
  ASSERT_TRUE(eventually([&] { return s.stat("total") == 1; }));
  for (const auto c : kClients) {
    SCOPED_TRACE(name(c));
    const auto r = post_chat(s.port, c, chat_body(c, "chat", false));
    EXPECT_EQ(r.status, 429) << r.body;
    EXPECT_EQ(r.header("retry-after"), "1");
    const auto body = json::parse(r.body).as_object();
    if (c == Client::anthropic) {
      EXPECT_EQ(body.at("type"), "error");
      EXPECT_EQ(body.at("error").at("type"), "rate_limit_error");
    } else {
      EXPECT_NE(body.at("error").at("message").as_string().find("max_in_flight_requests"), json::string::npos);
    }
  }
  EXPECT_EQ(request(s.port, "GET", "/health/readiness").status, 200);  // health is never capped
  first.join();
  EXPECT_EQ(slow.status, 200) << slow.body;
  EXPECT_EQ(s.stat("total"), 1u) << "refused requests must not reach the upstream";
  // The slot is free once the slow request's handler has returned, which may be just after its
  // client read the answer (the log line and metrics come after the write): a new request may be
  // refused for that instant, never for long.
  HttpResult after;
  EXPECT_TRUE(eventually([&] {
    after = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", false));
    return after.status == 200;
  })) << after.status << " " << after.body;
}

// ------------------------------------------------------------------------ item 4: timeouts
// timeout 1.5 s; the stream sends a chunk every 0.4 s for about 2.5 s: it is never cut, and the
// deployment is not blamed (allowed_fails 0 would cool it down at once).
TEST(HttpHardening, HealthySlowStreamOutlivesTimeoutAndIsNotBlamed) {
  Stack s("models:\n  gpt-a: {chunk_delay_ms: 400, reply: \"one two three four\"}\n",
          "  - {model_name: chat, litellm_params: {model: openai_compatible/gpt-a, api_base: '$BASE/v1', timeout: 1.5}}\n",
          kNoRetries);
  const auto started = Clock::now();
  const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", true));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto streamed = read_stream(Client::openai, r);
  EXPECT_GT(Clock::now() - started, std::chrono::milliseconds(1500)) << "the stream was meant to outlast timeout";
  EXPECT_FALSE(streamed.error) << r.body;
  EXPECT_EQ(streamed.text, "one two three four");
  EXPECT_TRUE(streamed.done);
  const auto again = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", false));
  EXPECT_EQ(again.status, 200) << "the deployment was cooled down: " << again.body;
}

// stream_timeout is the longest silence: a stream that goes quiet for longer fails as a timeout
// (before content here: no byte reached the client), however long `timeout` is.
TEST(HttpHardening, StreamTimeoutBoundsTheSilenceBetweenChunks) {
  const std::string mock = "models:\n  gpt-a: {chunk_delay_ms: 2500, reply: \"late words\"}\n";
  for (const bool router_level : {false, true}) {
    SCOPED_TRACE(router_level ? "router_settings.stream_timeout" : "litellm_params.stream_timeout");
    const std::string model = router_level
        ? "  - {model_name: chat, litellm_params: {model: openai_compatible/gpt-a, api_base: '$BASE/v1', timeout: 30}}\n"
        : "  - {model_name: chat, litellm_params: {model: openai_compatible/gpt-a, api_base: '$BASE/v1', timeout: 30, stream_timeout: 0.5}}\n";
    const std::string settings = router_level
        ? "router_settings: {num_retries: 0, allowed_fails: 0, cooldown_time: 60, stream_timeout: 0.5}\n"
        : kNoRetries;
    Stack s(mock, model, settings);
    const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", true));
    EXPECT_EQ(r.status, 504) << r.body;
    EXPECT_NE(r.body.find("timeout"), std::string::npos) << r.body;
    EXPECT_EQ(r.header("x-switchyard-attempts"), "1");
  }
}

// A client that stops reading a stream: the write times out, the upstream connection is closed
// (the mock sees its stream aborted) and the request leaves the in-flight count.
TEST(HttpHardening, ClientThatStopsReadingGetsAWriteTimeoutAndTheUpstreamIsReleased) {
  Stack s("models: {}\n", kOneModel, "", {"--client-write-timeout", "1"});
  // 200 chunks of 64 KiB, one every 50 ms: 12.8 MiB over 10 s, far more than the socket buffers.
  std::string reply;
  const std::string word(8 << 10, 'w');
  for (int i = 0; i < 1600; ++i) reply += (i ? " " : "") + word;
  json::object behaviour{{"reply", reply}, {"chunk_delay_ms", 50}};
  ASSERT_EQ(request(s.mock.port, "PUT", "/mock/models/gpt-a", json::serialize(behaviour)).status, 200);
  RawClient c(s.port, 4096);
  ASSERT_TRUE(c.send_all(chat_request(chat_body(Client::openai, "chat", true))));
  std::string got;
  ASSERT_TRUE(c.read_until("HTTP/1.1 200", got)) << got;
  // ...and read no more.
  EXPECT_TRUE(eventually([&] { return s.stat("aborted_streams") == 1; }, std::chrono::seconds(15)))
      << "the upstream stream was not released";
  EXPECT_TRUE(eventually([&] {
    return request(s.port, "GET", "/metrics").body.find("\nswitchyard_in_flight_requests 0\n") != std::string::npos;
  })) << request(s.port, "GET", "/metrics").body.substr(0, 2000);
  EXPECT_TRUE(s.gateway->running());
}

// ------------------------------------------------------------ item 5a: no repeated POST
// The upstream reads the request on a kept-alive connection and closes without answering: it may
// have acted on it, so the gateway must not send it again by itself. It is the attempt's
// `connection` failure (num_retries 0: the client gets it).
TEST(HttpHardening, PooledConnectionClosedAfterTheRequestIsNotResent) {
  Stack s("models:\n  gpt-a: {script: [ok, close_after_read, ok]}\n", kOneModel, kNoRetries, {"--threads", "1"});
  const auto first = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", false));
  ASSERT_EQ(first.status, 200) << first.body;  // leaves a pooled connection
  const auto second = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", false));
  EXPECT_EQ(s.calls("gpt-a"), 2) << "the POST was sent twice";
  EXPECT_EQ(second.header("x-switchyard-attempts"), "1");
  EXPECT_NE(second.status, 200) << second.body;
  EXPECT_NE(second.body.find("connection"), std::string::npos) << second.body;
}

// A pooled connection the upstream closed after its answer is noticed before writing: the next
// request goes out once, on a fresh connection, and succeeds. Each next request waits until the
// mock has closed (its FIN is then in the gateway's socket): without that, a busy machine can
// deliver the close after the gateway's check, which is the keep-alive race no client can win
// for a POST (the request was written; re-sending it is the router's decision, and it has no
// retries here).
TEST(HttpHardening, PooledConnectionClosedWhileIdleIsNotUsed) {
  Stack s("models:\n  gpt-a: {script: [close_after_answer, close_after_answer, ok]}\n", kOneModel, kNoRetries,
          {"--threads", "1"});
  for (int i = 1; i <= 3; ++i) {
    const auto r = post_chat(s.port, Client::openai, chat_body(Client::openai, "chat", i == 2));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("x-switchyard-attempts"), "1");
    EXPECT_EQ(s.calls("gpt-a"), i);
    if (i < 3) {
      EXPECT_TRUE(eventually([&] { return s.stat("closed_after_answer") == static_cast<std::uint64_t>(i); }));
    }
  }
}

}  // namespace
}  // namespace switchyard::testing
