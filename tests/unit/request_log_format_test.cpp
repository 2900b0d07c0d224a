// The request log line, byte for byte: the formatter appends into one buffer (no temporaries),
// and must print exactly what the previous implementation (string concatenation, Boost.JSON's
// serializer, snprintf) printed, which tests, docs and log parsers depend on. That
// implementation is kept here as the reference, and both are run on summaries full of the
// awkward cases: invalid UTF-8, control bytes, quotes, empty names, failures, stream errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ctime>
#include <random>
#include <regex>

#include "api/request_log.h"
#include "core/utf8.h"

namespace switchyard::api {
namespace {
namespace reference {
namespace json = boost::json;

std::string reference_ts;  // the timestamp of the line compared with
std::string utc_timestamp() { return reference_ts; }

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

std::string quoted_value(std::string_view s) {
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
  return quoted_value(s);
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
           " " + std::to_string(f.status) + " " + latency + ": " + quoted_value(redact(f.classification.message)) + "]";
  }
  if (!s.stream_error.empty()) out += " stream_error=" + text_value(s.stream_error);
  if (!s.dropped_params.empty()) out += " dropped_params=" + join_names(s.dropped_params);
  out += " tokens_in=" + std::to_string(s.usage.input_tokens) + " tokens_out=" + std::to_string(s.usage.output_tokens);
  out += " duration_ms=";
  out += duration;
  return out;
}


std::string format_line(LogFormat format, const RequestSummary& s, const Redactor& redact) {
  return format == LogFormat::json ? json_line(s, redact) : text_line(s, redact);
}

}  // namespace reference

// Strings that exercise every escaping rule of both formats.
const std::vector<std::string> kAwkward = {
    "",
    "plain",
    "gpt-4o-mini",
    "openai_compatible/gpt@http://backup/v1",
    "with space",
    "a=b",
    "[bracket]",
    "quote\"inside",
    "back\\slash",
    "line\nbreak\r\ttab",
    std::string("nul\0byte", 8),
    "bell\x07 del\x7f esc\x1b form\x0c bs\x08",
    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",  // valid: é € 😀
    "bad \xff lead",
    "cut \xc3",
    "\xe2\x82 cut three",
    "overlong \xc0\xaf",
    "surrogate \xed\xa0\x80",
    "above \xf4\x90\x80\x80",
    "\x80 continuation first",
    "/v1/chat/completions",
    "POST",
    "r1 status=200\ndeployment=forged \"q\" \xff",
    "slash/and,comma",
};

RequestSummary random_summary(std::mt19937& rng) {
  const auto pick = [&] { return kAwkward[rng() % kAwkward.size()]; };
  const auto maybe = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  RequestSummary s;
  s.request_id = pick();
  s.method = maybe(70) ? "POST" : pick();
  s.path = maybe(50) ? "/v1/chat/completions" : pick();
  s.client_format = static_cast<core::WireFormat>(rng() % 3);
  s.model_group = pick();
  s.stream = maybe(50);
  s.status = maybe(60) ? 200 : static_cast<int>(rng() % 600);
  if (maybe(70)) {
    s.deployment = pick();
    s.answered_by_group = pick();
    s.answer_latency_ms = std::uniform_real_distribution<double>(0, 5000)(rng);
  }
  for (auto n = rng() % 4; n > 0; --n) s.groups_tried.push_back(pick());
  for (auto n = maybe(50) ? rng() % 4 : 0; n > 0; --n) {
    router::FailedAttempt f;
    f.group = pick();
    f.deployment_id = pick();
    f.classification.error_class = static_cast<errors::ErrorClass>(rng() % errors::kErrorClassCount);
    f.classification.rule = pick();
    f.classification.message = pick() + " key sk-ant-api03-SECRETSECRETSECRET " + pick();
    f.status = static_cast<int>(rng() % 600);
    f.latency_ms = std::uniform_real_distribution<double>(0, 100000)(rng);
    f.cooled_down = maybe(50);
    s.failures.push_back(f);
  }
  if (maybe(20)) s.stream_error = pick();
  for (auto n = maybe(30) ? rng() % 3 : 0; n > 0; --n) s.dropped_params.push_back(pick());
  s.usage.input_tokens = static_cast<std::int64_t>(rng() % 100000);
  s.usage.output_tokens = static_cast<std::int64_t>(rng() % 100000);
  s.usage.cached_tokens = static_cast<std::int64_t>(rng() % 1000);
  s.duration_ms = maybe(10) ? 0.0005 * (rng() % 3) : std::uniform_real_distribution<double>(0, 200000)(rng);
  return s;
}

// The timestamp the new line carries (24 characters: 2026-11-30T00:00:21.123Z).
std::string timestamp_of(LogFormat format, const std::string& line) {
  const auto at = format == LogFormat::json ? std::string_view(R"({"ts":")").size() : 0;
  return line.substr(at, 24);
}

TEST(RequestLogFormat, SameBytesAsTheConcatenatingImplementation) {
  std::mt19937 rng(20261130);
  const Redactor redact;
  for (int i = 0; i < 4000; ++i) {
    const auto s = random_summary(rng);
    for (const auto format : {LogFormat::text, LogFormat::json}) {
      const auto line = RequestLog::format_line(format, s, redact);
      reference::reference_ts = timestamp_of(format, line);
      const auto expected = reference::format_line(format, s, redact);
      ASSERT_EQ(line, expected) << "summary #" << i << (format == LogFormat::json ? " (json)" : " (text)");
    }
  }
}

// Values are scanned 16 bytes at a time: a special byte at any place of a long value (in a
// block, in the overlapping last block, right after it) still quotes it, for every length.
TEST(RequestLogFormat, SpecialByteAnywhereInALongValueIsQuoted) {
  const Redactor redact;
  const std::string specials[] = {" ", "\t", "\n", std::string(1, '\0'), "\x7f", "\"", "\\", "=", "[", "]",
                                  "\xc3\xa9", "\xff", "\xe2\x82"};
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const auto& special : specials) {
        RequestSummary s;
        s.method = "POST";
        s.request_id = std::string(length, 'r');
        s.request_id.replace(at, 1, special);
        s.path = std::string(length, 'p');  // and a plain one of the same length
        s.deployment = s.request_id;
        for (const auto format : {LogFormat::text, LogFormat::json}) {
          const auto line = RequestLog::format_line(format, s, redact);
          reference::reference_ts = timestamp_of(format, line);
          ASSERT_EQ(line, reference::format_line(format, s, redact)) << "length " << length << " at " << at;
        }
      }
    }
  }
}

