// What an operator sees and does, wired into the gateway by `serve`: Prometheus metrics, the
// per-request log line, and live reload. Each part is optional (null: off).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "api/request_log.h"

namespace switchyard::api {

struct ReloadResult {
  bool ok = false;
  std::vector<std::string> errors;  // file:line:col: message, as `switchyard check` prints them
  std::vector<std::string> warnings;
  std::string summary;              // e.g. "4 deployments in 3 model groups"
};

struct Operations {
  std::shared_ptr<Metrics> metrics;
  std::shared_ptr<const RequestLog> request_log;
  // Re-reads the config file and swaps the router when it is valid; blocking (file I/O), so the
  // gateway runs it off the I/O threads. Null: reload is not available.
  std::function<ReloadResult()> reload;
  // Chat requests handled at once (0: no cap). Over it: 429 in the client's format, Retry-After 1.
  std::size_t max_in_flight_requests = 0;
};

}  // namespace switchyard::api
