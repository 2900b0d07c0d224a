// Any bytes as a Gemini SSE stream or a Bedrock binary event stream, split at arbitrary points,
// through the native stream decoders and on through the OpenAI → client stream translator; and
// as JSON through the native request/response converters: no crash, no unbounded growth.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "providers/native_dialect.h"
#include "providers/stream_translate.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto& dialect = (data[0] & 1) ? providers::bedrock_dialect() : providers::gemini_dialect();
  const auto client = (data[0] & 2) ? core::WireFormat::anthropic : core::WireFormat::openai;
  const bool include_usage = data[0] & 4;
  const std::size_t step = 1 + data[1] % 64;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  auto decoder = dialect.stream_decoder("fuzz-model", include_usage);
  auto translator = providers::make_stream_translator(core::WireFormat::openai, client, include_usage);
  const auto drain = [&] {
    while (auto event = decoder->next()) {
      providers::TranslatedChunk out;
      translator->on_event(*event, out);
    }
  };
  for (std::size_t pos = 0; pos < body.size() && !decoder->error(); pos += step) {
    decoder->feed(body.substr(pos, step));
    drain();
  }
  decoder->end_of_body();
  drain();
  providers::TranslatedChunk end;
  translator->on_end(end);

  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (!ec && v.is_object()) {
    (void)dialect.request_from_openai(v.get_object());
    (void)dialect.response_to_openai(v.get_object(), "fuzz-model");
  }
  return 0;
}
