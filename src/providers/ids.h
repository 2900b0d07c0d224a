// Identifiers the translators make up when an upstream gives none (chat completion ids, tool
// call ids), and the `created` timestamp. Shared by the native dialects.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace switchyard::providers {

// prefix + 24 random hex digits, e.g. "chatcmpl-3f2a…".
inline std::string random_id(std::string_view prefix) {
  constexpr int kHexDigits = 24;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  for (int i = 0; i < kHexDigits; ++i) id += kHex[rng() & 0xf];
  return id;
}

inline std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace switchyard::providers
