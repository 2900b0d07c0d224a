#include "errors/classifier.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "core/utf8.h"
#include "errors/error_fields.h"
#include "errors/rules.h"

namespace switchyard::errors {
namespace {

// Calls `fn` with each '|'-separated alternative of `alternatives` until it returns true.
template <typename Fn>
bool any_alternative(std::string_view alternatives, Fn&& fn) {
  while (true) {
    const auto bar = alternatives.find('|');
    if (fn(alternatives.substr(0, bar))) return true;
    if (bar == std::string_view::npos) return false;
    alternatives.remove_prefix(bar + 1);
  }
}

bool equals_any(std::string_view alternatives, std::string_view value) {
  return !value.empty() && any_alternative(alternatives, [&](std::string_view a) { return core::iequals(a, value); });
}

bool icontains(std::string_view haystack, std::string_view needle) {
  if (needle.empty() || needle.size() > haystack.size()) return false;
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
           return core::ascii_lower(a) == core::ascii_lower(b);
         }) != haystack.end();
}

struct MatchInput {
  int status;
  const ErrorFields& fields;
  std::string_view lower_message;
};

bool matches(const Rule& r, const MatchInput& in) {
  if (!r.status.contains(in.status)) return false;
  if (!r.type.empty() && !equals_any(r.type, in.fields.type)) return false;
  if (!r.code.empty() && !equals_any(r.code, in.fields.code)) return false;
  if (!r.gstatus.empty() && !equals_any(r.gstatus, in.fields.status)) return false;
  if (!r.marker.empty()) {
    const bool hit = std::any_of(in.fields.markers.begin(), in.fields.markers.end(), [&](const std::string& m) {
      return any_alternative(r.marker, [&](std::string_view a) { return icontains(m, a); });
    });
    if (!hit) return false;
  }
  if (!r.message.empty() &&
      !any_alternative(r.message, [&](std::string_view a) { return in.lower_message.find(a) != std::string_view::npos; }))
    return false;
  return true;
}

// The first matching rule, except that a bad_request by bare type waits for a better-informed
// rule further down (rules.h, says_bad_request_by_type_alone): OpenAI-shaped bodies carry
// `invalid_request_error` with codes and messages that say authentication, not_found or quota.
const Rule* first_match(core::Provider provider, const MatchInput& in) {
  const Rule* deferred = nullptr;
  for (const auto table : rule_tables_for(provider))
    for (const auto& rule : table) {
      if (!matches(rule, in)) continue;
      if (says_bad_request_by_type_alone(rule)) {
        if (deferred == nullptr) deferred = &rule;
        continue;
      }
      if (deferred != nullptr && decides_by_status_alone(rule)) return deferred;
      return &rule;
    }
  return deferred;  // the generic table covers every status, so null only without tables
}

// For a transport failure the body, if any, is what the socket said ("certificate verify failed").
Classification classify_transport(TransportError t, std::string_view detail) {
  Classification c;
  const bool timed_out = t == TransportError::connect_timeout || t == TransportError::read_timeout ||
                         t == TransportError::deadline_exceeded;
  c.error_class = timed_out ? ErrorClass::timeout : ErrorClass::connection;
  c.rule = "transport." + std::string(to_string(t));
  c.message = std::string(to_string(t));
  if (!detail.empty()) c.message += ": " + core::valid_utf8(core::utf8_prefix(detail, kMaxReportedMessageBytes));
  return c;
}

// Retry-After in seconds, or retry-after-ms (OpenAI, Anthropic). HTTP-dates are not read here:
// the classifier has no clock, and providers send seconds in practice.
std::optional<double> retry_after_seconds(const UpstreamError& e) {
  auto parse = [](std::string_view v, double scale) -> std::optional<double> {
    v = core::trim(v);
    double value = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (ec != std::errc{} || ptr != v.data() + v.size() || value < 0 || value > 86400.0 * 7 / scale) return std::nullopt;
    return value * scale;
  };
  if (auto ms = parse(e.header("retry-after-ms"), 0.001)) return ms;
  return parse(e.header("retry-after"), 1.0);
}

// Google says when to retry in the body: RetryInfo {"retryDelay": "36s"} (a protobuf Duration).
std::optional<double> retry_delay_seconds(std::string_view delay) {
  if (!delay.ends_with('s')) return std::nullopt;
  delay.remove_suffix(1);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(delay.data(), delay.data() + delay.size(), value);
  if (ec != std::errc{} || ptr != delay.data() + delay.size() || value < 0 || value > 86400.0 * 7) return std::nullopt;
  return value;
}

// <title>502 Bad Gateway</title> says more than the whole HTML page.
std::string readable_message(const ErrorFields& f) {
  std::string_view m = f.message;
  if (!f.json) {
    const auto lower = core::to_lower_ascii(m, kMaxMessageScanBytes);
    const auto open = lower.find("<title>");
    const auto close = lower.find("</title>");
    if (open != std::string::npos && close != std::string::npos && close > open)
      m = core::trim(m.substr(open + 7, close - open - 7));
  }
  // Clients and JSON logs get this text: cut on a character boundary, invalid bytes escaped.
  std::string out = core::valid_utf8(core::utf8_prefix(m, kMaxReportedMessageBytes));
  for (char& ch : out)
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  return out;
}

}  // namespace

Classifier::Classifier(ClassifierSettings settings) : settings_(std::move(settings)) {}

Classification Classifier::classify(const UpstreamError& error) const {
  Classification c;
  ErrorFields fields;
  if (error.transport_error != TransportError::none) {
    c = classify_transport(error.transport_error, error.body);
  } else {
    fields = extract_error_fields(error);
    const auto lower = core::to_lower_ascii(fields.message, kMaxMessageScanBytes);
    const Rule* rule = first_match(error.provider, MatchInput{error.status, fields, lower});
    c.error_class = rule ? rule->error_class : ErrorClass::server_error;
    c.rule = rule ? std::string(rule->id) : "generic.unmatched";
    c.message = readable_message(fields);
  }
  c.credential_source = error.credential_source;
  c.decision = default_decision(c.error_class);
  c.retry_after_seconds = retry_after_seconds(error);
  if (!c.retry_after_seconds && !fields.retry_delay.empty()) c.retry_after_seconds = retry_delay_seconds(fields.retry_delay);

  if (const auto it = settings_.retries_by_class.find(c.error_class); it != settings_.retries_by_class.end()) {
    c.decision.max_retries = it->second;
    c.decision.retry = it->second > 0;
  }
  if (const auto it = settings_.allowed_fails_by_class.find(c.error_class);
      it != settings_.allowed_fails_by_class.end())
    c.decision.allowed_fails = it->second;

  // User rules only widen: a matching status or pattern lets the failure move to any fallback.
  auto allow_fallback = [&](std::string why) {
    c.decision.fallback = true;
    c.decision.fallback_scope = FallbackScope::general;
    c.rule += " + " + why;
  };
  const auto& codes = settings_.fallback_on_status_codes;
  if (error.status != 0)
    if (const auto it = std::find(codes.begin(), codes.end(), error.status); it != codes.end()) {
      allow_fallback("config.fallback_on.status_codes[" + std::to_string(it - codes.begin()) + "]");
      return c;
    }
  const auto& patterns = settings_.fallback_on_patterns;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    if (!patterns[i].regex) continue;
    const std::string_view text = fields.message.empty() ? std::string_view(c.message) : fields.message;
    if (RE2::PartialMatch(text, *patterns[i].regex)) {
      allow_fallback("config.fallback_on.error_patterns[" + std::to_string(i) + "]");
      break;
    }
  }
  return c;
}

}  // namespace switchyard::errors
