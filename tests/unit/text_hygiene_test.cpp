// Issue 11 items 2, 5c, 5d below the binary: URL userinfo, UTF-8 repair, echoed-key redaction
// and text-log escaping. The end-to-end checks are tests/integration/credentials_test.cpp.
#include <gtest/gtest.h>

#include <limits>

#include "api/redact.h"
#include "api/request_log.h"
#include "config/config_loader.h"
#include "core/text.h"
#include "core/url_userinfo.h"
#include "core/utf8.h"
#include "providers/stream_translate.h"

namespace switchyard {
namespace {

TEST(UrlUserinfo, IsReadDecodedAndStrippedFromTheAuthorityOnly) {
  const auto u = core::userinfo_of("https://us%40er:p%3Ass@word@host.example:8443/v1?x=a@b");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->user, "us@er");
  EXPECT_EQ(u->password, "p:ss@word");
  EXPECT_EQ(core::without_userinfo("https://us%40er:p%3Ass@word@host.example:8443/v1?x=a@b"),
            "https://host.example:8443/v1?x=a@b");
  EXPECT_FALSE(core::userinfo_of("https://host.example/v1/a@b"));
  EXPECT_EQ(core::without_userinfo("https://host.example/v1/a@b"), "https://host.example/v1/a@b");
  EXPECT_EQ(core::without_userinfo("not a url"), "not a url");
}

TEST(UrlUserinfo, DeploymentIdsAndConfigErrorsNeverCarryIt) {
  const auto loaded = config::load_config_text(
      "model_list:\n"
      "  - {model_name: a, litellm_params: {model: openai_compatible/m, api_base: 'https://bob:hunter2-SECRET@llm.internal/v1'}}\n",
      "userinfo.yaml");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.config->deployments.at(0).id, "openai_compatible/m@https://llm.internal/v1");
  const auto bad = config::load_config_text(
      "model_list:\n  - {model_name: a, litellm_params: {model: openai_compatible/m, api_base: 'ftp://bob:hunter2-SECRET@x'}}\n",
      "bad.yaml");
  ASSERT_FALSE(bad.ok());
  for (const auto& e : bad.errors) EXPECT_EQ(e.to_string().find("hunter2"), std::string::npos) << e.to_string();
}

TEST(Utf8, InvalidBytesAreEscapedAndValidTextIsUntouched) {
  EXPECT_EQ(core::valid_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(core::valid_utf8("a\xff" "b"), "a\\xffb");
  EXPECT_EQ(core::valid_utf8("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(core::valid_utf8("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // UTF-16 surrogate
  EXPECT_EQ(core::valid_utf8("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(core::valid_utf8("end \xe2\x82"), "end \\xe2\\x82");   // truncated sequence
  // A cut never splits a character.
  EXPECT_EQ(core::utf8_prefix("ab\xe2\x82\xac", 4), "ab");
  EXPECT_EQ(core::utf8_prefix("ab\xe2\x82\xac", 5), "ab\xe2\x82\xac");
  EXPECT_EQ(core::utf8_prefix("\xe2\x82\xac", 2), "");
  EXPECT_EQ(core::utf8_prefix("abc", 2), "ab");
}

TEST(Redactor, HalfMaskedEchoesAndUrlCredentialsAreRedacted) {
  const auto loaded = config::load_config_text(
      "model_list:\n"
      "  - {model_name: a, litellm_params: {model: openai_compatible/m, api_base: 'https://bob:hunter2-SECRET@llm.internal/v1'}}\n",
      "redact-userinfo.yaml");
  ASSERT_TRUE(loaded.ok());
  const api::Redactor redact(*loaded.config);
  const auto out = redact(
      "Incorrect API key provided: sk-VKMIs***************************************wjh3. You can find your API key; "
      "key_8Tjw********rtUb; pass hunter2-SECRET; Authorization: Basic Ym9iOmh1bnRlcjItU0VDUkVU; ***bold***");
  for (const auto leak : {"VKMIs", "wjh3", "8Tjw", "rtUb", "hunter2", "Ym9iOmh1"})
    EXPECT_EQ(out.find(leak), std::string::npos) << leak << " in " << out;
  EXPECT_NE(out.find("provided: [redacted]. You can find"), std::string::npos) << out;
  EXPECT_NE(out.find("***bold***"), std::string::npos) << "stars alone hide nothing: " << out;
}

TEST(RequestLog, TextValuesFromClientsAreQuotedAndEscaped) {
  api::RequestSummary s;
  s.request_id = "r1 status=200\ndeployment=forged \"q\" \xff";
  s.method = "POST";
  s.path = "/v1/chat/completions";
  s.model_group = "gpt";
  s.status = 404;
  const api::Redactor redact;
  const auto line = api::RequestLog::format_line(api::LogFormat::text, s, redact);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_NE(line.find(R"(id="r1 status=200\ndeployment=forged \"q\" \xff" POST)"), std::string::npos) << line;
  EXPECT_NE(line.find(" group=gpt "), std::string::npos) << "plain values stay bare: " << line;
  const auto json_line = api::RequestLog::format_line(api::LogFormat::json, s, redact);
  EXPECT_EQ(core::valid_utf8(json_line), json_line);
}

// Small numbers take a digit-by-digit path: every number prints as std::to_string does, and is
// appended to what the buffer holds.
TEST(HeaderText, IntegersAppendAsToStringPrintsThem) {
  std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max(),
                                      -1000000, 1000000, 123456789012};
  for (std::int64_t v = -1100; v <= 1100; ++v) values.push_back(v);
  for (const auto v : values) {
    std::string out = "n=";
    core::append_int(out, v);
    EXPECT_EQ(out, "n=" + std::to_string(v));
  }
}

// A header value with a CR or LF anywhere (tested 16 bytes at a time: in a block, in the
// overlapping last block, in a short value) is caught; other control bytes are not line breaks.
TEST(HeaderText, LineBreakAnywhereInAValueIsFound) {
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string value(length, 'v');
    EXPECT_FALSE(core::has_line_break(value)) << length;
    for (std::size_t at = 0; at < length; ++at) {
      for (const char c : {'\r', '\n'}) {
        value[at] = c;
        EXPECT_TRUE(core::has_line_break(value)) << length << " at " << at;
      }
      for (const char c : {'\t', '\x0b', '\x0c', '\x0e', '\x8a', '\x8d', '\0'}) {
        value[at] = c;
        EXPECT_FALSE(core::has_line_break(value)) << length << " at " << at;
      }
      value[at] = 'v';
    }
  }
}

TEST(Utf8, StreamEventsThatDoNotParseAreForwardedAsValidUtf8) {
  for (const auto wire : {core::WireFormat::openai, core::WireFormat::anthropic}) {
    auto translator = providers::make_stream_translator(wire, wire, false);
    providers::TranslatedChunk out;
    translator->on_event(http::SseEvent{"ping\xff", "{\"text\":\"caf\xc3\"}"}, out);
    EXPECT_FALSE(out.bytes.empty());
    EXPECT_EQ(core::valid_utf8(out.bytes), out.bytes) << out.bytes;
    EXPECT_NE(out.bytes.find("caf\\xc3"), std::string::npos) << out.bytes;
  }
}

}  // namespace
}  // namespace switchyard
