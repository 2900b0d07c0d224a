#include "api/metrics.h"

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

#include "core/text.h"

namespace switchyard::api {
namespace {

constexpr char kSeparator = '\x1f';  // between label values in a series key; never in a label

// Upstream calls take milliseconds to minutes; the gateway's own share takes microseconds.
constexpr double kLatencyBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
constexpr double kOverheadBuckets[] = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1};
constexpr std::size_t kMaxBuckets = std::size(kLatencyBuckets);

struct FamilyInfo {
  std::string_view name;
  std::string_view type;  // counter | histogram
  std::string_view help;
  std::vector<std::string_view> labels;
  std::span<const double> buckets;  // histograms only
};

const std::array<FamilyInfo, static_cast<std::size_t>(Family::count_)>& families() {
  static const std::array<FamilyInfo, static_cast<std::size_t>(Family::count_)> table{{
      {"switchyard_requests_total", "counter", "Chat requests answered, by requested model group, answering deployment, client wire format and HTTP status.",
       {"model_group", "deployment", "client_format", "status"}, {}},
      {"switchyard_attempts_total", "counter", "Upstream calls, by model group, deployment and result (success or the canonical error class).",
       {"model_group", "deployment", "result"}, {}},
      {"switchyard_fallbacks_total", "counter", "Moves from one model group to the next, by requested group, the deployment whose failure caused it, the group moved to and the error class.",
       {"model_group", "from_deployment", "to_group", "class"}, {}},
      {"switchyard_tokens_total", "counter", "Tokens reported by upstream answers, by deployment and direction (input or output).",
       {"deployment", "direction"}, {}},
      {"switchyard_upstream_latency_seconds", "histogram", "Duration of each upstream call (the whole answer; streams: until the first content token).",
       {"deployment"}, kLatencyBuckets},
      {"switchyard_time_to_first_token_seconds", "histogram", "Streams: from the upstream call's start to its first content token.",
       {"deployment"}, kLatencyBuckets},
      {"switchyard_gateway_overhead_seconds", "histogram", "Time a request spent in the gateway outside the upstream call, for requests answered by their first attempt.",
       {}, kOverheadBuckets},
      {"switchyard_config_reloads_total", "counter", "Config reloads (SIGHUP or POST /admin/reload), by result.",
       {"result"}, {}},
      {"switchyard_idle_connections_closed_total", "counter", "Idle keep-alive client connections closed at max_connections to make room for new clients.",
       {}, {}},
  }};
  return table;
}

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct Histogram {
  std::array<std::uint64_t, kMaxBuckets> counts{};  // per bucket, not cumulative
  std::uint64_t count = 0;
  double sum = 0;
};

// The series one answered request touches, found by one lookup of what distinguishes them
// (record_request's fast path) instead of a key string built and hashed per series.
struct RequestSeriesKey {
  std::string_view model_group;
  std::string_view deployment;  // empty: no deployment answered
  std::string_view answered_by_group;
  core::WireFormat format;
  int status;
  bool stream;
  bool operator==(const RequestSeriesKey&) const = default;
};

struct RequestSeriesHash {
  std::size_t operator()(const RequestSeriesKey& k) const noexcept {
    const std::hash<std::string_view> h;
    std::size_t seed = h(k.model_group);
    for (const auto part : {h(k.deployment), h(k.answered_by_group),
                            static_cast<std::size_t>(k.status) * 4 + static_cast<std::size_t>(k.format) * 2 + k.stream})
      seed ^= part + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
    return seed;
  }
};

// Pointers into the shard's maps (their nodes never move). A series appears in the exposition
// only once recorded, as with add(): the token counters are resolved on their first non-zero
// count.
struct RequestSeries {
  std::string model_group, deployment, answered_by_group;  // what the key's views point at
  double* requests = nullptr;
  double* attempt_success = nullptr;        // deployment answered
  Histogram* upstream_latency = nullptr;    // deployment answered
  Histogram* time_to_first_token = nullptr; // deployment answered a stream
  double* input_tokens = nullptr;
  double* output_tokens = nullptr;
};

// More distinct (group, deployment, status…) combinations than any config has: a client cannot
// grow the cache (groups and deployments come from the config), but a bound costs nothing.
constexpr std::size_t kMaxCachedRequestSeries = 4096;

void build_key(std::string& key, Family f, std::initializer_list<std::string_view> labels) {
  key.clear();
  key.push_back(static_cast<char>(f));
  for (const auto& l : labels) {
    key.push_back(kSeparator);
    key.append(l);
  }
}

// `{a="x",b="y"` (no closing brace: histograms add `le`), from the key's label values.
void append_labels(std::string& out, const FamilyInfo& info, std::string_view key) {
  std::size_t pos = 1;  // after the family byte
  for (std::size_t i = 0; i < info.labels.size(); ++i) {
    const auto start = pos + 1;
    auto end = key.find(kSeparator, start);
    if (end == std::string_view::npos) end = key.size();
    out += i == 0 ? "{" : ",";
    out += info.labels[i];
    out += "=\"";
    out += escape_label_value(key.substr(start, end - start));
    out += '"';
    pos = end;
  }
}

std::atomic<std::uint64_t> next_metrics_id{1};

}  // namespace

