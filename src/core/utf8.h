// UTF-8 hygiene for text that came from outside (an upstream's error bytes, a client's header):
// what the gateway writes into JSON bodies and log lines must be valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::core {

// `s` with every byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no overlongs,
// no surrogates, nothing above U+10FFFF) written as the four characters "\xNN".
std::string valid_utf8(std::string_view s);
// The same, appended to `out` (no temporary: for formatters that build into a reused buffer).
void append_valid_utf8(std::string& out, std::string_view s);
// Whether valid_utf8(s) == s, without building it (ASCII is checked 8 bytes at a time).
bool is_valid_utf8(std::string_view s);

// Length of the well-formed sequence starting at s[i] (1 for ASCII), or 0 when the byte there
// starts none.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// The longest prefix of `s` of at most `max_bytes` that does not end inside a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace switchyard::core
