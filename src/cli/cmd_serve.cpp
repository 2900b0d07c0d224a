// `switchyard serve --config F [--host 127.0.0.1] [--port 4000] [--threads N] [--log-format text|json]
// [--no-request-log] [--no-metrics] [--drain-seconds S] [--max-connections N] [--max-in-flight N]
// [--max-body-memory-mb N] [--client-write-timeout S]`: load the config (refusing it with
// file:line:col errors), build the router, serve until SIGINT/SIGTERM (then drain: no new
// connections, requests in flight finish); SIGHUP (or POST /admin/reload) reloads the config.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <mutex>
#include <string>
#include <vector>

#ifdef SWITCHYARD_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "api/gateway.h"
#include "cli/commands.h"
#include "config/config_loader.h"
#include "core/log_line.h"
#include "http/server.h"
#include "providers/chat_call.h"
#include "router/router.h"
#include "state/in_memory_store.h"
#include "state/make_store.h"

namespace switchyard::cli {
namespace {

// Which malloc serves the process (CMake's SWITCHYARD_JEMALLOC): the benchmark figures depend on it.
std::string allocator_name() {
#ifdef SWITCHYARD_WITH_JEMALLOC
  const char* version = nullptr;
  std::size_t size = sizeof version;
  if (mallctl("version", static_cast<void*>(&version), &size, nullptr, 0) == 0 && version != nullptr)
    return "jemalloc " + std::string(version).substr(0, std::string_view(version).find('-'));  // "5.3.0-0-g54ea…"
  return "jemalloc";
#else
  return "system malloc";
#endif
}

struct ServeOptions {
  std::string config_path;
  std::string host = "127.0.0.1";
  std::uint16_t port = 4000;
  int threads = 0;
  std::string log_format = "text";
  bool request_log = true;
  bool metrics = true;
  double drain_seconds = 10;
  // Server limits; unset (-1) takes general_settings' value, else the default (see README).
  long long max_connections = -1;
  long long max_in_flight = -1;
  long long max_body_memory_mb = -1;
  double client_write_timeout = -1;
};

// A flag given on the command line wins over the config file's general_settings value.
template <typename T, typename U>
T chosen(T flag, const std::optional<U>& configured, T fallback) {
  if (flag >= 0) return flag;
  if (configured) return static_cast<T>(*configured);
  return fallback;
}

void apply_limits(const ServeOptions& o, const config::ServerLimits& limits, http::ServerOptions& server,
                  api::Operations& operations) {
  server.max_connections = static_cast<std::size_t>(chosen(o.max_connections, limits.max_connections, 0LL));
  operations.max_in_flight_requests = static_cast<std::size_t>(chosen(o.max_in_flight, limits.max_in_flight_requests, 0LL));
  const auto budget_mb = chosen(o.max_body_memory_mb, limits.max_request_body_memory_mb,
                                static_cast<long long>(http::kDefaultBodyMemoryBudgetBytes >> 20));
  server.body_memory_budget_bytes = static_cast<std::size_t>(budget_mb) << 20;
  const auto write_seconds = chosen(o.client_write_timeout, limits.client_write_timeout_seconds,
                                    std::chrono::duration<double>(http::kDefaultWriteTimeout).count());
  server.write_timeout = std::chrono::milliseconds(static_cast<long long>(write_seconds * 1000));
}

// `previous`: the router serving now (on a reload). Its store is kept, or handed over, and the new
// router binds each deployment to the state its id had (see router/deployments.h).
std::shared_ptr<const router::Router> build_router(std::shared_ptr<const config::Config> cfg,
                                                   const router::Router* previous = nullptr) {
  // Redis-shared when router_settings names a Redis
  auto store = state::make_state_store(*cfg, previous ? previous->shared_state() : nullptr);
  return std::make_shared<const router::Router>(std::move(cfg), std::move(store), std::make_shared<core::SteadyClock>(),
                                                providers::call_deployment, router::asio_sleep);
}

void warn_unusable(const router::Router& router) {
  // Deployments that load but cannot be called (missing cloud credentials…) are served as
  // not_found and fall back; say so once per load.
  for (const auto& entry : router.deployments().all())
    if (const auto& endpoint = entry.endpoint; !endpoint.adapter)
      core::log_line(std::cerr, "switchyard: warning: deployment " + endpoint.deployment->id + " (group '" +
                                    endpoint.deployment->group + "') cannot be called: " + endpoint.unusable_reason);
}

// Live reload: a config that does not load is refused with the same file:line:col errors and
// the old one keeps serving; a good one takes effect for requests that start after the swap.
class Reloader {
 public:
  Reloader(std::string config_path, std::shared_ptr<api::Metrics> metrics)
      : config_path_(std::move(config_path)), metrics_(std::move(metrics)) {}
  void attach(std::weak_ptr<api::Gateway> gateway) { gateway_ = std::move(gateway); }

