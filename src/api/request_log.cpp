#include "api/request_log.h"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "core/utf8.h"

namespace switchyard::api {
namespace json = boost::json;
namespace {
constexpr std::size_t kQueueLines = 8192;

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // room for any int the compiler imagines in each field
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

// Client-supplied text (x-request-id, the model name, the path) and upstream text (error
// messages) reach the log. JSON lines: every string valid UTF-8 (Boost.JSON escapes the rest).
std::string clean(std::string_view s) { return core::valid_utf8(s); }

// Text lines are `key=value` separated by spaces: a value that could end its field or line, or
// start another (`req-1 status=200`, a newline, a quote), is written quoted with \" \\ \n \r
// \t and \xNN escapes, so nobody can forge a field or a line.
bool bare_safe(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '\\' || c == '=' || c == '[' || c == ']') return false;
  }
  return true;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return core::valid_utf8(out);  // only ASCII was escaped above: invalid bytes become \xNN here
}

std::string text_value(std::string_view s) {
  if (bare_safe(s) && core::valid_utf8(s).size() == s.size()) return std::string(s);
  return quoted(s);
}

// Boost.JSON prints doubles in exponent form (8.67E-1): durations go out as whole microseconds.
std::int64_t micros(double ms) { return static_cast<std::int64_t>(ms * 1000 + 0.5); }

std::string json_line(const RequestSummary& s, const Redactor& redact) {
  json::array attempts;
  for (const auto& f : s.failures)
    attempts.push_back({{"group", clean(f.group)},
                        {"deployment", clean(f.deployment_id)},
                        {"result", to_string(f.classification.error_class)},
                        {"status", f.status},
                        {"latency_us", micros(f.latency_ms)},
                        {"cooled_down", f.cooled_down},
                        {"rule", clean(f.classification.rule)},
                        {"message", clean(redact(f.classification.message))}});
  if (!s.deployment.empty())
    attempts.push_back({{"group", clean(s.answered_by_group)},
                        {"deployment", clean(s.deployment)},
                        {"result", "success"},
                        {"status", 200},
                        {"latency_us", micros(s.answer_latency_ms)}});
  json::array path;
  for (const auto& g : s.groups_tried) path.push_back(json::string(clean(g)));
  json::object line{{"ts", utc_timestamp()},
                    {"level", "info"},
                    {"msg", "request"},
                    {"request_id", clean(s.request_id)},
                    {"method", clean(s.method)},
                    {"path", clean(s.path)},
                    {"client_format", core::to_string(s.client_format)},
                    {"model_group", clean(s.model_group)},
                    {"stream", s.stream},
                    {"status", s.status},
                    {"deployment", clean(s.deployment)},
                    {"answered_by_group", clean(s.answered_by_group)},
                    {"fallback_path", std::move(path)},
                    {"attempts", std::move(attempts)},
                    {"tokens", {{"input", s.usage.input_tokens}, {"output", s.usage.output_tokens}, {"cached", s.usage.cached_tokens}}},
                    {"duration_us", micros(s.duration_ms)}};
  if (!s.stream_error.empty()) line["stream_error"] = clean(s.stream_error);
  if (!s.dropped_params.empty()) {
    json::array dropped;
    for (const auto& p : s.dropped_params) dropped.push_back(json::string(p));
    line["dropped_params"] = std::move(dropped);
  }
  return json::serialize(line);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

std::string text_line(const RequestSummary& s, const Redactor& redact) {
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", s.duration_ms);
  std::string out = utc_timestamp() + " request id=" + text_value(s.request_id) + " " + text_value(s.method) + " " +
                    text_value(s.path) + " format=" + std::string(core::to_string(s.client_format)) +
                    " group=" + text_value(s.model_group) + " stream=" + (s.stream ? "true" : "false") +
                    " status=" + std::to_string(s.status);
  if (!s.deployment.empty()) out += " deployment=" + text_value(s.deployment);
  std::string path;
  for (const auto& g : s.groups_tried) path += (path.empty() ? "" : ",") + g;
  if (!path.empty()) out += " fallback_path=" + text_value(path);
  out += " attempts=" + std::to_string(s.failures.size() + (s.deployment.empty() ? 0 : 1));
  for (const auto& f : s.failures) {
    char latency[32];
    std::snprintf(latency, sizeof latency, "%.1fms", f.latency_ms);
    out += " [" + text_value(f.group + "/" + f.deployment_id) + " " + std::string(to_string(f.classification.error_class)) +
           " " + std::to_string(f.status) + " " + latency + ": " + quoted(redact(f.classification.message)) + "]";
  }
  if (!s.stream_error.empty()) out += " stream_error=" + text_value(s.stream_error);
  if (!s.dropped_params.empty()) out += " dropped_params=" + join_names(s.dropped_params);
  out += " tokens_in=" + std::to_string(s.usage.input_tokens) + " tokens_out=" + std::to_string(s.usage.output_tokens);
  out += " duration_ms=";
  out += duration;
  return out;
}

}  // namespace

RequestLog::RequestLog(LogFormat format) : format_(format) {
  // One logging thread for the process; lines queue without blocking the I/O threads.
  static std::once_flag pool_once;
  std::call_once(pool_once, [] { spdlog::init_thread_pool(kQueueLines, 1); });
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  static std::atomic<int> instances{0};  // logger names must be unique in spdlog's registry
  logger_ = std::make_shared<spdlog::async_logger>("switchyard.requests." + std::to_string(instances++), std::move(sink),
                                                   spdlog::thread_pool(),
                                                   spdlog::async_overflow_policy::overrun_oldest);
  logger_->set_pattern("%v");
  // Flushed every second rather than per line: one write(2) per line costs the logging thread
  // a syscall per request. A line waits at most a second.
  logger_->flush_on(spdlog::level::err);
  static std::once_flag flusher_once;
  std::call_once(flusher_once, [] { spdlog::flush_every(std::chrono::seconds(1)); });
  spdlog::register_logger(logger_);
}

RequestLog::~RequestLog() {
  if (!logger_) return;
  logger_->flush();
  spdlog::drop(logger_->name());
}

void RequestLog::write(const RequestSummary& s, const Redactor& redact) const {
  logger_->info("{}", format_line(format_, s, redact));
}

std::string RequestLog::format_line(LogFormat format, const RequestSummary& s, const Redactor& redact) {
  return format == LogFormat::json ? json_line(s, redact) : text_line(s, redact);
}

}  // namespace switchyard::api
