// The Responses store across instances: with router_settings.redis_url, a response stored by one
// gateway is read (GET /v1/responses/{id}) and continued (previous_response_id) on another.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "harness.h"

namespace switchyard::testing {
namespace {
namespace json = boost::json;

std::string redis_server() {
  for (const auto* dir : {"/usr/bin", "/usr/local/bin", "/usr/sbin"})
    if (std::filesystem::exists(std::string(dir) + "/redis-server")) return std::string(dir) + "/redis-server";
  return "";
}

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

}  // namespace
}  // namespace switchyard::testing
