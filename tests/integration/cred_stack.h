// The mock and a gateway that runs with a clean environment (env -i) naming only what a cloud
// credential flow needs: shared by the cloud-credential and tenancy tests.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat_client.h"
#include "harness.h"

namespace switchyard::testing {

inline void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

// The mock with `mock_yaml`, and the gateway with `deployments` (model_list entries) and only
// the environment variables in `env`; "$BASE" becomes the mock's URL, "$HOSTPORT" its host:port,
// "$TMP" this test's directory, in the config, the variables and `files` (name → content,
// written to $TMP before the gateway starts).
struct CredStack {
  MockProcess mock;
  std::unique_ptr<Process> gateway;
  std::uint16_t port = 0;
  std::string base;

  CredStack(const std::string& tag, const std::string& mock_yaml, std::string deployments,
            std::vector<std::string> env, const std::string& router_settings = "  num_retries: 0\n",
            std::vector<std::pair<std::string, std::string>> files = {}) {
    mock = start_mock(mock_yaml);
    if (mock.port == 0) throw std::runtime_error("mock did not start: " + mock.process->output());
    base = "http://127.0.0.1:" + std::to_string(mock.port);
    const auto expand = [this](std::string& s) {
      replace_all(s, "$BASE", base);
      replace_all(s, "$HOSTPORT", "127.0.0.1:" + std::to_string(mock.port));
      replace_all(s, "$TMP", temp_dir().string());
    };
    for (auto& [name, content] : files) {
      expand(content);
      std::ofstream(temp_dir() / name, std::ios::binary) << content;
    }
    std::string cfg = "model_list:\n" + deployments + "router_settings:\n" + router_settings;
    expand(cfg);
    const auto file = write_temp_file("creds-" + tag + ".yaml", cfg);
    std::vector<std::string> argv{"/usr/bin/env", "-i", "HOME=" + (temp_dir() / ("home-" + tag)).string(),
                                  "PATH=/usr/bin:/bin"};
    for (auto& e : env) {
      expand(e);
      argv.push_back(e);
    }
    for (std::string a : {binary_path(), std::string("serve"), std::string("--config"), file.string(),
                          std::string("--port"), std::string("0")})
      argv.push_back(a);
    gateway = std::make_unique<Process>(argv);
    const auto p = gateway->wait_for_port();
    if (!p) throw std::runtime_error("gateway did not start: " + gateway->output());
    port = *p;
  }

  HttpResult chat(const std::string& group) const { return post_chat(port, Client::openai, chat_body(Client::openai, group, false)); }

  boost::json::object flows() const { return boost::json::parse(request(mock.port, "GET", "/mock/credentials").body).as_object(); }
  std::int64_t granted(std::string_view flow) const {
    const auto f = flows();
    const auto* v = f.if_contains(flow);
    return v ? v->at("granted").to_number<std::int64_t>() : 0;
  }
  std::int64_t refused(std::string_view flow) const {
    const auto f = flows();
    const auto* v = f.if_contains(flow);
    return v ? v->at("refused").to_number<std::int64_t>() : 0;
  }
  boost::json::object last_headers(std::string_view model) const {
    const auto stats = boost::json::parse(request(mock.port, "GET", "/mock/stats").body).as_object();
    return stats.at("models").at(model).at("last_headers").as_object();
  }
  std::string last_path(std::string_view model) const {
    const auto stats = boost::json::parse(request(mock.port, "GET", "/mock/stats").body).as_object();
    return std::string(stats.at("models").at(model).at("last_path").as_string());
  }
};

}  // namespace switchyard::testing