  api::ReloadResult reload() {
    std::lock_guard lock(mutex_);  // SIGHUP and POST /admin/reload may race
    api::ReloadResult result;
    const auto loaded = config::load_config_file(config_path_);
    for (const auto& w : loaded.warnings) result.warnings.push_back(w.to_string());
    for (const auto& u : loaded.unservable) result.warnings.push_back(u.to_string());
    for (const auto& e : loaded.errors) result.errors.push_back(e.to_string());
    const auto gateway = gateway_.lock();
    result.ok = loaded.ok() && gateway;
    if (metrics_) metrics_->add(api::Family::config_reloads, {result.ok ? "success" : "failure"});
    if (!result.ok) {
      result.summary = "config refused, still serving the previous one";
      return result;
    }
    auto router = build_router(loaded.config, gateway->router().get());
    warn_unusable(*router);
    const auto& changes = router->deployments().changes();
    result.summary = std::to_string(loaded.config->deployments.size()) + " deployments in " +
                     std::to_string(loaded.config->groups().size()) + " model groups (state kept: " +
                     std::to_string(changes.kept.size()) + ", params changed: " +
                     std::to_string(changes.params_changed.size()) + ", added: " + std::to_string(changes.added.size()) +
                     ", removed: " + std::to_string(changes.removed.size()) + ")";
    retired_.push_back(gateway->router());
    gateway->swap_router(std::move(router));
    return result;
  }

  // Old routers are released here, on the main thread, once no request uses them: their state
  // store may own threads and connections (Redis), whose shutdown must not land on an I/O thread
  // as the last request on the old config finishes.
  void release_retired() {
    std::lock_guard lock(mutex_);
    std::erase_if(retired_, [](const auto& router) { return router.use_count() == 1; });
  }

