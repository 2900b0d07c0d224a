// Same-format request bodies spliced from the client's bytes (providers/body_splice.h, issue 15):
// for every body and deployment the spliced upstream request must be the one the DOM path builds
// (same JSON value, same target and headers); where it cannot be, the DOM path is taken.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "api/litellm_controls.h"
#include "config/config_loader.h"
#include "providers/body_splice.h"
#include "providers/chat_call.h"
#include "providers/json_write.h"
#include "providers/provider.h"

namespace switchyard::providers {
namespace {
namespace json = boost::json;

// ---------------------------------------------------------------------------------------------
// The scanner and the splice alone.

TEST(BodySpliceScan, FindsOnlyTopLevelMembersThroughStringsEscapesAndNesting) {
  const std::string raw = R"( { "a" : {"model":"inner","x":[1,{"model":2}]},
    "model":"g\"\\}{[",  "s": "model \" , } ]" ,"n":-1.5e3,"t":true,"z":null, "u":"\u00e9\ud83d\ude00" } )";
  const auto members = scan_top_level(raw);
  ASSERT_TRUE(members);
  ASSERT_EQ(members->size(), 7u);
  EXPECT_EQ((*members)[0].key, "a");
  EXPECT_EQ((*members)[0].value, R"({"model":"inner","x":[1,{"model":2}]})");
  EXPECT_EQ((*members)[1].key, "model");
  EXPECT_EQ((*members)[1].value, R"("g\"\\}{[")");
  EXPECT_EQ((*members)[2].value, R"("model \" , } ]")");
  EXPECT_EQ((*members)[3].value, "-1.5e3");
  EXPECT_EQ((*members)[6].value, R"("\u00e9\ud83d\ude00")");
  // A string ending in an escaped backslash ends at its quote; an escaped quote does not end it.
  const auto ends = scan_top_level(R"({"a":"end\\","b":"q\"","c":"\\\"\\"})");
  ASSERT_TRUE(ends);
  ASSERT_EQ(ends->size(), 3u);
  EXPECT_EQ((*ends)[0].value, R"("end\\")");
  EXPECT_EQ((*ends)[1].value, R"("q\"")");
  EXPECT_EQ((*ends)[2].value, R"("\\\"\\")");
}

TEST(BodySpliceScan, RefusesWhatTheBytesCannotStandFor) {
  EXPECT_FALSE(scan_top_level(R"({"model":"a","model":"b"})"));                  // the DOM keeps the last
  EXPECT_FALSE(scan_top_level(R"({"m":[{"role":"user","role":"system"}]})"));    // nested twice, too
  EXPECT_FALSE(scan_top_level(R"({"mod\u0065l":"a"})"));                          // escaped key
  EXPECT_FALSE(scan_top_level(R"([1,2])"));
  EXPECT_FALSE(scan_top_level(R"({"a":1)"));
  EXPECT_FALSE(scan_top_level(R"({"a":1} x)"));
  EXPECT_FALSE(scan_top_level(R"({"a":"unterminated)"));
  EXPECT_FALSE(scan_top_level(""));
  // The same key in sibling objects is fine.
  EXPECT_TRUE(scan_top_level(R"({"m":[{"role":"a"},{"role":"b"}],"role":1})"));
}

TEST(BodySpliceScan, SplicesReplacesInPlaceRemovesAndAppends) {
  const auto members = scan_top_level(R"({"model":"g", "messages":[{"role":"user","content":"hi"}], "stream":false})");
  ASSERT_TRUE(members);
  const json::value model = "deployment-model", added = json::object{{"k", "v\"w"}};
  const MemberEdit edits[] = {{"model", &model}, {"stream", nullptr}, {"new\"key", &added}};
  EXPECT_EQ(splice_top_level(*members, edits),
            R"({"model":"deployment-model","messages":[{"role":"user","content":"hi"}],"new\"key":{"k":"v\"w"}})");
}

