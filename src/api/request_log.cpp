#include "api/request_log.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "api/batched_writer.h"
#include "core/text.h"
#include "core/utf8.h"

namespace switchyard::api {
namespace {
constexpr char kHex[] = "0123456789abcdef";

// Every line is built by appending to one buffer: no temporary string per field (the line is
// written for every request, it must cost little next to the request itself).

// A duration below 2^32 units of its last digit, printed as printf("%.Nf") does (the exact binary
// value rounded to nearest) with integer arithmetic: to_chars costs ~450 instructions. v * 10^N
// is then within 2^-21 of the exact product, so the product's nearest integer is the right one
// unless its fraction is within 1e-6 of a half (a tie or nearly): those, and negative (-0.0
// too), huge or NaN values, are left to to_chars (false).
bool append_fixed_exactly(std::string& out, double v, int precision) {
  static constexpr double kScales[] = {1, 10, 100, 1000};
  constexpr double kLimit = 4294967296.0;  // 2^32: the product's rounding error stays <= 2^-21
  constexpr double kTieMargin = 1e-6;
  if (precision < 0 || precision > 3 || !(v >= 0) || std::signbit(v)) return false;
  const double scaled = v * kScales[precision];
  if (!(scaled < kLimit)) return false;
  const double whole = std::floor(scaled);
  const double fraction = scaled - whole;  // exact
  if (std::abs(fraction - 0.5) <= kTieMargin) return false;
  auto n = static_cast<std::uint64_t>(whole) + (fraction > 0.5 ? 1 : 0);
  char buf[24];
  char* const end = buf + sizeof buf;
  char* p = end;
  for (int i = 0; i < precision; ++i, n /= 10) *--p = static_cast<char>('0' + n % 10);
  if (precision > 0) *--p = '.';
  do *--p = static_cast<char>('0' + n % 10);
  while (n /= 10);
  out.append(p, end);
  return true;
}

// printf("%.Nf"): std::to_chars with a precision is specified to print the same digits.
void append_fixed(std::string& out, double v, int precision) {
  if (append_fixed_exactly(out, v, precision)) return;
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision);
  if (ec == std::errc()) {
    out.append(buf, end);
    return;
  }
  char big[512];  // a duration above 1e60 ms: never, but printed as printf would
  const int n = std::snprintf(big, sizeof big, "%.*f", precision, v);
  out.append(big, static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof big) - 1)));
}

// "2026-11-30T00:00:21.123Z": the date and time are formatted once per second (per thread), the
// milliseconds on each call.
void append_timestamp(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  struct Second {
    std::time_t at = -1;
    char text[96];  // room for any int the compiler imagines in each field
    std::size_t size = 0;
  };
  thread_local Second second;
  if (second.at != t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    const int n = std::snprintf(second.text, sizeof second.text, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    second.size = static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(sizeof second.text) - 1));
    second.at = t;
  }
  out.append(second.text, second.size);
  if (ms < 0) {  // before 1970: as printf's %03d printed it
    char buf[8];
    const int n = std::snprintf(buf, sizeof buf, "%03d", static_cast<int>(ms));
    out.append(buf, static_cast<std::size_t>(std::clamp(n, 0, 7)));
  } else {
    out += static_cast<char>('0' + ms / 100);
    out += static_cast<char>('0' + ms / 10 % 10);
    out += static_cast<char>('0' + ms % 10);
  }
  out += 'Z';
}

// ---- JSON lines ----
// Client-supplied text (x-request-id, the model name, the path) and upstream text (error
// messages) reach the log: every string is written as valid UTF-8 (a byte that is not part of a
// well-formed sequence becomes the text \xNN, core::valid_utf8), then escaped as Boost.JSON's
// serializer does (", \, \b \f \n \r \t, other controls as \u00NN; nothing else), so the
// lines stay byte-for-byte what json::serialize printed.
char json_escape(unsigned char u) {
  switch (u) {
    case '"': return '"';
    case '\\': return '\\';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    default: return u < 0x20 ? 'u' : 0;
  }
}

// `clean`: invalid UTF-8 bytes become \xNN (escaped: \\xNN); otherwise the bytes go out as they are.
void append_json_string(std::string& out, std::string_view s, bool clean = true) {
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {
      const auto n = clean ? core::utf8_sequence_length(s, i) : 1;
      if (n > 0) {
        i += n;
        continue;
      }
      out.append(s.substr(run, i - run));
      out += "\\\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
      run = ++i;
      continue;
    }
    const char e = json_escape(u);
    if (e == 0) {
      ++i;
      continue;
    }
    out.append(s.substr(run, i - run));
    out += '\\';
    out += e;
    if (e == 'u') {
      out += "00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
    run = ++i;
  }
  out.append(s.substr(run));
  out += '"';
}

// Boost.JSON prints doubles in exponent form (8.67E-1): durations go out as whole microseconds.
std::int64_t micros(double ms) { return static_cast<std::int64_t>(ms * 1000 + 0.5); }