 private:
  std::vector<std::shared_ptr<const router::Router>> retired_;
  std::mutex mutex_;
  std::string config_path_;
  std::shared_ptr<api::Metrics> metrics_;
  std::weak_ptr<api::Gateway> gateway_;
};

int run_serve(const ServeOptions& o) {
  const auto loaded = config::load_config_file(o.config_path);
  for (const auto& w : loaded.warnings) std::cerr << w.to_string() << '\n';
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << '\n';
  if (!loaded.ok()) {
    std::cerr << "switchyard: config refused, not serving\n";
    return 1;
  }
  for (const auto& m : loaded.unservable) std::cerr << "switchyard: warning: " << m.to_string() << '\n';
  if (loaded.config->general.master_key.empty() && loaded.config->general.keys.empty())
    std::cerr << "switchyard: WARNING: no master key (general_settings.master_key or LITELLM_MASTER_KEY) and no "
                 "general_settings.keys: this gateway is OPEN, anyone who can reach it can call every model\n";
  // Signals are taken by this thread with sigwait; I/O threads inherit the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto router = build_router(loaded.config);
  warn_unusable(*router);
  api::Operations operations;
  if (o.metrics) operations.metrics = std::make_shared<api::Metrics>();
  if (o.request_log)
    operations.request_log =
        std::make_shared<const api::RequestLog>(o.log_format == "json" ? api::LogFormat::json : api::LogFormat::text);
  auto reloader = std::make_shared<Reloader>(o.config_path, operations.metrics);
  operations.reload = [reloader] { return reloader->reload(); };
  http::ServerOptions options;
  apply_limits(o, loaded.config->general.limits, options, operations);
  if (const auto metrics = operations.metrics)
    options.on_idle_connections_closed = [metrics](std::size_t closed) {
      metrics->add(api::Family::idle_connections_closed, {}, static_cast<double>(closed));
    };
  auto gateway = std::make_shared<api::Gateway>(std::move(router), std::move(operations));
  reloader->attach(gateway);
  options.host = o.host;
  options.port = o.port;
  options.threads = o.threads;
  http::Server server(
      options, [gateway](http::Request& req, http::Responder& res) { return gateway->handle(req, res); },
      [gateway](const http::RequestHead& head) { return gateway->screen(head); });
  try {
    server.start();
  } catch (const std::exception& e) {
    std::cerr << "switchyard: cannot listen on " << o.host << ":" << o.port << ": " << e.what() << '\n';
    return 1;
  }
  // Whole (core/log_line.h): the Redis store's threads may be writing "connected" meanwhile, and
  // whoever reads this line takes the port from it.
  core::log_line(std::cout, "switchyard listening on http://" + o.host + ":" + std::to_string(server.port()) + " (" +
                                std::to_string(server.threads()) + " threads, " +
                                std::to_string(loaded.config->deployments.size()) + " deployments, " +
                                allocator_name() + ")");
  int received = 0;
  for (;;) {
    const timespec tick{1, 0};  // wake up now and then to release routers retired by reloads
    received = sigtimedwait(&signals, nullptr, &tick);
    if (received < 0) {
      reloader->release_retired();
      continue;
    }
    if (received != SIGHUP) break;
    const auto result = reloader->reload();
    for (const auto& line : result.warnings) core::log_line(std::cerr, line);
    for (const auto& line : result.errors) core::log_line(std::cerr, line);
    core::log_line(std::cerr, "switchyard: SIGHUP: " + std::string(result.ok ? "config reloaded: " : "") + result.summary);
  }
  // Graceful: stop accepting, let requests in flight finish (streams included), then stop.
  core::log_line(std::cout, "switchyard: signal " + std::to_string(received) + ", draining");
  const auto left = server.drain(std::chrono::milliseconds(static_cast<long long>(o.drain_seconds * 1000)));
  if (left > 0)
    core::log_line(std::cerr, "switchyard: " + std::to_string(left) + " requests still in flight after the drain; stopping");
  core::log_line(std::cout, "switchyard: stopped");
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
  cmd->add_option("--log-format", o->log_format, "request log lines: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("!--no-request-log", o->request_log, "no per-request log line");
  cmd->add_flag("!--no-metrics", o->metrics, "no Prometheus metrics (GET /metrics answers 404)");
  cmd->add_option("--drain-seconds", o->drain_seconds,
                  "on SIGTERM/SIGINT: stop accepting and wait this long for requests in flight (default 10)")
      ->check(CLI::Range(0.0, 3600.0));
  cmd->add_option("--max-connections", o->max_connections,
                  "open client connections at most; at the cap idle keep-alive ones are closed for new clients, "
                  "else these wait in the listen backlog (default 0: no cap; "
                  "general_settings.max_connections)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-in-flight", o->max_in_flight,
                  "chat requests handled at once; more get 429 with Retry-After (default 0: no cap; "
                  "general_settings.max_in_flight_requests)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-body-memory-mb", o->max_body_memory_mb,
                  "request bodies held in memory at once, all connections; over it 503 (default 256; 0: no budget; "
                  "general_settings.max_request_body_memory_mb)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--client-write-timeout", o->client_write_timeout,
                  "seconds one write to a client may take before it counts as gone, e.g. stopped reading a "
                  "stream (default 60; general_settings.client_write_timeout_seconds)")
      ->check(CLI::PositiveNumber);
  cmd->callback([o, &exit_code] { exit_code = run_serve(*o); });
}

}  // namespace switchyard::cli
