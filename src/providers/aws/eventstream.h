// The application/vnd.amazon.eventstream binary framing Bedrock's ConverseStream answers in
// (https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream
// describes it; aws-c-event-stream is the reference implementation):
//   total length u32 BE | headers length u32 BE | prelude CRC32 (of the 8 bytes before it)
//   | headers | payload | message CRC32 (of every byte before it)
// A header is: name length u8, name, value type u8, value (big-endian). Pure code: no I/O, no
// exceptions on bad input (the decoder is fuzzed).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchyard::providers::aws::eventstream {

constexpr std::size_t kPreludeBytes = 12;
constexpr std::size_t kMessageCrcBytes = 4;
constexpr std::size_t kMinMessageBytes = kPreludeBytes + kMessageCrcBytes;
constexpr std::size_t kMaxMessageBytes = 16 << 20;  // 16 MiB, aws-c-event-stream's limit
constexpr std::size_t kMaxHeadersBytes = 128 << 10;  // 128 KiB, likewise

struct ByteArray {  // type 6, kept apart from strings (type 7)
  std::string bytes;
  bool operator==(const ByteArray&) const = default;
};
struct Timestamp {  // type 8: milliseconds since the Unix epoch
  std::int64_t millis = 0;
  bool operator==(const Timestamp&) const = default;
};
struct Uuid {  // type 9
  std::array<std::uint8_t, 16> bytes{};
  bool operator==(const Uuid&) const = default;
};

// Types 0/1 (bool true/false), 2 byte, 3 short, 4 int, 5 long, 6 bytes, 7 string, 8 timestamp, 9 uuid.
using HeaderValue = std::variant<bool, std::int8_t, std::int16_t, std::int32_t, std::int64_t, ByteArray, std::string,
                                 Timestamp, Uuid>;

struct Header {
  std::string name;
  HeaderValue value;
  bool operator==(const Header&) const = default;
};

struct Message {
  std::vector<Header> headers;
  std::string payload;
  // The value of a string-typed header, empty when absent or of another type.
  std::string_view string_header(std::string_view name) const;
};

// One framed message. Names longer than 255 bytes and string/byte values longer than 65535 bytes
// cannot be framed and are cut to those lengths (callers are the mock server and tests).
std::string encode(const std::vector<Header>& headers, std::string_view payload);

// Bytes in as they arrive, split anywhere; whole messages out. After an error it stays failed.
class Decoder {
 public:
  void feed(std::string_view bytes);
  // The next whole message, or nullopt when more bytes are needed or error() is set.
  std::optional<Message> next();
  const std::optional<std::string>& error() const { return error_; }
  // Bytes received that do not yet form a whole message.
  bool has_partial() const { return buffer_.size() > consumed_; }

 private:
  std::optional<Message> fail(std::string reason);

  std::string buffer_;
  std::size_t consumed_ = 0;
  std::optional<std::string> error_;
};

}  // namespace switchyard::providers::aws::eventstream
