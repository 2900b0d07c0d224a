// Any bytes as an upstream event stream, split at arbitrary points, through the SSE parser and
// every stream translator (same format and both cross-format directions), and as a request and
// response body through the non-streaming translators: no crash, no unbounded growth.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/sse.h"
#include "providers/stream_translate.h"
#include "providers/translate.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto upstream = (data[0] & 1) ? core::WireFormat::anthropic : core::WireFormat::openai;
  const auto client = (data[0] & 2) ? core::WireFormat::anthropic : core::WireFormat::openai;
  const std::size_t step = 1 + data[1] % 64;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  http::SseParser parser(1 << 16);
  auto translator = providers::make_stream_translator(upstream, client, data[0] & 4);
  for (std::size_t pos = 0; pos < body.size(); pos += step) {
    parser.feed(body.substr(pos, step));
    while (auto event = parser.next()) {
      providers::TranslatedChunk out;
      translator->on_event(*event, out);
    }
    if (parser.overflowed()) break;
  }
  providers::TranslatedChunk end;
  translator->on_end(end);

  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    const auto& o = v.get_object();
    (void)providers::openai_request_to_anthropic(o);
    (void)providers::anthropic_request_to_openai(o);
    (void)providers::openai_response_to_anthropic(o);
    (void)providers::anthropic_response_to_openai(o);
  }
  return 0;
}
