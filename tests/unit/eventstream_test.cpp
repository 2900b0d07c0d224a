// application/vnd.amazon.eventstream framing: known vectors, round trips, split feeding, corruption.
#include <gtest/gtest.h>

#include <boost/crc.hpp>

#include "providers/aws/eventstream.h"

namespace switchyard::providers::aws::eventstream {
namespace {

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (const int v : values) out += static_cast<char>(v);
  return out;
}

// Encoded vectors from the AWS SDK for JavaScript v3, packages/eventstream-marshaller/src/
// TestVectors.fixture.ts (github.com/aws/aws-sdk-js-v3, commit 238be60b5561ad76aab41bbaf9ea840b29b577ae).
const std::string kIntHeaderVector =  // "int32_header": event-id = 0x0000a00c, body {'foo':'bar'}
    bytes({0, 0, 0, 43, 0, 0, 0, 14, 52, 139, 236, 123, 8, 101, 118, 101, 110, 116, 45, 105, 100, 4, 0, 0, 160, 12,
           123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125, 211, 137, 2, 133});
const std::string kStringHeaderVector =  // "payload_one_str_header": content-type = application/json
    bytes({0, 0, 0, 61, 0, 0, 0, 32, 7, 253, 131, 150, 12, 99, 111, 110, 116, 101, 110, 116, 45, 116, 121, 112, 101, 7,
           0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 123, 39, 102, 111, 111,
           39, 58, 39, 98, 97, 114, 39, 125, 141, 156, 8, 177});
const std::string kEmptyVector = bytes({0, 0, 0, 16, 0, 0, 0, 0, 5, 194, 72, 235, 125, 152, 200, 255});
const std::string kCorruptedPayloadVector =  // "corrupted_payload": one body byte changed
    bytes({0, 0, 0, 29, 0, 0, 0, 0, 253, 82, 140, 90, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 141, 195,
           101, 57, 54});
const std::string kCorruptedLengthVector =  // "corrupted_length": first byte of the total length changed
    bytes({1, 0, 0, 29, 0, 0, 0, 0, 253, 82, 140, 90, 123, 39, 102, 111, 111, 39, 58, 39, 98, 97, 114, 39, 125, 195,
           101, 57, 54});
const std::string kCorruptedHeadersVector =  // "corrupted_headers": a header name byte changed
    bytes({0, 0, 0, 61, 0, 0, 0, 32, 7, 253, 131, 150, 12, 99, 111, 110, 116, 101, 110, 116, 43, 116, 121, 112, 101, 7,
           0, 16, 97, 112, 112, 108, 105, 99, 97, 116, 105, 111, 110, 47, 106, 115, 111, 110, 123, 39, 102, 111, 111,
           39, 58, 39, 98, 97, 114, 39, 125, 141, 156, 8, 177});

std::optional<Message> decode_one(std::string_view wire, std::optional<std::string>* error = nullptr) {
  Decoder d;
  d.feed(wire);
  auto m = d.next();
  if (error) *error = d.error();
  return m;
}

TEST(EventStream, DecodesAndReencodesTheSdkVectors) {
  const auto with_int = decode_one(kIntHeaderVector);
  ASSERT_TRUE(with_int);
  EXPECT_EQ(with_int->headers, (std::vector<Header>{{"event-id", std::int32_t{0x0000a00c}}}));
  EXPECT_EQ(with_int->payload, "{'foo':'bar'}");
  EXPECT_EQ(encode(with_int->headers, with_int->payload), kIntHeaderVector);

  const auto with_string = decode_one(kStringHeaderVector);
  ASSERT_TRUE(with_string);
  EXPECT_EQ(with_string->string_header("content-type"), "application/json");
  EXPECT_EQ(encode(with_string->headers, with_string->payload), kStringHeaderVector);

  const auto empty = decode_one(kEmptyVector);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->headers.empty());
  EXPECT_TRUE(empty->payload.empty());
  EXPECT_EQ(encode({}, ""), kEmptyVector);
}

TEST(EventStream, RejectsTheSdkCorruptedVectors) {
  for (const auto& [vector, reason] : std::vector<std::pair<std::string, std::string>>{
           {kCorruptedPayloadVector, "message CRC mismatch"},
           {kCorruptedLengthVector, "prelude CRC mismatch"},
           {kCorruptedHeadersVector, "message CRC mismatch"}}) {
    std::optional<std::string> error;
    EXPECT_FALSE(decode_one(vector, &error));
    EXPECT_EQ(error, reason);
  }
}

