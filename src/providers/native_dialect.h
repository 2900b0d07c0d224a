// Providers whose wire format is neither OpenAI nor Anthropic (Gemini's generateContent, Bedrock's
// Converse) are reached through OpenAI: the client's request is first brought to the OpenAI shape
// (translate.h, when the client spoke Anthropic), then into the native shape here; answers come
// back the same way, native → OpenAI → client. Streams likewise: the native stream (Gemini SSE,
// Bedrock's binary event stream) is decoded into OpenAI `chat.completion.chunk` events, which the
// ordinary OpenAI → client stream translator then forwards. One pivot keeps translators linear in
// the number of formats. Pure code: no I/O, fuzzable.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/sse.h"

namespace switchyard::providers {

// Upstream stream bytes in (as they arrive, split anywhere), OpenAI-format events out.
class NativeStreamDecoder {
 public:
  virtual ~NativeStreamDecoder() = default;
  virtual void feed(std::string_view bytes) = 0;
  // The next OpenAI-format event: data is a chat.completion.chunk JSON object, and the last one
  // is data "[DONE]" (emitted once the native stream said it is complete). nullopt: more bytes
  // are needed, or error() is set.
  virtual std::optional<http::SseEvent> next() = 0;
  // The upstream body ended; queue whatever is still owed (a final chunk, "[DONE]") when the
  // native stream was complete. A body that ends early simply never yields "[DONE]".
  virtual void end_of_body() = 0;
  // Set once the upstream reported an error inside the stream (Bedrock exception message, Gemini
  // error object) or the framing is broken (bad CRC, oversized frame): a JSON body in the
  // provider's own error shape, e.g. {"__type":"ThrottlingException","message":"…"} for Bedrock,
  // so the classifier's rule tables for that provider read it. Nothing follows an error.
  virtual const std::optional<std::string>& error() const = 0;
};

class NativeDialect {
 public:
  virtual ~NativeDialect() = default;
  // An OpenAI chat.completions request body → the native request body. `model` is the upstream
  // model name (Gemini and Bedrock put it in the URL, not the body).
  // `model` (the upstream model id) decides model-family fields (Bedrock: Claude's thinking and
  // top_k in additionalModelRequestFields).
  virtual boost::json::object request_from_openai(const boost::json::object& openai, std::string_view model = {}) const = 0;
  // A native 2xx answer → an OpenAI chat.completion object; nullopt when the body is not an
  // answer (then it is classified as a failure: e.g. Gemini's promptFeedback.blockReason).
  virtual std::optional<boost::json::object> response_to_openai(const boost::json::object& native,
                                                               std::string_view model) const = 0;
  // `include_usage`: emit the OpenAI usage chunk (choices: []) before "[DONE]".
  virtual std::unique_ptr<NativeStreamDecoder> stream_decoder(std::string_view model, bool include_usage) const = 0;
};

const NativeDialect& gemini_dialect();   // generateContent / streamGenerateContent?alt=sse
const NativeDialect& bedrock_dialect();  // Converse / ConverseStream (application/vnd.amazon.eventstream)

}  // namespace switchyard::providers
