// Differential: for any bytes Boost.JSON parses as an object, the spliced upstream body
// (providers/body_splice.h) must be the same JSON value as the DOM path's serialisation of the
// same edits, and the shaped probe written with the client's arrays the very same bytes: routing controls taken out (top-level members removed, `metadata` rewritten), then
// top-level sets/removals as the request shaping makes them. The first byte picks the edits. When
// the splice refuses (nullopt), the DOM path is taken, which is always right; a refusal of a
// plain body would only cost speed, so it is not a failure here.
#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/body_splice.h"

using namespace switchyard;
namespace json = boost::json;

namespace {

// What take_litellm_controls does to the body, reduced to its effect on the members.
void take_controls(json::object& body, bool anthropic) {
  body.erase("tags");
  body.erase("fallbacks");
  if (auto* md = body.if_contains("metadata")) {
    const auto* user_id = md->is_object() ? md->get_object().if_contains("user_id") : nullptr;
    if (anthropic && user_id && user_id->is_string()) {
      json::object kept{{"user_id", *user_id}};
      *md = std::move(kept);
    } else {
      body.erase("metadata");
    }
  }
}

// Request shaping edits, as encode_chat's steps make them (top-level, plus the nested
// additionalModelRequestFields edit of forwarded headers).
void shape(json::object& body, std::uint8_t flags) {
  if (flags & 1) body["model"] = "deployment-model";
  if (flags & 2) body["stream"] = true;
  else body.erase("stream");
  if (flags & 4) body["stream_options"] = {{"include_usage", true}};
  else if (!(flags & 2)) body.erase("stream_options");
  if ((flags & 8) && !body.contains("temperature")) body["temperature"] = 0.25;
  if (flags & 16) body.erase("thinking");
  if (flags & 32) {
    auto& fields = body["additionalModelRequestFields"];
    if (!fields.is_object()) fields = json::object{};
    fields.get_object()["anthropic_beta"] = json::array{"x"};
  }
  if (flags & 64) body.erase("model");
}

// The same JSON value, numbers compared as their parses can differ: Boost.JSON 1.81 parses
// long decimals imprecisely (a few ulps), so the client's own spelling of a number (kept by the
// splice) and the DOM's shortest spelling of its parse (sent by the DOM path) may come back a few
// ulps apart. Integers must match exactly.
bool same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) {
      const double x = a.to_number<double>(), y = b.to_number<double>();
      // Boost.JSON 1.81 reads some finite spellings as non-finite (0e499): the DOM path then sends
      // its mangled value, the splice the client's number; nothing to compare.
      if (!std::isfinite(x) || !std::isfinite(y)) return true;
      return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
    }
    return a == b;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const auto* other = y.if_contains(kv.key());
      if (!other || !same(kv.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  }
  return a == b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)providers::scan_top_level(raw);  // any bytes: no crash, no overread
  boost::system::error_code ec;
  auto parsed_value = json::parse(raw, ec);
  if (ec || !parsed_value.is_object()) return 0;
  auto& parsed = parsed_value.get_object();
  take_controls(parsed, flags & 128);

  json::object dom = parsed;
  shape(dom, flags);
  json::monotonic_resource arena;
  auto probe = providers::make_probe(parsed, &arena);
  shape(probe, flags);
  // The probe written with the client's arrays (small bodies) is the DOM path's bytes exactly.
  if (const auto written = providers::write_shaped_probe(parsed, probe, 0); !written || *written != json::serialize(dom))
    __builtin_trap();
  const auto spliced = providers::splice_shaped_body(raw, parsed, probe);
  if (!spliced) return 0;
  // An infinite number (1e999) is written from a DOM as 1e99999, which Boost.JSON itself refuses
  // to read back. The DOM path sends it so; the splice too when it writes that member from the
  // DOM (a nested edit beside it): then neither reads back and there is nothing to compare. A
  // splice that does not read back where the DOM path's output does is a bug.
  boost::system::error_code dom_ec;
  const auto dom_sent = json::parse(json::serialize(dom), dom_ec);
  const auto reparsed = json::parse(*spliced, ec);
  if (ec && dom_ec) return 0;
  if (ec) __builtin_trap();
  if (dom_ec) return 0;  // the splice kept the client's spelling of the number
  if (!same(reparsed, dom_sent)) __builtin_trap();
  return 0;
}