void append_json_attempt(std::string& out, std::string_view group, std::string_view deployment, std::string_view result,
                         int status, double latency_ms) {
  out += "{\"group\":";
  append_json_string(out, group);
  out += ",\"deployment\":";
  append_json_string(out, deployment);
  out += ",\"result\":";
  append_json_string(out, result, false);
  out += ",\"status\":";
  core::append_int(out, status);
  out += ",\"latency_us\":";
  core::append_int(out, micros(latency_ms));
}

void json_line(std::string& out, const RequestSummary& s, const Redactor& redact) {
  out += "{\"ts\":\"";
  append_timestamp(out);
  out += "\",\"level\":\"info\",\"msg\":\"request\",\"request_id\":";
  append_json_string(out, s.request_id);
  out += ",\"method\":";
  append_json_string(out, s.method);
  out += ",\"path\":";
  append_json_string(out, s.path);
  out += ",\"client_format\":";
  append_json_string(out, core::to_string(s.client_format), false);
  out += ",\"model_group\":";
  append_json_string(out, s.model_group);
  out += ",\"stream\":";
  out += s.stream ? "true" : "false";
  out += ",\"status\":";
  core::append_int(out, s.status);
  out += ",\"deployment\":";
  append_json_string(out, s.deployment);
  out += ",\"answered_by_group\":";
  append_json_string(out, s.answered_by_group);
  out += ",\"fallback_path\":[";
  for (std::size_t i = 0; i < s.groups_tried.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, s.groups_tried[i]);
  }
  out += "],\"attempts\":[";
  bool first = true;
  for (const auto& f : s.failures) {
    if (!first) out += ',';
    first = false;
    append_json_attempt(out, f.group, f.deployment_id, to_string(f.classification.error_class), f.status, f.latency_ms);
    out += ",\"cooled_down\":";
    out += f.cooled_down ? "true" : "false";
    out += ",\"rule\":";
    append_json_string(out, f.classification.rule);
    out += ",\"message\":";
    append_json_string(out, redact(f.classification.message));
    out += '}';
  }
  if (!s.deployment.empty()) {
    if (!first) out += ',';
    append_json_attempt(out, s.answered_by_group, s.deployment, "success", 200, s.answer_latency_ms);
    out += '}';
  }
  out += "],\"tokens\":{\"input\":";
  core::append_int(out, s.usage.input_tokens);
  out += ",\"output\":";
  core::append_int(out, s.usage.output_tokens);
  out += ",\"cached\":";
  core::append_int(out, s.usage.cached_tokens);
  out += "},\"duration_us\":";
  core::append_int(out, micros(s.duration_ms));
  if (!s.stream_error.empty()) {
    out += ",\"stream_error\":";
    append_json_string(out, s.stream_error);
  }
  if (!s.dropped_params.empty()) {
    out += ",\"dropped_params\":[";
    for (std::size_t i = 0; i < s.dropped_params.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, s.dropped_params[i], false);
    }
    out += ']';
  }
  out += '}';
}

// ---- text lines ----
// `key=value` separated by spaces: a value that could end its field or line, or start another
// (`req-1 status=200`, a newline, a quote), is written quoted with \" \\ \n \r \t and \xNN
// escapes, so nobody can forge a field or a line; so is one that is not valid UTF-8 (its
// invalid bytes as \xNN).
// What a byte means for a bare value, as flags OR-ed over a whole value.
constexpr std::uint8_t kUnsafeByte = 1;    // could end the field or the line, or start another
constexpr std::uint8_t kNonAsciiByte = 2;  // part of a UTF-8 sequence (or not): checked apart

constexpr std::array<std::uint8_t, 256> kByteFlags = [] {
  std::array<std::uint8_t, 256> flags{};
  for (int b = 0; b < 256; ++b) {
    const bool unsafe = b <= 0x20 || b == 0x7f || b == '"' || b == '\\' || b == '=' || b == '[' || b == ']';
    flags[static_cast<std::size_t>(b)] = b >= 0x80 ? kNonAsciiByte : unsafe ? kUnsafeByte : 0;
  }
  return flags;
}();

std::uint8_t scalar_byte_flags(const char* p, std::size_t n) {
  std::uint8_t flags = 0;
  for (std::size_t i = 0; i < n; ++i) flags |= kByteFlags[static_cast<unsigned char>(p[i])];
  return flags;
}

// The flags of every byte of `s`, OR-ed. Most values are plain names (`req_…`, the path, a
// deployment id such as `group/openai_compatible/model@http://host/v1`): they are tested 16
// bytes at a time (GCC's vector extension: SSE2 compares on x86-64), and only a block that holds
// a special byte is looked at byte by byte. The byte-by-byte loop over every value cost ~10
// instructions a byte, 1.6k per request.
std::uint8_t byte_flags(std::string_view s) {
  using Block = signed char __attribute__((vector_size(16)));
  constexpr std::size_t kBlock = sizeof(Block);
  const auto special = [](const char* p) {
    Block v;
    std::memcpy(&v, p, kBlock);
    // Signed bytes: v < 0x21 holds the controls, the space and every byte >= 0x80.
    const Block hit = (v < 0x21) | (v == 0x7f) | (v == '"') | (v == '\\') | (v == '=') | (v == '[') | (v == ']');
    std::uint64_t halves[2];
    std::memcpy(halves, &hit, sizeof halves);
    return (halves[0] | halves[1]) != 0;
  };
  const std::size_t n = s.size();
  if (n < kBlock) return scalar_byte_flags(s.data(), n);
  std::uint8_t flags = 0;
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock)
    if (special(s.data() + i)) flags |= scalar_byte_flags(s.data() + i, kBlock);
  // The last bytes: the block that ends the value (it overlaps the one before; OR-ing is idempotent).
  if (i < n && special(s.data() + n - kBlock)) flags |= scalar_byte_flags(s.data() + n - kBlock, kBlock);
  return flags;
}