// Boost.JSON 1.81 reads 0e499 as NaN (and NaN != NaN): the member is unchanged all the same and
// keeps the client's spelling, where the DOM path would write an invalid NaN.
TEST(BodySpliceScan, AMemberReadAsNanIsStillUnchanged) {
  const std::string raw = R"({"model":"g","x":[0e499]})";
  const auto parsed = json::parse(raw).as_object();
  json::monotonic_resource arena;
  auto probe = make_probe(parsed, &arena);
  probe["model"] = "m";
  EXPECT_EQ(splice_shaped_body(raw, parsed, probe), std::optional<std::string>(R"({"model":"m","x":[0e499]})"));
}

// ---------------------------------------------------------------------------------------------
// encode_chat: spliced against the DOM path, through the real shaping of each deployment kind.

config::Config load(const std::string& yaml) {
  auto r = config::load_config_text(yaml, "test.yaml", [](const std::string&) -> std::optional<std::string> { return "k"; });
  EXPECT_TRUE(r.ok());
  return std::move(*r.config);
}

const char* kDeployments = R"(
model_list:
  - model_name: openai
    litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: k}
  - model_name: defaults
    litellm_params: {model: openai/gpt-4o, api_base: "http://127.0.0.1:1/v1", api_key: k, temperature: 0.2, stop: ["END"], max_tokens: 77}
  - model_name: compatible
    litellm_params: {model: hosted_vllm/llama, api_base: "http://127.0.0.1:1/v1"}
  - model_name: azure
    litellm_params: {model: azure/my-gpt, api_base: "http://127.0.0.1:1", api_key: k, api_version: "2024-10-21"}
  - model_name: databricks
    litellm_params: {model: databricks/databricks-claude-3-7-sonnet, api_base: "http://127.0.0.1:1/serving-endpoints", api_key: k}
  - model_name: anthropic
    litellm_params: {model: anthropic/claude-sonnet-4, api_base: "http://127.0.0.1:1", api_key: k}
  - model_name: anthropic-defaults
    litellm_params: {model: anthropic/claude-sonnet-4, api_base: "http://127.0.0.1:1", api_key: k, temperature: 0.1, stop: END, user: u1}
  - model_name: vertex-claude
    litellm_params: {model: vertex_ai/claude-sonnet-4, vertex_project: p, vertex_location: us-east5, api_key: ya29.t}
)";

struct Encoded {
  http::UpstreamRequest spliced, written, dom;  // the client's bytes spliced, the probe written, the DOM copy
};

// As the gateway builds the request: parsed from `raw`, routing controls taken out.
core::ChatRequest request_from(core::WireFormat format, const std::string& raw,
                               std::vector<std::pair<std::string, std::string>> forward = {}) {
  core::ChatRequest r{.format = format, .body = json::parse(raw).as_object(), .raw_body = raw};
  if (const auto* s = r.body.if_contains("stream"); s && s->is_bool()) r.stream = s->get_bool();
  EXPECT_FALSE(api::take_litellm_controls(format, r.body, r.controls));
  r.forward_headers = std::move(forward);
  return r;
}

Encoded encode_both(const Endpoint& e, const core::ChatRequest& request) {
  return {encode_chat(e, request, nullptr, {.splice_min_bytes = 0}),
          encode_chat(e, request, nullptr, {.splice_min_bytes = std::numeric_limits<std::size_t>::max()}),
          encode_chat(e, request, nullptr, {.probe = false})};
}

