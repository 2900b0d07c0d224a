#include "providers/aws/eventstream.h"

#include <boost/crc.hpp>

#include <limits>

namespace switchyard::providers::aws::eventstream {
namespace {

constexpr std::size_t kMaxNameBytes = std::numeric_limits<std::uint8_t>::max();
constexpr std::size_t kMaxValueBytes = std::numeric_limits<std::uint16_t>::max();

enum class Type : std::uint8_t { bool_true, bool_false, byte, int16, int32, int64, bytes, string, timestamp, uuid };

std::uint32_t crc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

template <typename Unsigned>
void put_be(std::string& out, Unsigned v) {
  for (int shift = 8 * (static_cast<int>(sizeof(Unsigned)) - 1); shift >= 0; shift -= 8)
    out += static_cast<char>((v >> shift) & 0xff);
}

std::uint64_t get_be(std::string_view bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

void put_sized(std::string& out, std::string_view s) {
  const auto n = std::min(s.size(), kMaxValueBytes);
  put_be(out, static_cast<std::uint16_t>(n));
  out.append(s.substr(0, n));
}

void put_value(std::string& out, const HeaderValue& value) {
  auto type = [&](Type t) { out += static_cast<char>(t); };
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          type(v ? Type::bool_true : Type::bool_false);
        } else if constexpr (std::is_same_v<T, std::int8_t>) {
          type(Type::byte);
          put_be(out, static_cast<std::uint8_t>(v));
        } else if constexpr (std::is_same_v<T, std::int16_t>) {
          type(Type::int16);
          put_be(out, static_cast<std::uint16_t>(v));
        } else if constexpr (std::is_same_v<T, std::int32_t>) {
          type(Type::int32);
          put_be(out, static_cast<std::uint32_t>(v));
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          type(Type::int64);
          put_be(out, static_cast<std::uint64_t>(v));
        } else if constexpr (std::is_same_v<T, ByteArray>) {
          type(Type::bytes);
          put_sized(out, v.bytes);
        } else if constexpr (std::is_same_v<T, std::string>) {
          type(Type::string);
          put_sized(out, v);
        } else if constexpr (std::is_same_v<T, Timestamp>) {
          type(Type::timestamp);
          put_be(out, static_cast<std::uint64_t>(v.millis));
        } else {
          type(Type::uuid);
          for (const auto b : v.bytes) out += static_cast<char>(b);
        }
      },
      value);
}

// Reads big-endian fields from the header block; every read is bounds-checked.
class BlockReader {
 public:
  explicit BlockReader(std::string_view block) : block_(block) {}
  bool done() const { return at_ == block_.size(); }
  std::optional<std::uint64_t> fixed(std::size_t width) {
    if (block_.size() - at_ < width) return std::nullopt;
    const auto v = get_be(block_, at_, width);
    at_ += width;
    return v;
  }
  std::optional<std::string> bytes(std::size_t n) {
    if (block_.size() - at_ < n) return std::nullopt;
    std::string v(block_.substr(at_, n));
    at_ += n;
    return v;
  }
  std::optional<std::string> sized() {
    const auto n = fixed(2);
    return n ? bytes(*n) : std::nullopt;
  }

 private:
  std::string_view block_;
  std::size_t at_ = 0;
};

