// Any bytes through the Responses API and embeddings codecs: as a Responses request (→ chat), as a
// chat answer (→ Response), as an upstream stream (chat chunks, Anthropic events or a Responses
// passthrough, split at arbitrary points) through the Responses stream translators, and as an
// embeddings request/answer in every dialect: no crash, no unbounded growth.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/sse.h"
#include "providers/embeddings_codec.h"
#include "providers/responses_codec.h"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  constexpr core::WireFormat kUpstreams[] = {core::WireFormat::openai, core::WireFormat::anthropic,
                                             core::WireFormat::responses};
  const auto upstream = kUpstreams[data[0] % 3];
  const std::size_t step = 1 + data[1] % 64;
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);

  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  const boost::json::object empty;
  const auto& request = !ec && v.is_object() ? v.get_object() : empty;
  providers::ResponsesEcho echo{&request, "resp_fuzz", "group", 0};

  http::SseParser parser(1 << 16);
  auto translator = providers::make_responses_stream_translator(upstream, echo);
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
  (void)translator->failure_event(core::WireFormat::responses, errors::ErrorClass::server_error, "fuzz");
  (void)translator->final_response();

  if (!ec && v.is_object()) {
    (void)providers::responses_request_to_chat(request);
    (void)providers::offered_tools_not_carried(request);
    (void)providers::chat_response_to_responses(request, echo);
    (void)providers::conversation_items(request, request);
    for (const auto dialect : {providers::EmbeddingsDialect::openai, providers::EmbeddingsDialect::gemini,
                               providers::EmbeddingsDialect::vertex, providers::EmbeddingsDialect::bedrock_titan,
                               providers::EmbeddingsDialect::bedrock_cohere}) {
      (void)providers::embeddings_requests(dialect, request, "model");
      providers::Embeddings out;
      if (providers::read_embeddings(dialect, request, out) && out.vectors.size() < 1024)
        (void)providers::openai_embeddings_answer(out, "model", data[0] & 4);
    }
  }
  return 0;
}
