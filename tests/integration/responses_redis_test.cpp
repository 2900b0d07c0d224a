// The Responses store across instances: with router_settings.redis_url, a response stored by one
// gateway is read (GET /v1/responses/{id}) and continued (previous_response_id) on another, and a
// delete on one reaches the local copies of the others.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

std::string redis_binary(std::string_view name) {
  for (const auto* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"})
    if (std::filesystem::exists(std::string(dir) + "/" + std::string(name))) return std::string(dir) + "/" + std::string(name);
  return "";
}
std::string redis_server() { return redis_binary("redis-server"); }

TEST(ResponsesRedis, AnotherInstanceReadsAndContinuesAStoredResponse) {
  const auto server = redis_server();
  ASSERT_FALSE(server.empty()) << "redis-server not found (apt-get install redis-server; make test installs it)";
  const auto redis_port = free_port();
  Process redis({server, "--port", std::to_string(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"});
  ASSERT_TRUE(redis.wait_for_line("Ready to accept connections")) << redis.output();
  auto mock = start_mock("models:\n  claude-ok: {reply: \"Hello from Claude\"}\n");
  const auto base = "http://127.0.0.1:" + std::to_string(mock.port);
  const auto file = write_temp_file("responses-redis-" + std::to_string(mock.port) + ".yaml",
                                    "model_list:\n  - {model_name: claude, litellm_params: {model: anthropic/claude-ok, api_base: '" +
                                        base + "', api_key: x}}\nrouter_settings:\n  redis_url: redis://127.0.0.1:" +
                                        std::to_string(redis_port) + "\n");
  std::vector<std::unique_ptr<Process>> gateways;
  std::vector<std::uint16_t> ports;
  for (int i = 0; i < 2; ++i) {
    gateways.push_back(std::make_unique<Process>(
        std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0"}));
    const auto p = gateways.back()->wait_for_port();
    ASSERT_TRUE(p) << gateways.back()->output();
    ports.push_back(*p);
    ASSERT_TRUE(gateways.back()->wait_for_line("connected")) << gateways.back()->output();
  }

  const auto first = request(ports[0], "POST", "/v1/responses", R"({"model":"claude","input":"My name is Ada."})");
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string id(json::parse(first.body).at("id").as_string());

  // The copy reaches Redis from the first instance's Redis thread: wait for it, with a deadline.
  HttpResult stored;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {
    stored = request(ports[1], "GET", "/v1/responses/" + id);
    if (stored.status == 200) break;
    std::this_thread::sleep_for(10ms);
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(json::parse(stored.body).at("id"), json::value(id));

  const auto next = request(ports[1], "POST", "/v1/responses",
                            json::serialize(json::object{{"model", "claude"}, {"input", "My name?"}, {"previous_response_id", id}}));
  ASSERT_EQ(next.status, 200) << next.body;
  const auto stats = json::parse(request(mock.port, "GET", "/mock/stats").body);
  const auto& messages = stats.at("models").at("claude-ok").at("last_body").at("messages").as_array();
  ASSERT_EQ(messages.size(), 3u) << json::serialize(messages);
  EXPECT_EQ(messages[1].at("content").at(0).at("text"), "Hello from Claude");

  // An id no instance stored is still OpenAI's 404.
  EXPECT_EQ(request(ports[1], "GET", "/v1/responses/resp_nobody").status, 404);

  // A delete removes the Redis copy too: the deleting instance does not fetch it back, and a
  // third instance (which never held it) does not find it. (Before, the GET after the DELETE
  // found nothing locally, fetched the Redis copy and answered 200.)
  const auto deleted = request(ports[1], "DELETE", "/v1/responses/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(json::parse(deleted.body).at("deleted"), json::value(true));
  const auto after = request(ports[1], "GET", "/v1/responses/" + id);
  EXPECT_EQ(after.status, 404) << after.body;
  gateways.push_back(std::make_unique<Process>(
      std::vector<std::string>{binary_path(), "serve", "--config", file.string(), "--port", "0"}));
  const auto third = gateways.back()->wait_for_port();
  ASSERT_TRUE(third) << gateways.back()->output();
  ASSERT_TRUE(gateways.back()->wait_for_line("connected")) << gateways.back()->output();
  EXPECT_EQ(request(*third, "GET", "/v1/responses/" + id).status, 404);
}

// A Redis, a mock and `instances` gateways sharing the Redis, each connected (else a store is not
// written to Redis) and subscribed to its events (else a delete published before would not reach it).
struct SharedStack {
  std::unique_ptr<Process> redis;
  std::uint16_t redis_port = 0;
  MockProcess mock;
  std::vector<GatewayProcess> gateways;

  explicit SharedStack(int instances) {
    const auto server = redis_server();
    if (server.empty()) throw std::runtime_error("redis-server not found (apt-get install redis-server)");
    redis_port = free_port();
    redis = std::make_unique<Process>(std::vector<std::string>{server, "--port", std::to_string(redis_port), "--bind",
                                                               "127.0.0.1", "--save", "", "--appendonly", "no"});
    if (!redis->wait_for_line("Ready to accept connections")) throw std::runtime_error(redis->output());
    mock = start_mock("models:\n  claude-ok: {reply: \"Hello from Claude\"}\n");
    const auto config = "model_list:\n  - {model_name: claude, litellm_params: {model: anthropic/claude-ok, api_base: "
                        "'http://127.0.0.1:" + std::to_string(mock.port) +
                        "', api_key: x}}\nrouter_settings:\n  redis_url: redis://127.0.0.1:" +
                        std::to_string(redis_port) + "\n";
    for (int i = 0; i < instances; ++i) {
      gateways.push_back(start_gateway(config));
      if (!gateways.back().process->wait_for_line("subscribed") || !gateways.back().process->wait_for_line("connected"))
        throw std::runtime_error(gateways.back().process->output());
    }
  }
  std::uint16_t port(std::size_t i) const { return gateways.at(i).port; }
  HttpResult post(std::size_t i, json::object body) const {
    body["model"] = "claude";
    return request(port(i), "POST", "/v1/responses", json::serialize(body));
  }
};

// Instance B holds a local copy of R; instance A deletes R: B must stop serving it (GET and
// previous_response_id answer as for an unknown id), not only once its copy's TTL (6 h) is over.
// Before the invalidation event B kept answering 200 from its copy.
TEST(ResponsesRedis, ADeleteOnOneInstanceReachesAnotherInstancesLocalCopy) {
  SharedStack s(3);
  const auto stored = s.post(0, {{"input", "My name is Ada."}});
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string id(json::parse(stored.body).at("id").as_string());
  // B (instance 1) reads R: it now holds a local copy.
  ASSERT_TRUE(eventually([&] { return request(s.port(1), "GET", "/v1/responses/" + id).status == 200; }, 5s));
  // A (instance 2, which never held R) deletes it: fetched from Redis, then removed everywhere.
  const auto deleted = request(s.port(2), "DELETE", "/v1/responses/" + id);
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(eventually([&] { return request(s.port(1), "GET", "/v1/responses/" + id).status == 404; }, 5s))
      << s.gateways[1].process->output();
  const auto next = s.post(1, {{"input", "My name?"}, {"previous_response_id", id}});
  EXPECT_EQ(next.status, 404) << next.body;
  EXPECT_NE(next.body.find("previous_response_not_found"), std::string::npos) << next.body;
  // The instance that stored it forgot it as well (its delete event may come after B's).
  EXPECT_TRUE(eventually([&] { return request(s.port(0), "GET", "/v1/responses/" + id).status == 404; }, 5s))
      << s.gateways[0].process->output();
}

// `redis-cli -p port args…`: its exit code and output.
std::pair<int, std::string> redis_cli(std::uint16_t port, std::vector<std::string> args) {
  args.insert(args.begin(), {redis_binary("redis-cli"), "-p", std::to_string(port)});
  Process cli(std::move(args));
  const auto code = cli.wait_for_exit();
  return {code.value_or(-1), cli.output()};
}

std::size_t count_of(const std::string& text, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// An instance whose subscription broke (in life a network blip or a Redis failover; here Redis
// closes every pub/sub connection and refuses SUBSCRIBE for a while) misses the delete events
// published until it subscribes again: on resubscribing it checks each local copy against Redis
// when next asked for it (a delete leaves a tombstone there). Before, it kept serving R.
TEST(ResponsesRedis, ADeleteMissedWhileResubscribingIsNotServedFromALocalCopy) {
  SharedStack s(2);
  const auto stored = s.post(0, {{"input", "My name is Ada."}});
  ASSERT_EQ(stored.status, 200) << stored.body;
  const std::string id(json::parse(stored.body).at("id").as_string());
  ASSERT_TRUE(eventually([&] { return request(s.port(1), "GET", "/v1/responses/" + id).status == 200; }, 5s));
  const auto subscribed = [&] { return count_of(s.gateways[1].process->output(), "subscribed to"); };
  const auto subscriptions = subscribed();
  ASSERT_EQ(redis_cli(s.redis_port, {"ACL", "SETUSER", "default", "-subscribe"}).first, 0);
  ASSERT_EQ(redis_cli(s.redis_port, {"CLIENT", "KILL", "TYPE", "pubsub"}).first, 0);
  // Published while no instance can subscribe.
  ASSERT_EQ(request(s.port(0), "DELETE", "/v1/responses/" + id).status, 200);
  ASSERT_EQ(redis_cli(s.redis_port, {"ACL", "SETUSER", "default", "+subscribe"}).first, 0);
  ASSERT_TRUE(eventually([&] { return subscribed() > subscriptions; }, 10s)) << s.gateways[1].process->output();
  EXPECT_TRUE(eventually([&] { return request(s.port(1), "GET", "/v1/responses/" + id).status == 404; }, 5s))
      << s.gateways[1].process->output();

  // A copy Redis no longer has (lost in a Redis restart; here deleted behind the gateways' back,
  // without the delete's tombstone) is no delete: still served after a resubscription.
  const auto kept = s.post(1, {{"input", "Still here?"}});
  ASSERT_EQ(kept.status, 200) << kept.body;
  const std::string kept_id(json::parse(kept.body).at("id").as_string());
  const auto kept_key = "switchyard:shared:responses:" + kept_id;
  ASSERT_TRUE(eventually([&] { return redis_cli(s.redis_port, {"EXISTS", kept_key}).second.starts_with("1"); }, 5s));
  ASSERT_EQ(redis_cli(s.redis_port, {"DEL", kept_key}).first, 0);
  const auto before = subscribed();
  ASSERT_EQ(redis_cli(s.redis_port, {"CLIENT", "KILL", "TYPE", "pubsub"}).first, 0);
  ASSERT_TRUE(eventually([&] { return subscribed() > before; }, 10s)) << s.gateways[1].process->output();
  const auto lost = request(s.port(1), "GET", "/v1/responses/" + kept_id);
  EXPECT_EQ(lost.status, 200) << lost.body;
}

json::object refer_to(const std::string& item_id) {
  return {{"input", json::array{json::object{{"type", "item_reference"}, {"id", item_id}},
                                json::object{{"role", "user"}, {"content", "and?"}}}}};
}

// Deleting R deletes its output items too: an item_reference to one answers like an unknown item
// on the deleting instance (its local copy), on an instance that held a copy (the del event) and
// on one that never did (Redis). Before, the items outlived their response until their TTL.
TEST(ResponsesRedis, ADeletedResponsesOutputItemsAreGoneEverywhere) {
  SharedStack s(3);
  const auto stored = s.post(0, {{"input", "My name is Ada."}});
  ASSERT_EQ(stored.status, 200) << stored.body;
  const auto answer = json::parse(stored.body);
  const std::string id(answer.at("id").as_string());
  const std::string item(answer.at("output").at(0).at("id").as_string());
  // Instance 1 resolves the item (fetched from Redis: it now holds a copy of the item only).
  ASSERT_TRUE(eventually([&] { return s.post(1, refer_to(item)).status == 200; }, 5s));
  const auto unknown = s.post(0, refer_to("msg_nobody"));
  ASSERT_EQ(unknown.status, 404) << unknown.body;

  ASSERT_EQ(request(s.port(0), "DELETE", "/v1/responses/" + id).status, 200);
  const auto local = s.post(0, refer_to(item));
  EXPECT_EQ(local.status, 404) << local.body;
  EXPECT_NE(local.body.find("Item with id '" + item + "' not found."), std::string::npos) << local.body;
  EXPECT_TRUE(eventually([&] { return s.post(1, refer_to(item)).status == 404; }, 5s)) << "instance 1 kept its copy";
  EXPECT_TRUE(eventually([&] { return s.post(2, refer_to(item)).status == 404; }, 5s)) << "Redis kept its copy";
}

}  // namespace
}  // namespace switchyard::testing