struct Metrics::Shard {
  std::mutex mutex;  // taken by its own I/O thread and by scrapes; never by another I/O thread
  std::unordered_map<std::string, double, TransparentHash, std::equal_to<>> counters;
  std::unordered_map<std::string, Histogram, TransparentHash, std::equal_to<>> histograms;
  // Its own thread only (under `mutex`, like the maps it points into).
  std::unordered_map<RequestSeriesKey, std::unique_ptr<RequestSeries>, RequestSeriesHash> request_series;
  // The series found last, with its key (viewing the series' own strings): a run of requests of
  // one kind compares three short strings instead of hashing them (~300 instructions a request).
  RequestSeriesKey last_key{};
  RequestSeries* last_series = nullptr;
  Histogram* gateway_overhead = nullptr;

  double& counter(Family f, std::initializer_list<std::string_view> labels) {
    thread_local std::string key;
    build_key(key, f, labels);
    if (auto it = counters.find(std::string_view(key)); it != counters.end()) return it->second;
    return counters.emplace(key, 0.0).first->second;
  }
  Histogram& histogram(Family f, std::initializer_list<std::string_view> labels) {
    thread_local std::string key;
    build_key(key, f, labels);
    if (auto it = histograms.find(std::string_view(key)); it != histograms.end()) return it->second;
    return histograms.emplace(key, Histogram{}).first->second;
  }
  RequestSeries& series_for(const RequestSummary& s);
};

namespace {

void add_sample(Histogram& h, std::span<const double> buckets, double seconds) {
  std::size_t b = 0;
  while (b < buckets.size() && seconds > buckets[b]) ++b;
  if (b < buckets.size()) ++h.counts[b];
  ++h.count;
  h.sum += seconds;
}

std::span<const double> buckets_of(Family f) { return families()[static_cast<std::size_t>(f)].buckets; }

}  // namespace

// The first request of a kind on this thread builds the keys (and the series, which were about
// to be created anyway); the next ones find them with one lookup.
RequestSeries& Metrics::Shard::series_for(const RequestSummary& s) {
  const RequestSeriesKey key{s.model_group, s.deployment, s.answered_by_group, s.client_format, s.status, s.stream};
  if (last_series && key == last_key) return *last_series;
  if (const auto it = request_series.find(key); it != request_series.end()) {
    last_key = it->first;
    last_series = it->second.get();
    return *last_series;
  }
  if (request_series.size() >= kMaxCachedRequestSeries) {
    request_series.clear();  // the series stay
    last_series = nullptr;
  }
  auto series = std::make_unique<RequestSeries>();
  series->model_group = s.model_group;
  series->deployment = s.deployment;
  series->answered_by_group = s.answered_by_group;
  const std::string status = std::to_string(s.status);
  const std::string_view deployment = s.deployment.empty() ? std::string_view("none") : std::string_view(s.deployment);
  series->requests = &counter(Family::requests, {s.model_group, deployment, core::to_string(s.client_format), status});
  if (!s.deployment.empty()) {
    series->attempt_success = &counter(Family::attempts, {s.answered_by_group, s.deployment, "success"});
    series->upstream_latency = &histogram(Family::upstream_latency, {s.deployment});
    if (s.stream) series->time_to_first_token = &histogram(Family::time_to_first_token, {s.deployment});
  }
  const RequestSeriesKey owned{series->model_group, series->deployment, series->answered_by_group,
                               s.client_format,     s.status,           s.stream};
  last_key = owned;
  last_series = series.get();
  request_series.emplace(owned, std::move(series));
  return *last_series;
}

Metrics::Metrics() : id_(next_metrics_id.fetch_add(1)) {}
Metrics::~Metrics() = default;

Metrics::Shard& Metrics::shard_for_this_thread() {
  // A thread meets few Metrics objects (one per process in production): a tiny cache.
  thread_local std::vector<std::pair<std::uint64_t, Shard*>> cache;
  for (const auto& [id, shard] : cache)
    if (id == id_) return *shard;
  std::lock_guard lock(shards_mutex_);
  shards_.push_back(std::make_unique<Shard>());
  cache.emplace_back(id_, shards_.back().get());
  return *shards_.back();
}

void Metrics::add(Family f, std::initializer_list<std::string_view> labels, double value) {
  auto& shard = shard_for_this_thread();
  std::lock_guard lock(shard.mutex);
  shard.counter(f, labels) += value;
}

void Metrics::observe(Family f, std::initializer_list<std::string_view> labels, double seconds) {
  auto& shard = shard_for_this_thread();
  std::lock_guard lock(shard.mutex);
  add_sample(shard.histogram(f, labels), buckets_of(f), seconds);
}

