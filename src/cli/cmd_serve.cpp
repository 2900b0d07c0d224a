// `switchyard serve --config F [--host 127.0.0.1] [--port 4000] [--threads N]`: load the config
// (refusing it with file:line:col errors), build the router, serve until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <iostream>

#include "api/gateway.h"
#include "cli/commands.h"
#include "config/config_loader.h"
#include "http/server.h"
#include "providers/chat_call.h"
#include "router/router.h"
#include "state/in_memory_store.h"

namespace switchyard::cli {
namespace {

struct ServeOptions {
  std::string config_path;
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  int threads = 0;
};

std::shared_ptr<const router::Router> build_router(std::shared_ptr<const config::Config> cfg) {
  auto store = std::make_shared<state::InMemoryStore>(cfg->deployments.size());
  return std::make_shared<const router::Router>(std::move(cfg), std::move(store), std::make_shared<core::SteadyClock>(),
                                                providers::call_deployment, router::asio_sleep);
}

int run_serve(const ServeOptions& o) {
  const auto loaded = config::load_config_file(o.config_path);
  for (const auto& w : loaded.warnings) std::cerr << w.to_string() << '\n';
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
  if (!loaded.ok()) {
    std::cerr << "switchyard: config refused, not serving\n";
    return 1;
  }
  // Signals are taken by this thread with sigwait; I/O threads inherit the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto router = build_router(loaded.config);
  // Deployments that load but cannot be called (missing cloud credentials…) are served as
  // not_found and fall back; say so once, at start.
  for (const auto& endpoint : router->endpoints())
    if (!endpoint.adapter)
      std::cerr << "switchyard: warning: deployment " << endpoint.deployment->id << " (group '"
                << endpoint.deployment->group << "') cannot be called: " << endpoint.unusable_reason << '\n';
  auto gateway = std::make_shared<api::Gateway>(std::move(router));
  http::ServerOptions options;
  options.host = o.host;
  options.port = o.port;
  options.threads = o.threads;
  http::Server server(options, [gateway](http::Request& req, http::Responder& res) { return gateway->handle(req, res); });
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "switchyard: cannot listen on " << o.host << ":" << o.port << ": " << e.what() << '\n';
    return 1;
  }
  std::cout << "switchyard listening on http://" << o.host << ":" << server.port() << " (" << server.threads()
            << " threads, " << loaded.config->deployments.size() << " deployments)" << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  std::cout << "switchyard: signal " << received << ", stopping" << std::endl;
  server.stop();
  server.wait();
  return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "Run the gateway");
  auto o = std::make_shared<ServeOptions>();
  cmd->add_option("--config,-c", o->config_path, "YAML config (LiteLLM format)")->required();
  cmd->add_option("--host", o->host, "address to listen on");
  cmd->add_option("--port,-p", o->port, "port to listen on (0: any free port)");
  cmd->add_option("--threads", o->threads, "I/O threads (default: one per core)");
  cmd->callback([o, &exit_code] { exit_code = run_serve(*o); });
}

}  // namespace switchyard::cli
