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

struct StatusRange {
  int lo = 0;  // 0/0: any status
  int hi = 0;
  constexpr bool any() const { return lo == 0 && hi == 0; }
  constexpr bool contains(int s) const { return any() || (s >= lo && s <= hi); }
};

constexpr StatusRange status_is(int s) { return {s, s}; }
constexpr StatusRange status_in(int lo, int hi) { return {lo, hi}; }
inline constexpr StatusRange kAnyStatus{};

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
