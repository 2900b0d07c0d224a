// classify(): one failed upstream attempt → canonical class + the router's decision + the rule
// that fired. Built once per config load (user patterns compiled then), immutable afterwards and
// safe to share between I/O threads. Does no I/O and never throws on any input.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "errors/error_class.h"
#include "errors/upstream_error.h"

namespace re2 {
class RE2;
}

namespace switchyard::errors {

// A user pattern from `router_settings.fallback_on.error_patterns`, compiled at config load.
struct UserPattern {
  std::string pattern;
  std::shared_ptr<const re2::RE2> regex;
};

// The part of the config the classifier acts on (router_settings.fallback_on, retry_policy,
// allowed_fails_policy). Filled by the config loader.
struct ClassifierSettings {
  std::vector<int> fallback_on_status_codes;
  std::vector<UserPattern> fallback_on_patterns;
  std::map<ErrorClass, int> retries_by_class;        // retry_policy
  std::map<ErrorClass, int> allowed_fails_by_class;  // allowed_fails_policy
};

struct Classification {
  ErrorClass error_class = ErrorClass::server_error;
  Decision decision;
  std::string rule;     // id of the rule that decided the class, plus any user rule applied
  std::string message;  // the provider's own message (bounded), for logs and client errors
  std::optional<double> retry_after_seconds;  // from Retry-After / retry-after-ms when present
  bool credential_source = false;  // UpstreamError::credential_source: `message` is the operator's
};

class Classifier {
 public:
  Classifier() = default;
  explicit Classifier(ClassifierSettings settings);

  Classification classify(const UpstreamError& error) const;

 private:
  ClassifierSettings settings_;
};

// Upper bounds that keep classification fast whatever the body holds.
inline constexpr std::size_t kMaxJsonParseBytes = 1 << 20;     // larger bodies are not parsed
inline constexpr std::size_t kMaxMessageScanBytes = 64 << 10;  // text searched for patterns
inline constexpr std::size_t kMaxReportedMessageBytes = 1024;  // message kept for clients/logs

}  // namespace switchyard::errors
