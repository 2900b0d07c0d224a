#include "providers/json_write.h"

#include <array>
#include <boost/json.hpp>
#include <charconv>

namespace switchyard::providers {
namespace json = boost::json;
namespace {

// Boost.JSON's escapes (serializer.ipp): the short forms, \u00XX in lower-case hex for the other
// control characters, nothing else escaped (not '/', not DEL, not UTF-8). 0: written as it is.
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 'u';
  t['"'] = '"';
  t['\\'] = '\\';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  return t;
}();

char escape_of(char c) { return kEscapes[static_cast<unsigned char>(c)]; }

template <class Int>
void write_integer(JsonWriter& w, Int v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  w.raw(std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

// Doubles are rare in a chat body and their shortest spelling is Boost.JSON's own algorithm.
void write_double(JsonWriter& w, double d) {
  json::serializer sr;
  const json::value v(d);
  sr.reset(&v);
  char buffer[64];
  while (!sr.done()) {
    const auto part = sr.read(buffer, sizeof buffer);
    w.raw(std::string_view(part.data(), part.size()));
  }
}

}  // namespace

void JsonWriter::string(std::string_view s) {
  raw('"');
  const char* run = s.data();  // the start of what is not written yet
  const char* const end = s.data() + s.size();
  for (const char* p = run;; ++p) {
    while (p != end && !escape_of(*p)) ++p;
    raw(std::string_view(run, static_cast<std::size_t>(p - run)));
    if (p == end) break;
    const char e = escape_of(*p);
    raw('\\');
    raw(e);
    if (e == 'u') {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(*p);
      const char code[4] = {'0', '0', kHex[c >> 4], kHex[c & 15]};
      raw(std::string_view(code, 4));
    }
    run = p + 1;
  }
  raw('"');
}

void JsonWriter::value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return string(v.get_string());
    case json::kind::int64: return write_integer(*this, v.get_int64());
    case json::kind::uint64: return write_integer(*this, v.get_uint64());
    case json::kind::double_: return write_double(*this, v.get_double());
    case json::kind::bool_: return raw(v.get_bool() ? std::string_view("true") : std::string_view("false"));
    case json::kind::null: return raw(std::string_view("null"));
    case json::kind::array: {
      raw('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) raw(',');
        first = false;
        value(item);
      }
      return raw(']');
    }
    case json::kind::object: {
      raw('{');
      bool first = true;
      for (const auto& kv : v.get_object()) {
        if (!first) raw(',');
        first = false;
        string(kv.key());
        raw(':');
        value(kv.value());
      }
      return raw('}');
    }
  }
}

void append_json_string(std::string& out, std::string_view s) { JsonWriter(out).string(s); }

void append_json(std::string& out, const json::value& v) { JsonWriter(out).value(v); }

}  // namespace switchyard::providers
