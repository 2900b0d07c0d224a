#pragma once
// A JSON DOM written as text, byte for byte as boost::json::serialize writes it (issue 15): the
// same escapes, the same integer digits, doubles through Boost.JSON's own serializer. It exists
// because serialize() costs ~15 instructions a byte on a small request body, most of it the
// serializer's resumable state machine, which a body written into one std::string never needs.
// Used where the gateway writes an upstream body from DOM parts (body_splice.h).

#include <boost/json/fwd.hpp>
#include <cstring>
#include <string>
#include <string_view>

namespace switchyard::providers {

// Appends to `out` through a small buffer (one std::string append per kBufferBytes written, not
// one per character); the destructor flushes it.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  ~JsonWriter() { flush(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void raw(char c) {
    if (used_ == kBufferBytes) flush();
    buffer_[used_++] = c;
  }
  void raw(std::string_view s) {
    if (s.empty()) return;  // memcpy from an empty view's null data() is undefined
    if (s.size() > kBufferBytes - used_) {
      flush();
      if (s.size() > kBufferBytes) return static_cast<void>(out_.append(s));
    }
    std::memcpy(buffer_ + used_, s.data(), s.size());
    used_ += s.size();
  }
  // `s` as a JSON string (quotes included), escaped as Boost.JSON escapes it.
  void string(std::string_view s);
  // `v` as boost::json::serialize(v) writes it.
  void value(const boost::json::value& v);
  void flush() {
    out_.append(buffer_, used_);
    used_ = 0;
  }

 private:
  static constexpr std::size_t kBufferBytes = 512;
  std::string& out_;
  std::size_t used_ = 0;
  char buffer_[kBufferBytes];
};

// Appends `s` as a JSON string (quotes included), escaped as Boost.JSON escapes it.
void append_json_string(std::string& out, std::string_view s);

// Appends `v` as boost::json::serialize(v) would write it.
void append_json(std::string& out, const boost::json::value& v);

}  // namespace switchyard::providers