void expect_same(const Encoded& x, const std::string& what) {
  SCOPED_TRACE(what);
  boost::system::error_code ec;
  const auto spliced = json::parse(x.spliced.body, ec);
  ASSERT_FALSE(ec) << x.spliced.body;
  EXPECT_EQ(spliced, json::parse(x.dom.body)) << "spliced: " << x.spliced.body << "\ndom:     " << x.dom.body;
  EXPECT_EQ(x.spliced.target, x.dom.target);
  EXPECT_EQ(x.spliced.url.host + x.spliced.url.port + x.spliced.url.path, x.dom.url.host + x.dom.url.port + x.dom.url.path);
  EXPECT_EQ(x.spliced.headers, x.dom.headers);
  // The probe written with the client's arrays is the DOM path's serialisation, byte for byte.
  EXPECT_EQ(x.written.body, x.dom.body);
  EXPECT_EQ(x.written.target, x.dom.target);
  EXPECT_EQ(x.written.headers, x.dom.headers);
}

const std::vector<std::string> kOpenAiBodies = {
    R"({"model":"g","messages":[{"role":"user","content":"hi"}]})",
    R"({ "model" : "g" , "messages" : [ { "role" : "user" , "content" : "say \"model\": {\"x\"} ]" } ] , "stream" : true })",
    R"({"messages":[{"role":"user","content":"\u00e9\ud83d\ude00 \\ \/"}],"model":"g","stream":false,"temperature":0.50})",
    R"({"model":"g","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}})",
    R"({"model":"g","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}})",
    R"({"model":"g","metadata":{"model":"nested","tags":["a"]},"messages":[{"role":"user","content":"hi"}],"tags":["t"],"fallbacks":["x"],"num_retries":2})",
    R"({"model":"g","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low","temperature":1e0,"max_tokens":5})",
    R"({"model":"g","messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled","budget_tokens":2048}})",
    R"({"model":"g","messages":[{"role":"user","content":"hi"}],"thinking":{"type":"enabled"},"reasoning_effort":"high"})",
    R"({"model":"g","messages":[{"role":"assistant","content":"a","reasoning_content":"r","thinking_blocks":[]},{"role":"user","content":"b"}]})",
    R"({"model":"g","messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]})",
    R"({"model":"g","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"model":{"type":"string"}}}},"cache_control":{"type":"ephemeral"}}]})",
    R"({"model":"g","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"auto"})",
    R"({"model":"g","messages":[],"stop":"x","user":"me","n":1,"big":123456789012345678901234567890})",
    R"({"model":"g","model":"h","messages":[{"role":"user","content":"dup"}]})",
    R"({"model":"g","messages":[{"role":"user","role":"system","content":"nested dup"}]})",
    R"({"mod\u0065l":"g","messages":[{"role":"user","content":"escaped key"}]})",
    "{\n\t\"model\":\t\"g\",\r\n \"messages\": [{\"role\": \"user\", \"content\": \"ws\"}]\n}\n",
};

const std::vector<std::string> kAnthropicBodies = {
    R"({"model":"g","max_tokens":10,"messages":[{"role":"user","content":"hi"}]})",
    R"({"model":"g","max_tokens":10,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]})",
    R"({"model":"g","max_tokens":10,"metadata":{"user_id":"u","tags":["a"],"other":1},"messages":[{"role":"user","content":"hi"}]})",
    R"({"model":"g","max_tokens":10,"metadata":{"tags":["a"]},"system":"s","stop_sequences":["x"],"messages":[{"role":"user","content":"hi"}]})",
    R"({"model":"g","max_tokens":10,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hi"}],"stream":false})",
};

TEST(BodySpliceEncode, SameFormatDeploymentsGetTheBodyTheDomPathBuilds) {
  const auto config = load(kDeployments);
  const std::vector<std::vector<std::pair<std::string, std::string>>> headers = {
      {}, {{"anthropic-beta", "context-1m-2025-08-07"}, {"anthropic-version", "2023-06-01"}, {"x-custom", "1"}}};
  int cases = 0, spliced = 0;
  for (const auto& d : config.deployments) {
    const auto endpoint = make_endpoint(d);
    ASSERT_TRUE(endpoint.adapter) << d.group << ": " << endpoint.unusable_reason;
    const auto format = endpoint.adapter->wire_format();
    for (const auto& raw : format == core::WireFormat::openai ? kOpenAiBodies : kAnthropicBodies)
      for (const auto& forward : headers)
        for (const bool stream : {false, true}) {
          auto request = request_from(format, raw, forward);
          request.stream = stream;
          const auto x = encode_both(endpoint, request);
          expect_same(x, d.group + " stream=" + std::to_string(stream) + " " + raw);
          ++cases;
          spliced += x.spliced.body != x.dom.body;  // the client's spelling kept: not the DOM's
        }
  }
  EXPECT_GT(cases, 200);
  EXPECT_GT(spliced, cases / 4);  // the splice was exercised (a compact body splices to the DOM's bytes)
}

