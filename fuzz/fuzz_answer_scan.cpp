// Differential: for any bytes, the one-pass answer scan (providers/answer_scan.h) must say what
// the DOM says: JSON object or not, answer or not (`choices`/`content` array, no `error`), and
// the same token usage as usage_of(). A disagreement would forward a non-answer as an answer, or
// bill the wrong tokens.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/answer_scan.h"
#include "providers/translate.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto format = (data[0] & 1) ? core::WireFormat::anthropic : core::WireFormat::openai;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto scanned = providers::scan_answer(format, body);
  boost::system::error_code ec;
  const auto dom = boost::json::parse(body, ec);
  if (ec || !dom.is_object()) {
    if (scanned) __builtin_trap();
    return 0;
  }
  if (!scanned) __builtin_trap();
  const auto& o = dom.get_object();
  const auto* answer = o.if_contains(format == core::WireFormat::anthropic ? "content" : "choices");
  const bool is_answer = answer && answer->is_array() && !o.contains("error");
  const auto usage = providers::usage_of(format, o);
  if (scanned->is_answer != is_answer || scanned->usage.input_tokens != usage.input_tokens ||
      scanned->usage.output_tokens != usage.output_tokens || scanned->usage.cached_tokens != usage.cached_tokens ||
      scanned->usage.cache_creation_tokens != usage.cache_creation_tokens)
    __builtin_trap();
  // A list `content` in a choice's message must be seen (it is reshaped before any client reads
  // it). The scan may also say so when a duplicate key hid the list from the DOM: that only
  // costs a DOM pass, the reshaping then finds nothing to do.
  bool dom_parts = false;
  if (format == core::WireFormat::openai && answer && answer->is_array())
    for (const auto& c : answer->get_array())
      if (const auto* m = c.is_object() ? c.get_object().if_contains("message") : nullptr; m && m->is_object())
        if (const auto* content = m->get_object().if_contains("content"); content && content->is_array()) dom_parts = true;
  if (dom_parts && !scanned->content_parts) __builtin_trap();
  return 0;
}
