// Small ASCII text helpers shared by every layer (HTTP header names and error messages are ASCII
// where it matters; bytes above 0x7f pass through unchanged).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::core {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequals(std::string_view a, std::string_view b);

// Lower-cases at most `max_bytes` of `s`.
std::string to_lower_ascii(std::string_view s, std::size_t max_bytes = std::string::npos);

std::string_view trim(std::string_view s);

// A number appended in decimal without a temporary string (std::to_chars): integers as they are,
// doubles in their shortest round-trip form (what /metrics and /admin print).
void append_int(std::string& out, std::int64_t value);
void append_double(std::string& out, double value);

// Whether `s` holds a CR or LF: a header name or value with one would add lines of its own to
// an HTTP head.
bool has_line_break(std::string_view s);

// %XX escapes decoded (URLs, form fields, user info); a '%' not followed by two hex digits stays.
std::string percent_decode(std::string_view s);

}  // namespace switchyard::core
