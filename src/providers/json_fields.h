// Lenient field access on provider JSON: a missing or mistyped field reads as empty/0, never
// throws. Shared by the request, answer and stream translators.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace switchyard::providers::json_fields {

inline std::string_view str(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return v->get_string();
  return {};
}

// A JSON double read as an integer: truncated; out of range (1e300, NaN) reads as 0, since the
// cast would be undefined behaviour.
inline std::int64_t integer_from_double(double d) {
  constexpr double kLimit = 9.0e18;
  return d > -kLimit && d < kLimit ? static_cast<std::int64_t>(d) : 0;
}

inline std::int64_t integer(const boost::json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key)) {
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double()) return integer_from_double(v->get_double());
  }
  return 0;
}

inline const boost::json::object* object_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

// A JSON object from text; nullopt when the text is not one (never throws).
inline std::optional<boost::json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

}  // namespace switchyard::providers::json_fields