// Durations are printed with integer arithmetic unless the digit to round is (nearly) a tie:
// the same digits as printf's %.3f / %.1f, around ties, at the limits and beyond.
TEST(RequestLogFormat, DurationsPrintAsPrintfDoesEvenNearTies) {
  const Redactor redact;
  std::vector<double> values = {0.0, -0.0, 0.0005, 0.0015, 0.0625, 0.03125, 1.0005, 2.5e-4, 999.9995, 0.05, 0.25,
                                1e-300, 4294967.2955, 4294967.296, 4294967.2965, 4294967296.0, 1e12, 1e25,  // (the reference prints into 32 bytes)
                                -1.5, -0.0004, std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min()};
  std::mt19937 rng(99);
  for (int i = 0; i < 20000; ++i) {
    const double k = static_cast<double>(rng() % 100000000);
    const double tie = (k + 0.5) / 1000;  // near a tie of the third decimal (and of the first, below)
    values.push_back(tie);
    values.push_back(std::nextafter(tie, 0.0));
    values.push_back(std::nextafter(tie, 1e18));
    values.push_back((k + 0.5) / 10);
    values.push_back(std::uniform_real_distribution<double>(0, 10)(rng));
  }
  for (const double v : values) {
    RequestSummary s;
    s.method = "POST";
    s.duration_ms = v;
    router::FailedAttempt f;
    f.latency_ms = v;
    s.failures.push_back(f);
    const auto line = RequestLog::format_line(LogFormat::text, s, redact);
    reference::reference_ts = timestamp_of(LogFormat::text, line);
    ASSERT_EQ(line, reference::format_line(LogFormat::text, s, redact)) << std::hexfloat << v;
  }
}