// Whether `s` can go out bare: not empty, no byte that could end the field, valid UTF-8.
bool bare_safe(std::string_view s) {
  if (s.empty()) return false;
  const auto flags = byte_flags(s);
  if (flags & kUnsafeByte) return false;
  return !(flags & kNonAsciiByte) || core::is_valid_utf8(s);
}

void append_hex_escape(std::string& out, unsigned char u) {
  out += "\\x";
  out += kHex[u >> 4];
  out += kHex[u & 0xF];
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      if (const auto n = core::utf8_sequence_length(s, i)) {
        out.append(s.substr(i, n));
        i += n;
      } else {
        append_hex_escape(out, u);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) append_hex_escape(out, u);
        else out += c;
    }
    ++i;
  }
  out += '"';
}

void append_text_value(std::string& out, std::string_view s) {
  if (bare_safe(s)) out += s;
  else append_quoted(out, s);
}

// Names joined by commas (an empty first name adds no comma: as the line always printed them).
void append_joined(std::string& out, const std::vector<std::string>& names) {
  const auto start = out.size();
  for (const auto& n : names) {
    if (out.size() != start) out += ',';
    out += n;
  }
}

void text_line(std::string& out, const RequestSummary& s, const Redactor& redact) {
  thread_local std::string scratch;  // a composed value (the fallback path, group/deployment)
  append_timestamp(out);
  out += " request id=";
  append_text_value(out, s.request_id);
  out += ' ';
  append_text_value(out, s.method);
  out += ' ';
  append_text_value(out, s.path);
  out += " format=";
  out += core::to_string(s.client_format);
  out += " group=";
  append_text_value(out, s.model_group);
  out += s.stream ? " stream=true status=" : " stream=false status=";
  core::append_int(out, s.status);
  if (!s.deployment.empty()) {
    out += " deployment=";
    append_text_value(out, s.deployment);
  }
  scratch.clear();
  append_joined(scratch, s.groups_tried);
  if (!scratch.empty()) {
    out += " fallback_path=";
    append_text_value(out, scratch);
  }
  out += " attempts=";
  core::append_int(out, static_cast<std::int64_t>(s.failures.size() + (s.deployment.empty() ? 0 : 1)));
  for (const auto& f : s.failures) {
    scratch.assign(f.group);
    scratch += '/';
    scratch += f.deployment_id;
    out += " [";
    append_text_value(out, scratch);
    out += ' ';
    out += to_string(f.classification.error_class);
    out += ' ';
    core::append_int(out, f.status);
    out += ' ';
    append_fixed(out, f.latency_ms, 1);
    out += "ms: ";
    append_quoted(out, redact(f.classification.message));
    out += ']';
  }
  if (!s.stream_error.empty()) {
    out += " stream_error=";
    append_text_value(out, s.stream_error);
  }
  if (!s.dropped_params.empty()) {
    out += " dropped_params=";
    append_joined(out, s.dropped_params);
  }
  out += " tokens_in=";
  core::append_int(out, s.usage.input_tokens);
  out += " tokens_out=";
  core::append_int(out, s.usage.output_tokens);
  out += " duration_ms=";
  append_fixed(out, s.duration_ms, 3);
}

}  // namespace

RequestLog::RequestLog(LogFormat format, int fd)
    : format_(format), writer_(std::make_unique<BatchedWriter>(fd, BatchedWriter::Options{.drop_notice = "request log"})) {}

RequestLog::~RequestLog() = default;

void RequestLog::write(const RequestSummary& s, const Redactor& redact) const {
  thread_local std::string line;  // reused: its capacity stays with the I/O thread
  line.clear();
  append_line(line, format_, s, redact);
  line += '\n';
  writer_->append(line);
}

void RequestLog::flush() const { writer_->flush(); }

std::uint64_t RequestLog::dropped_lines() const { return writer_->dropped_lines(); }

void RequestLog::append_line(std::string& out, LogFormat format, const RequestSummary& s, const Redactor& redact) {
  if (format == LogFormat::json) json_line(out, s, redact);
  else text_line(out, s, redact);
}

std::string RequestLog::format_line(LogFormat format, const RequestSummary& s, const Redactor& redact) {
  std::string out;
  append_line(out, format, s, redact);
  return out;
}

}  // namespace switchyard::api