TEST(BodySpliceEncode, TheClientsBytesAreKeptOnTheCommonPath) {
  const auto config = load(kDeployments);
  const auto endpoint = make_endpoint(config.deployments[0]);
  const std::string raw =
      R"({ "model": "openai", "messages": [{"role": "user", "content": "caf\u00e9"}], "temperature": 0.50, "stream": false })";
  const auto request = request_from(core::WireFormat::openai, raw);
  const auto out = encode_chat(endpoint, request, nullptr, {.splice_min_bytes = 0});
  // Spliced: the client's spacing, escapes and number spelling survive; only model and stream change.
  EXPECT_EQ(out.body, R"({"model":"gpt-4o","messages":[{"role": "user", "content": "caf\u00e9"}],"temperature":0.50})");
}

TEST(BodySpliceEncode, WhatCannotBeSplicedTakesTheDomPath) {
  const auto config = load(kDeployments);
  const auto endpoint = make_endpoint(config.deployments[0]);
  for (const std::string raw : {R"({"model":"g","model":"openai","messages":[{"role":"user","content":"x"}]})",
                                R"({"model":"openai","messages":[{"role":"assistant","content":"a","reasoning_content":"r"}]})"}) {
    const auto out = encode_chat(endpoint, request_from(core::WireFormat::openai, raw), nullptr, {.splice_min_bytes = 0});
    EXPECT_EQ(json::parse(out.body), json::parse(encode_both(endpoint, request_from(core::WireFormat::openai, raw)).dom.body));
    EXPECT_EQ(out.body, encode_both(endpoint, request_from(core::WireFormat::openai, raw)).dom.body);  // serialised DOM
  }
}

// Below kSpliceMinBytes the body is written from the shaped probe, as the DOM path writes it.
TEST(BodySpliceEncode, SmallBodiesAreWrittenAsTheDomPathWritesThem) {
  const auto config = load(kDeployments);
  const auto endpoint = make_endpoint(config.deployments[0]);
  const std::string small = R"({ "model": "openai", "messages": [{"role": "user", "content": "hi"}], "temperature": 0.50 })";
  ASSERT_LT(small.size(), kSpliceMinBytes);
  EXPECT_EQ(encode_chat(endpoint, request_from(core::WireFormat::openai, small)).body,
            R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":5E-1})");
  std::string large = small;
  large.insert(large.size() - 1, R"(, "user": ")" + std::string(kSpliceMinBytes, 'u') + "\"");
  EXPECT_NE(encode_chat(endpoint, request_from(core::WireFormat::openai, large)).body.find(R"("temperature":0.50)"),
            std::string::npos);
}

// A shaping that changed a placeholder array cannot be written from the probe: refused, and
// encode_chat then shapes a copy of the DOM.
TEST(BodySpliceWrite, AChangedPlaceholderIsRefused) {
  const auto parsed = json::parse(R"({"model":"g","messages":[{"role":"user","content":"hi"}],"tools":[]})").as_object();
  json::monotonic_resource arena;
  auto probe = make_probe(parsed, &arena);
  probe["model"] = "m";
  EXPECT_EQ(write_shaped_probe(parsed, probe, 0),
            std::optional<std::string>(R"({"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[]})"));
  probe["messages"].as_array().push_back(1);
  EXPECT_FALSE(write_shaped_probe(parsed, probe, 0));
  probe["messages"] = "replaced";
  EXPECT_FALSE(write_shaped_probe(parsed, probe, 0));
}