// nullopt: the value runs past the header block, or the type is unknown.
std::optional<HeaderValue> read_value(BlockReader& in, std::uint8_t type) {
  switch (static_cast<Type>(type)) {
    case Type::bool_true: return HeaderValue(true);
    case Type::bool_false: return HeaderValue(false);
    case Type::byte:
      if (const auto v = in.fixed(1)) return HeaderValue(static_cast<std::int8_t>(*v));
      return std::nullopt;
    case Type::int16:
      if (const auto v = in.fixed(2)) return HeaderValue(static_cast<std::int16_t>(*v));
      return std::nullopt;
    case Type::int32:
      if (const auto v = in.fixed(4)) return HeaderValue(static_cast<std::int32_t>(*v));
      return std::nullopt;
    case Type::int64:
      if (const auto v = in.fixed(8)) return HeaderValue(static_cast<std::int64_t>(*v));
      return std::nullopt;
    case Type::bytes:
      if (auto v = in.sized()) return HeaderValue(ByteArray{std::move(*v)});
      return std::nullopt;
    case Type::string:
      if (auto v = in.sized()) return HeaderValue(std::move(*v));
      return std::nullopt;
    case Type::timestamp:
      if (const auto v = in.fixed(8)) return HeaderValue(Timestamp{static_cast<std::int64_t>(*v)});
      return std::nullopt;
    case Type::uuid:
      if (const auto v = in.bytes(16)) {
        Uuid u;
        for (std::size_t i = 0; i < u.bytes.size(); ++i) u.bytes[i] = static_cast<std::uint8_t>((*v)[i]);
        return HeaderValue(u);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

constexpr std::uint8_t kLastType = static_cast<std::uint8_t>(Type::uuid);

// nullopt (with `why` set) when a header runs past the block or has an unknown type.
std::optional<std::vector<Header>> parse_headers(std::string_view block, std::string& why) {
  std::vector<Header> headers;
  BlockReader in(block);
  while (!in.done()) {
    const auto name_length = in.fixed(1);
    auto name = name_length ? in.bytes(*name_length) : std::nullopt;
    const auto type = in.fixed(1);
    if (!name || !type) {
      why = "header name overruns the headers";
      return std::nullopt;
    }
    if (*type > kLastType) {
      why = "header '" + *name + "' has unknown value type " + std::to_string(*type);
      return std::nullopt;
    }
    auto value = read_value(in, static_cast<std::uint8_t>(*type));
    if (!value) {
      why = "header '" + *name + "' value overruns the headers";
      return std::nullopt;
    }
    headers.push_back({std::move(*name), std::move(*value)});
  }
  return headers;
}

}  // namespace

std::string_view Message::string_header(std::string_view name) const {
  for (const auto& h : headers)
    if (h.name == name)
      if (const auto* s = std::get_if<std::string>(&h.value)) return *s;
  return {};
}

std::string encode(const std::vector<Header>& headers, std::string_view payload) {
  std::string block;
  for (const auto& h : headers) {
    const auto name_length = std::min(h.name.size(), kMaxNameBytes);
    block += static_cast<char>(name_length);
    block.append(h.name, 0, name_length);
    put_value(block, h.value);
  }
  std::string out;
  const auto total = kPreludeBytes + block.size() + payload.size() + kMessageCrcBytes;
  out.reserve(total);
  put_be(out, static_cast<std::uint32_t>(total));
  put_be(out, static_cast<std::uint32_t>(block.size()));
  put_be(out, crc32(out));
  out += block;
  out.append(payload);
  put_be(out, crc32(out));
  return out;
}

void Decoder::feed(std::string_view bytes) {
  if (error_) return;
  // Drop what was consumed once it is most of the buffer, so a long stream stays small.
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Message> Decoder::fail(std::string reason) {
  error_ = std::move(reason);
  buffer_.clear();
  consumed_ = 0;
  return std::nullopt;
}

std::optional<Message> Decoder::next() {
  if (error_) return std::nullopt;
  const std::string_view pending = std::string_view(buffer_).substr(consumed_);
  if (pending.size() < kPreludeBytes) return std::nullopt;
  const auto total = get_be(pending, 0, 4);
  const auto headers_length = get_be(pending, 4, 4);
  if (get_be(pending, 8, 4) != crc32(pending.substr(0, 8))) return fail("prelude CRC mismatch");
  if (total < kMinMessageBytes) return fail("message length " + std::to_string(total) + " is below the minimum");
  if (total > kMaxMessageBytes) return fail("message length " + std::to_string(total) + " exceeds 16 MiB");
  if (headers_length > kMaxHeadersBytes || headers_length > total - kMinMessageBytes)
    return fail("headers length " + std::to_string(headers_length) + " does not fit the message");
  if (pending.size() < total) return std::nullopt;

  const auto frame = pending.substr(0, total);
  const auto body_end = total - kMessageCrcBytes;
  if (get_be(frame, body_end, 4) != crc32(frame.substr(0, body_end))) return fail("message CRC mismatch");
  std::string why;
  auto headers = parse_headers(frame.substr(kPreludeBytes, headers_length), why);
  if (!headers) return fail(std::move(why));
  Message m{std::move(*headers), std::string(frame.substr(kPreludeBytes + headers_length,
                                                          body_end - kPreludeBytes - headers_length))};
  consumed_ += total;
  return m;
}

}  // namespace switchyard::providers::aws::eventstream
