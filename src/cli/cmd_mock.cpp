// `switchyard mock --port N [--host 127.0.0.1] [--config F] [--threads N]`: run the embedded mock
// provider until SIGINT/SIGTERM. Prints `mock listening on HOST:PORT` once bound (tests and
// scripts wait for that line and read the port from it when started with --port 0).
#include <pthread.h>

#include <csignal>
#include <iostream>

#include "cli/commands.h"
#include "core/log_line.h"
#include "mock/mock_server.h"

namespace switchyard::cli {
namespace {

inline constexpr std::uint16_t kDefaultMockPort = 4010;  // the port examples/quickstart.yaml uses

struct MockOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = kDefaultMockPort;
  std::string config_path;
  int threads = 0;
};

int run_mock(const MockOptions& o) {
  mock::MockConfig config;
  if (!o.config_path.empty()) {
    auto loaded = mock::load_mock_config_file(o.config_path);
    for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
    if (!loaded.ok()) return 1;
    config = std::move(loaded.config);
  }
  // Block the stop signals in every thread (the I/O threads inherit the mask) and take them
  // synchronously below: no work happens in a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  mock::ListenerOptions options;
  options.host = o.host;
  options.port = o.port;
  options.threads = o.threads;
  mock::MockServer server(config, options);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "mock: cannot listen on " << o.host << ':' << o.port << ": " << e.what() << '\n';
    return 1;
  }
  core::log_line(std::cout, "mock listening on " + o.host + ':' + std::to_string(server.port()));
  int signal = 0;
  sigwait(&stop_signals, &signal);
  server.stop();
  server.wait();
  return 0;
}

}  // namespace

void add_mock_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("mock", "Run the mock provider (OpenAI + Anthropic formats, scripted faults)");
  auto o = std::make_shared<MockOptions>();
  cmd->add_option("--port", o->port, "port to listen on (0: any free port, printed on stdout)");
  cmd->add_option("--host", o->host, "address to listen on");
  cmd->add_option("--config,-c", o->config_path, "mock behaviour YAML (see examples/mock.yaml)");
  cmd->add_option("--threads", o->threads, "I/O threads (0: one per core)");
  cmd->callback([o, &exit_code] { exit_code = run_mock(*o); });
}

}  // namespace switchyard::cli