TEST(RequestLogFormat, AppendsToWhatIsAlreadyInTheBuffer) {
  std::mt19937 rng(7);
  const Redactor redact;
  const auto s = random_summary(rng);
  std::string out = "kept|";
  RequestLog::append_line(out, LogFormat::text, s, redact);
  const auto line = out.substr(5);
  reference::reference_ts = timestamp_of(LogFormat::text, line);
  EXPECT_EQ(out.substr(0, 5), "kept|");
  EXPECT_EQ(line, reference::format_line(LogFormat::text, s, redact));
}

// The cached second plus milliseconds: the wall-clock time of the call, in UTC.
TEST(RequestLogFormat, TimestampIsTheCurrentUtcTimeInMilliseconds) {
  const Redactor redact;
  RequestSummary s;
  for (int i = 0; i < 50; ++i) {
    const auto before = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto line = RequestLog::format_line(LogFormat::text, s, redact);
    const auto after = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    const auto ts = timestamp_of(LogFormat::text, line);
    ASSERT_TRUE(std::regex_match(ts, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << ts;
    std::tm tm{};
    ASSERT_NE(strptime(ts.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr) << ts;
    const auto at = std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(std::stoi(ts.substr(20, 3)));
    EXPECT_LE(before, at) << ts;
    EXPECT_LE(at, after) << ts;
  }
}

// write() puts the formatted line plus a newline on the RequestLog's file descriptor (batched:
// flush() waits for it).
TEST(RequestLogFormat, WriteSendsTheLineAndANewlineToTheOutput) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::mt19937 rng(11);
  const Redactor redact;
  const auto s = random_summary(rng);
  std::string got;
  {
    RequestLog log(LogFormat::json, fds[1]);
    log.write(s, redact);
    log.write(s, redact);
    log.flush();
    char buf[65536];
    const auto n = ::read(fds[0], buf, sizeof buf);  // flushed: already in the pipe
    ASSERT_GT(n, 0);
    got.assign(buf, static_cast<std::size_t>(n));
    EXPECT_EQ(log.dropped_lines(), 0u);
  }
  ::close(fds[0]);
  ::close(fds[1]);
  const auto first_end = got.find('\n');
  ASSERT_NE(first_end, std::string::npos) << got;
  const auto first = got.substr(0, first_end);
  reference::reference_ts = timestamp_of(LogFormat::json, first);
  EXPECT_EQ(first, reference::format_line(LogFormat::json, s, redact));
  const auto second = got.substr(first_end + 1);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second.back(), '\n');
  reference::reference_ts = timestamp_of(LogFormat::json, second);
  EXPECT_EQ(second, reference::format_line(LogFormat::json, s, redact) + "\n");
}

TEST(Utf8, ValidityCheckAgreesWithTheCleaningCopy) {
  std::mt19937 rng(3);
  for (const auto& s : kAwkward) EXPECT_EQ(core::is_valid_utf8(s), core::valid_utf8(s) == s) << s;
  // Random bytes, biased to sequences that are almost valid, and long ASCII runs around them.
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 24, 'a');
    for (auto n = rng() % 6; n > 0; --n) {
      static constexpr unsigned char kBytes[] = {0x41, 0x7f, 0x80, 0xbf, 0xc2, 0xc3, 0xa9, 0xdf, 0xe0, 0xa0,
                                                 0xed, 0x9f, 0xf0, 0x90, 0xf4, 0x8f, 0xf5, 0xff, 0xc0};
      s.insert(s.begin() + static_cast<std::ptrdiff_t>(rng() % (s.size() + 1)), static_cast<char>(kBytes[rng() % sizeof kBytes]));
    }
    const auto cleaned = core::valid_utf8(s);
    EXPECT_EQ(core::is_valid_utf8(s), cleaned == s) << i;
    std::string appended = "x";
    core::append_valid_utf8(appended, s);
    EXPECT_EQ(appended, "x" + cleaned);
    EXPECT_TRUE(core::is_valid_utf8(cleaned));
  }
}

}  // namespace
}  // namespace switchyard::api