void Metrics::record_answer(const RequestSummary& s, std::optional<double> overhead_seconds) {
  auto& shard = shard_for_this_thread();
  std::lock_guard lock(shard.mutex);
  auto& series = shard.series_for(s);
  *series.requests += 1;
  if (!s.deployment.empty()) {
    *series.attempt_success += 1;
    const double latency = s.answer_latency_ms / 1000;
    add_sample(*series.upstream_latency, kLatencyBuckets, latency);
    if (series.time_to_first_token) add_sample(*series.time_to_first_token, kLatencyBuckets, latency);
    if (s.usage.input_tokens) {
      if (!series.input_tokens) series.input_tokens = &shard.counter(Family::tokens, {s.deployment, "input"});
      *series.input_tokens += static_cast<double>(s.usage.input_tokens);
    }
    if (s.usage.output_tokens) {
      if (!series.output_tokens) series.output_tokens = &shard.counter(Family::tokens, {s.deployment, "output"});
      *series.output_tokens += static_cast<double>(s.usage.output_tokens);
    }
  }
  if (overhead_seconds) {
    if (!shard.gateway_overhead) shard.gateway_overhead = &shard.histogram(Family::gateway_overhead, {});
    add_sample(*shard.gateway_overhead, kOverheadBuckets, *overhead_seconds);
  }
}

std::string Metrics::scrape(const GaugeWriter& gauges) const {
  // Merge the shards into ordered maps (stable output, and one line per series).
  std::map<std::string, double, std::less<>> counters;
  std::map<std::string, Histogram, std::less<>> histograms;
  {
    std::lock_guard registry(shards_mutex_);
    for (const auto& shard : shards_) {
      std::lock_guard lock(shard->mutex);
      for (const auto& [key, v] : shard->counters) counters[key] += v;
      for (const auto& [key, h] : shard->histograms) {
        auto& merged = histograms[key];
        for (std::size_t i = 0; i < kMaxBuckets; ++i) merged.counts[i] += h.counts[i];
        merged.count += h.count;
        merged.sum += h.sum;
      }
    }
  }
  std::string out;
  out.reserve(4096 + 160 * (counters.size() + 16 * histograms.size()));
  for (std::size_t fi = 0; fi < families().size(); ++fi) {
    const auto& info = families()[fi];
    out += "# HELP ";
    out += info.name;
    out += ' ';
    out += info.help;
    out += "\n# TYPE ";
    out += info.name;
    out += ' ';
    out += info.type;
    out += '\n';
    const std::string prefix(1, static_cast<char>(fi));
    if (info.type == "counter") {
      for (auto it = counters.lower_bound(prefix); it != counters.end() && it->first[0] == prefix[0]; ++it) {
        out += info.name;
        append_labels(out, info, it->first);
        if (!info.labels.empty()) out += '}';
        out += ' ';
        core::append_double(out, it->second);
        out += '\n';
      }
      continue;
    }
    for (auto it = histograms.lower_bound(prefix); it != histograms.end() && it->first[0] == prefix[0]; ++it) {
      const auto& h = it->second;
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b <= info.buckets.size(); ++b) {
        cumulative += b < info.buckets.size() ? h.counts[b] : 0;
        out += info.name;
        out += "_bucket";
        append_labels(out, info, it->first);
        out += info.labels.empty() ? "{le=\"" : ",le=\"";
        if (b < info.buckets.size()) core::append_double(out, info.buckets[b]);
        else out += "+Inf";
        out += "\"} ";
        core::append_double(out, static_cast<double>(b < info.buckets.size() ? cumulative : h.count));
        out += '\n';
      }
      for (const auto suffix : {"_sum", "_count"}) {
        out += info.name;
        out += suffix;
        append_labels(out, info, it->first);
        if (!info.labels.empty()) out += '}';
        out += ' ';
        core::append_double(out, std::string_view(suffix) == "_sum" ? h.sum : static_cast<double>(h.count));
        out += '\n';
      }
    }
  }
  out += "# HELP switchyard_in_flight_requests Chat requests being handled right now.\n"
         "# TYPE switchyard_in_flight_requests gauge\nswitchyard_in_flight_requests ";
  core::append_double(out, static_cast<double>(in_flight.load(std::memory_order_relaxed)));
  out += '\n';
  if (gauges) gauges(out);
  return out;
}

void record_request(Metrics& m, const RequestSummary& s, std::optional<double> overhead_seconds) {
  // The failed attempts (rare: each built its own keys); then the answer's series (one lookup).
  for (std::size_t i = 0; i < s.failures.size(); ++i) {
    const auto& f = s.failures[i];
    const auto cls = to_string(f.classification.error_class);
    m.add(Family::attempts, {f.group, f.deployment_id, cls});
    m.observe(Family::upstream_latency, {f.deployment_id}, f.latency_ms / 1000);
    // The last failure in a group, followed by another group: that failure caused a fallback.
    const bool last_in_group = i + 1 == s.failures.size() || s.failures[i + 1].group != f.group;
    if (!last_in_group) continue;
    const auto next = std::find(s.groups_tried.begin(), s.groups_tried.end(), f.group);
    if (next != s.groups_tried.end() && next + 1 != s.groups_tried.end())
      m.add(Family::fallbacks, {s.model_group, f.deployment_id, *(next + 1), cls});
  }
  m.record_answer(s, overhead_seconds);
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace switchyard::api