// append_json against boost::json::serialize, byte for byte, on random values: every kind, every
// character that needs an escape, integers at their limits, doubles of every magnitude.
TEST(JsonWrite, WritesWhatBoostJsonSerializeWrites) {
  std::mt19937 rng(11);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const auto text = [&] {
    std::string s;
    for (int i = pick(0, 12); i > 0; --i) {
      const int c = pick(0, 9);
      if (c < 3) s += static_cast<char>(pick(0, 0x21));  // controls, space, '!'
      else if (c == 3) s += '"';
      else if (c == 4) s += '\\';
      else if (c == 5) s += "caf\xc3\xa9\x7f/";
      else s += static_cast<char>(pick('a', 'z'));
    }
    return s;
  };
  std::function<json::value(int)> value = [&](int depth) -> json::value {
    switch (depth > 3 ? pick(0, 6) : pick(0, 8)) {
      case 0: return json::value(text());
      case 1: return json::value(static_cast<std::int64_t>(rng()) * (pick(0, 1) ? 1 : -1));
      case 2: return json::value(pick(0, 1) ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max());
      case 3: return json::value(std::numeric_limits<std::uint64_t>::max() - static_cast<std::uint64_t>(pick(0, 9)));
      case 4: return json::value(std::ldexp(static_cast<double>(rng()) / 7.0, pick(-1100, 1100)) * (pick(0, 1) ? 1 : -1));
      case 5: return pick(0, 1) ? json::value(true) : json::value(nullptr);
      case 6: return json::value(pick(0, 1) ? 0.5 : -0.0);
      case 7: {
        json::array a;
        for (int i = pick(0, 4); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json::object o;
        for (int i = pick(0, 4); i > 0; --i) o[text()] = value(depth + 1);
        return o;
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    const auto v = value(0);
    std::string written;
    append_json(written, v);
    ASSERT_EQ(written, json::serialize(v));
  }
  std::string inf;
  append_json(inf, json::value(std::numeric_limits<double>::infinity()));
  EXPECT_EQ(inf, json::serialize(json::value(std::numeric_limits<double>::infinity())));
}

// An Anthropic client to an OpenAI deployment (and back) is a translation: never spliced.
TEST(BodySpliceEncode, TranslationsAreNotSpliced) {
  const auto config = load(kDeployments);
  const auto openai = make_endpoint(config.deployments[0]);
  const auto raw = std::string(R"({"model":"g", "max_tokens":10, "messages":[{"role":"user","content":"hi"}]})");
  const auto x = encode_both(openai, request_from(core::WireFormat::anthropic, raw));
  EXPECT_EQ(x.spliced.body, x.dom.body);
}


// Random bodies (a seeded generator, so a failure reproduces): keys from the names the gateway
// edits or reads, strings with escapes and UTF-8, nesting, random whitespace, now and then a
// duplicate key. Every one goes through the real encode_chat of each deployment both ways.
class BodyGenerator {
 public:
  explicit BodyGenerator(std::uint32_t seed) : rng_(seed) {}

  std::string object_body(core::WireFormat format) {
    std::string out = "{";
    const int members = pick(1, 8);
    bool first = true;
    member(out, first, "model", "\"g\"");
    member(out, first, "messages", messages());
    if (format == core::WireFormat::anthropic) member(out, first, "max_tokens", "10");
    for (int i = 0; i < members; ++i) {
      const auto& key = kKeys[static_cast<std::size_t>(pick(0, static_cast<int>(kKeys.size()) - 1))];
      member(out, first, key, value(0));
    }
    out += space() + "}";
    return out;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  std::string space() {
    static const char* kSpaces[] = {"", "", "", " ", "\n  ", "\t", "\r\n"};
    return kSpaces[pick(0, 6)];
  }
  void member(std::string& out, bool& first, const std::string& key, const std::string& v) {
    if (!first) out += space() + ",";
    first = false;
    out += space() + "\"" + key + "\"" + space() + ":" + space() + v;
  }
  std::string text() {
    static const char* kPieces[] = {"hi", "model", "\\\"", "\\\\", "\\u00e9", "\\ud83d\\ude00", "{", "}", "[", "]", ",", ":",
                                    " ", "\\n", "caf\xc3\xa9", "\\/", "\\\\\\\""};
    std::string s = "\"";
    for (int i = pick(0, 5); i > 0; --i) s += kPieces[pick(0, 16)];
    return s + "\"";
  }
  std::string messages() {
    std::string out = "[";
    for (int i = pick(1, 3); i > 0; --i) {
      out += "{\"role\":\"user\",\"content\":" + (pick(0, 3) == 0 ? "[{\"type\":\"text\",\"text\":" + text() + "}]" : text());
      if (pick(0, 9) == 0) out += ",\"cache_control\":{\"type\":\"ephemeral\"}";
      if (pick(0, 15) == 0) out += ",\"role\":\"system\"";  // a nested duplicate
      out += "}" + std::string(i > 1 ? "," : "");
    }
    return out + "]";
  }
  std::string value(int depth) {
    switch (depth > 2 ? pick(0, 4) : pick(0, 7)) {
      case 0: return text();
      case 1: return std::to_string(pick(-5, 100000));
      case 2: return pick(0, 1) ? "0.50" : "1e2";
      case 3: return pick(0, 1) ? "true" : "false";
      case 4: return "null";
      case 5: {
        std::string out = "[";
        for (int i = pick(0, 3); i > 0; --i) out += value(depth + 1) + (i > 1 ? "," : "");
        return out + "]";
      }
      default: {
        std::string out = "{";
        bool first = true;
        for (int i = pick(0, 3); i > 0; --i) member(out, first, kKeys[static_cast<std::size_t>(pick(0, 5))], value(depth + 1));
        return out + "}";
      }
    }
  }

  inline static const std::vector<std::string> kKeys = {
      "model", "stream", "stream_options", "temperature", "metadata", "tags", "fallbacks", "user_id", "thinking",
      "reasoning_effort", "tools", "max_tokens", "stop", "user", "num_retries", "x", "type", "budget_tokens"};
  std::mt19937 rng_;
};

TEST(BodySpliceEncode, RandomBodiesMatchTheDomPath) {
  const auto config = load(kDeployments);
  int cases = 0, spliced = 0;
  for (const auto& d : config.deployments) {
    const auto endpoint = make_endpoint(d);
    const auto format = endpoint.adapter->wire_format();
    BodyGenerator generate(static_cast<std::uint32_t>(cases + 7));
    for (int i = 0; i < 300; ++i) {
      const auto raw = generate.object_body(format);
      boost::system::error_code ec;
      auto parsed = json::parse(raw, ec);
      ASSERT_FALSE(ec) << raw;
      core::ChatRequest request{.format = format, .body = std::move(parsed.as_object()), .raw_body = raw};
      request.stream = i % 2 == 0;
      if (api::take_litellm_controls(format, request.body, request.controls)) continue;  // refused by the gateway
      if (i % 3 == 0) request.forward_headers = {{"anthropic-beta", "context-1m-2025-08-07"}};
      const auto x = encode_both(endpoint, request);
      expect_same(x, d.group + " " + raw);
      ++cases;
      spliced += x.spliced.body != x.dom.body;
      if (HasFailure()) return;
    }
  }
  EXPECT_GT(cases, 1000);
  EXPECT_GT(spliced, cases / 5);  // the splice was exercised (random keys repeat often: those take the DOM path)
}

}  // namespace
}  // namespace switchyard::providers
