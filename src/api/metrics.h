// Prometheus metrics (text exposition format 0.0.4), cheap on the hot path: every I/O thread
// records into its own shard (a map from series key to value, guarded by a mutex that only that
// thread and the scraper ever take), and `GET /metrics` merges the shards. A series key is built
// in a reused thread-local buffer and looked up without allocating; only a series' first
// increment on a thread allocates. No lock is shared by two I/O threads. record_request finds an
// answered request's series through a per-shard cache (one lookup, no key built, one lock).
// Naming follows https://prometheus.io/docs/practices/naming/: `switchyard_` prefix, `_total`
// counters, `_seconds` histograms.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <optional>
#include <vector>

#include "api/request_summary.h"

namespace switchyard::api {

enum class Family : std::uint8_t {
  requests,            // counter {model_group, deployment, client_format, status}
  attempts,            // counter {model_group, deployment, result}  result: success | error class
  fallbacks,           // counter {model_group, from_deployment, to_group, class}
  tokens,              // counter {deployment, direction}  direction: input | output
  upstream_latency,    // histogram {deployment}
  time_to_first_token, // histogram {deployment}
  gateway_overhead,    // histogram {}
  config_reloads,      // counter {result}  result: success | failure
  idle_connections_closed,  // counter {}  keep-alive connections closed at max_connections for new clients
  count_
};

// The metrics a scrape adds from live state (cooldowns, in-flight counts), written by the caller.
using GaugeWriter = std::function<void(std::string& out)>;

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Recording: cheap, lock-free across threads. Label values in the family's order.
  void add(Family f, std::initializer_list<std::string_view> labels, double value = 1);
  void observe(Family f, std::initializer_list<std::string_view> labels, double seconds);

  // What one finished request adds besides its failed attempts (record_request): requests,
  // the answer's attempt, latency, TTFT, tokens, overhead; one lock and one lookup.
  void record_answer(const RequestSummary& s, std::optional<double> overhead_seconds);

  // The whole exposition: every family (HELP/TYPE even when empty), then the gauges.
  std::string scrape(const GaugeWriter& gauges) const;

  // Requests being handled right now (a gauge kept by the gateway).
  std::atomic<std::int64_t> in_flight{0};

  struct Shard;

 private:
  Shard& shard_for_this_thread();
  mutable std::mutex shards_mutex_;  // registration of a thread's shard, and scraping
  std::vector<std::unique_ptr<Shard>> shards_;
  std::uint64_t id_;  // distinguishes Metrics objects in the thread-local shard cache
};

// Everything one finished request adds: requests, attempts, fallbacks, tokens, latencies, and
// the gateway's own overhead when known (requests answered by their first attempt).
void record_request(Metrics& metrics, const RequestSummary& s, std::optional<double> overhead_seconds);

// Prometheus label-value escaping: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

}  // namespace switchyard::api
