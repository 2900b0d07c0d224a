#include "core/text.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace switchyard::core {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string to_lower_ascii(std::string_view s, std::size_t max_bytes) {
  std::string out(s.substr(0, std::min(max_bytes, s.size())));
  for (char& c : out) c = ascii_lower(c);
  return out;
}

void append_int(std::string& out, std::int64_t value) {
  // The usual numbers (statuses, attempts, small counts) digit by digit: push_back is inlined,
  // append(ptr, n) is a call and a memcpy (~60 instructions more a number).
  if (value >= 0 && value < 1000) {
    if (value >= 100) out.push_back(static_cast<char>('0' + value / 100));
    if (value >= 10) out.push_back(static_cast<char>('0' + value / 10 % 10));
    out.push_back(static_cast<char>('0' + value % 10));
    return;
  }
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

void append_double(std::string& out, double value) {
  char digits[32];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, ec == std::errc() ? end : digits);
}

namespace {
// Whether one of the 8 bytes of `w` is CR or LF ("has a zero byte" on w XOR the byte repeated).
bool word_has_line_break(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const auto has_zero_byte = [](std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; };
  return has_zero_byte(w ^ (kOnes * '\r')) || has_zero_byte(w ^ (kOnes * '\n'));
}
}  // namespace

bool has_line_break(std::string_view s) {
  // Header names and values are short: two memchr calls cost ~130 instructions a value. Here 16
  // bytes at a time (GCC's vector extension: SSE2 compares on x86-64) or 8 (one word), the last
  // block overlapping the one before.
  using Block = char __attribute__((vector_size(16)));
  constexpr std::size_t kBlock = sizeof(Block), kWord = sizeof(std::uint64_t);
  const auto block_has_line_break = [](const char* p) {
    Block v;
    std::memcpy(&v, p, kBlock);
    const Block hit = (v == '\r') | (v == '\n');
    std::uint64_t halves[2];
    std::memcpy(halves, &hit, sizeof halves);
    return (halves[0] | halves[1]) != 0;
  };
  const auto word_at = [&s](std::size_t i) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, kWord);
    return w;
  };
  const std::size_t n = s.size();
  if (n < kWord) return std::any_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n'; });
  if (n < kBlock) return word_has_line_break(word_at(0)) || word_has_line_break(word_at(n - kWord));
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock)
    if (block_has_line_break(s.data() + i)) return true;
  return i < n && block_has_line_break(s.data() + n - kBlock);
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

}  // namespace switchyard::core
