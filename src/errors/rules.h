// Classification rules as data. Each provider has an ordered table (rules_<provider>.cpp); the
// generic table runs after it for every provider. The first rule whose every set condition holds
// decides the class. Conditions compare against `ErrorFields` pulled from the body and headers.
//
// Alternatives inside one condition are separated by '|': `type = "ThrottlingException|
// TooManyRequestsException"`. `type`, `code`, `status` and `marker` compare case-insensitively
// and whole-value (`marker` as a substring); `message` matches when any alternative occurs in the
// lower-cased message, so write message alternatives in lower case.
#pragma once

#include <span>
#include <string_view>

#include "core/provider.h"
#include "errors/error_class.h"

namespace switchyard::errors {

// 4xx statuses that say more than "your request is wrong" on their own (the generic table's
// status rules give each its class). A body's `type` alone must not turn them into bad_request:
// OpenAI sends type invalid_request_error with 401 invalid_api_key, 403 and 404 model_not_found.
constexpr bool status_has_own_meaning(int s) {
  switch (s) {
    case 401: case 402: case 403: case 404: case 405: case 408: case 409: case 410: case 413: case 424:
    case 425: case 429: case 451: case 499: return true;
    default: return false;
  }
}

struct StatusRange {
  int lo = 0;  // 0/0: any status
  int hi = 0;
  bool plain_only = false;  // skip statuses with their own meaning (status_has_own_meaning)
  constexpr bool any() const { return lo == 0 && hi == 0; }
  constexpr bool contains(int s) const {
    if (plain_only && status_has_own_meaning(s)) return false;
    return any() || (s >= lo && s <= hi);
  }
};

constexpr StatusRange status_is(int s) { return {s, s}; }
constexpr StatusRange status_in(int lo, int hi) { return {lo, hi}; }
inline constexpr StatusRange kAnyStatus{};
// For rules that read a generic "bad request" type (invalid_request_error, BAD_REQUEST,
// INVALID_ARGUMENT, ValidationException): 4xx whose status does not already say more.
inline constexpr StatusRange kPlainClientError{400, 499, true};

struct Rule {
  std::string_view id;  // printed by `explain`; unique across all tables
  ErrorClass error_class;
  StatusRange status = kAnyStatus;
  std::string_view type = {};     // ErrorFields::type
  std::string_view code = {};     // ErrorFields::code
  std::string_view gstatus = {};  // ErrorFields::status (Google RPC)
  std::string_view marker = {};   // substring of any ErrorFields::markers entry
  std::string_view message = {};  // substring of the lower-cased message
};

// A rule that says bad_request from a bare type ("invalid_request_error", "BAD_REQUEST",
// "ValidationException", Google's INVALID_ARGUMENT) is a weak verdict: the same type comes with a money message, an
// invalid_api_key code, a relayed provider error. The classifier keeps looking after one matches
// and lets any later rule with a code, message, marker, RPC status or type of its own win; only
// a status-only rule (the generic table's last word) does not.
constexpr bool says_bad_request_by_type_alone(const Rule& r) {
  return r.error_class == ErrorClass::bad_request && (!r.type.empty() || !r.gstatus.empty()) && r.code.empty() &&
         r.marker.empty() && r.message.empty();
}
constexpr bool decides_by_status_alone(const Rule& r) {
  return r.type.empty() && r.code.empty() && r.gstatus.empty() && r.marker.empty() && r.message.empty();
}

std::span<const Rule> anthropic_rules();
std::span<const Rule> openai_rules();
std::span<const Rule> azure_rules();
std::span<const Rule> databricks_rules();
std::span<const Rule> google_rules();  // shared by vertex_ai and gemini (Google RPC errors)
std::span<const Rule> vertex_ai_rules();
std::span<const Rule> gemini_rules();
std::span<const Rule> bedrock_rules();
std::span<const Rule> openai_compatible_rules();
// Phrases every provider uses, then status-code defaults: the last word for any provider.
std::span<const Rule> generic_rules();

// The tables that apply to a provider, most specific first (generic last).
std::span<const std::span<const Rule>> rule_tables_for(core::Provider p);

}  // namespace switchyard::errors