std::vector<Header> every_type() {
  Uuid id;
  for (std::size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<std::uint8_t>(0xf0 + i);
  return {{"true", true},
          {"false", false},
          {"byte", std::int8_t{-7}},
          {"short", std::int16_t{-12345}},
          {"int", std::int32_t{-123456789}},
          {"long", std::int64_t{-1234567890123456789}},
          {"bytes", ByteArray{std::string("\0\x01\xff", 3)}},
          {":event-type", std::string("contentBlockDelta")},
          {"timestamp", Timestamp{1700000000123}},
          {"uuid", id}};
}

TEST(EventStream, RoundTripsEveryHeaderType) {
  const auto headers = every_type();
  const std::string payload("payload \0 bytes", 15);
  const auto wire = encode(headers, payload);
  const auto m = decode_one(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->headers, headers);
  EXPECT_EQ(m->payload, payload);
  EXPECT_EQ(m->string_header(":event-type"), "contentBlockDelta");
  EXPECT_EQ(m->string_header("int"), "");  // not a string header
  EXPECT_EQ(m->string_header("absent"), "");
}

TEST(EventStream, DecodesMessagesFedOneByteAtATime) {
  std::string wire;
  for (int i = 0; i < 5; ++i)
    wire += encode({{":message-type", std::string("event")}, {"n", std::int32_t{i}}}, "body " + std::to_string(i));
  Decoder d;
  std::vector<Message> got;
  for (const char c : wire) {
    d.feed(std::string_view(&c, 1));
    while (auto m = d.next()) got.push_back(std::move(*m));
  }
  ASSERT_EQ(got.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].payload, "body " + std::to_string(i));
    EXPECT_EQ(got[i].headers[1].value, HeaderValue(std::int32_t{i}));
  }
  EXPECT_FALSE(d.has_partial());
  EXPECT_FALSE(d.error());
}

TEST(EventStream, WaitsForTheRestOfAPartialMessage) {
  const auto wire = encode({{"a", std::string("b")}}, "hello");
  Decoder d;
  d.feed(wire.substr(0, wire.size() - 1));
  EXPECT_FALSE(d.next());
  EXPECT_TRUE(d.has_partial());
  EXPECT_FALSE(d.error());
  d.feed(wire.substr(wire.size() - 1));
  const auto m = d.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->payload, "hello");
}

// Rewrites the prelude and message CRCs so only the intended defect remains.
std::string with_valid_crcs(std::string wire) {
  auto put = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) wire[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
  };
  auto crc = [&](std::size_t n) {
    boost::crc_32_type c;
    c.process_bytes(wire.data(), n);
    return c.checksum();
  };
  put(8, crc(8));
  if (wire.size() >= 16) put(wire.size() - 4, crc(wire.size() - 4));
  return wire;
}

std::string error_of(const std::string& wire) {
  std::optional<std::string> error;
  EXPECT_FALSE(decode_one(wire, &error));
  return error.value_or("(no error)");
}

TEST(EventStream, DetectsEachKindOfCorruption) {
  const auto good = encode({{":event-type", std::string("messageStop")}}, R"({"stopReason":"end_turn"})");

  auto prelude = good;
  prelude[9] ^= 0x01;
  EXPECT_EQ(error_of(prelude), "prelude CRC mismatch");

  auto message = good;
  message[good.size() - 6] ^= 0x20;
  EXPECT_EQ(error_of(message), "message CRC mismatch");

  auto too_short = std::string(12, '\0');  // total length 0 with a valid prelude CRC
  EXPECT_EQ(error_of(with_valid_crcs(too_short)), "message length 0 is below the minimum");

  auto too_long = good;
  too_long[0] = 0x01;
  too_long[1] = 0x00;
  too_long[2] = 0x00;
  too_long[3] = 0x01;  // 16 MiB + 1
  EXPECT_EQ(error_of(with_valid_crcs(too_long)), "message length 16777217 exceeds 16 MiB");

  auto headers_too_long = good;
  headers_too_long[7] = static_cast<char>(good.size());  // more header bytes than the frame holds
  EXPECT_NE(error_of(with_valid_crcs(headers_too_long)).find("does not fit the message"), std::string::npos);

  auto name_overrun = good;
  name_overrun[12] = static_cast<char>(200);  // name length past the header block
  EXPECT_EQ(error_of(with_valid_crcs(name_overrun)), "header name overruns the headers");

  auto value_overrun = good;
  value_overrun[12 + 1 + 11 + 1 + 1] = 100;  // string length low byte past the header block
  EXPECT_EQ(error_of(with_valid_crcs(value_overrun)), "header ':event-type' value overruns the headers");

  auto unknown_type = good;
  unknown_type[12 + 1 + 11] = 10;
  EXPECT_EQ(error_of(with_valid_crcs(unknown_type)), "header ':event-type' has unknown value type 10");
}

TEST(EventStream, StaysFailedAfterAnError) {
  auto bad = encode({}, "x");
  bad[bad.size() - 1] ^= 0x01;
  Decoder d;
  d.feed(bad);
  EXPECT_FALSE(d.next());
  ASSERT_TRUE(d.error());
  d.feed(encode({}, "fine"));
  EXPECT_FALSE(d.next());
  EXPECT_EQ(d.error(), "message CRC mismatch");
}

}  // namespace
}  // namespace switchyard::providers::aws::eventstream
