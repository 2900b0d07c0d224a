// One call of one deployment: encode the client's request for the provider (translating when
// the wire formats differ), send it through this thread's client pool, and decode the answer or
// turn the failure into an UpstreamError for the classifier. The router calls this; it never
// sees provider JSON itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/chat.h"
#include "errors/classifier.h"
#include "errors/upstream_error.h"
#include "http/client.h"
#include "providers/provider.h"
#include "providers/stream_translate.h"

namespace switchyard::providers {

// The rest of a streamed answer after its first content token, in the client's wire format.
// Destroying it early closes the upstream connection (the client went away: cancel upstream).
class ChatStream {
 public:
  // `decoder` turns the upstream body into events in the adapter's wire format (a native
  // dialect's stream decoder; null: the upstream speaks SSE in that format, parsed here);
  // `translator` turns those into the client's.
  ChatStream(std::unique_ptr<http::UpstreamStream> upstream, std::unique_ptr<NativeStreamDecoder> decoder,
             std::unique_ptr<StreamTranslator> translator, core::Provider provider);
  ~ChatStream();

  struct Piece {
    std::string_view bytes;  // client-format SSE text, possibly empty; valid until the next next()
    bool content = false;    // it carried a content token
  };
  // The next piece; after the last one finished() or failure() is set.
  http::Awaitable<Piece> next();
  // After the first content token: only the silence bound (stream_timeout) limits the rest, so a
  // healthy stream may outlast the deployment's `timeout`.
  void lift_deadline() { upstream_->lift_deadline(); }
  // Once finished: read the rest of the upstream body so its connection returns to the pool.
  http::Awaitable<void> drain();
  bool finished() const { return finished_; }
  const std::optional<errors::UpstreamError>& failure() const { return failure_; }
  const core::Usage& usage() const;
  // The event that ends the client's stream after a failure, in its format (Responses: with the
  // stream's next sequence_number).
  std::string failure_event(core::WireFormat client, errors::ErrorClass cls, std::string_view message) {
    return translator_->failure_event(client, cls, message);
  }
  // Responses clients: the complete Response once finished (to store it), else null.
  const boost::json::object* final_response() const { return translator_->final_response(); }

 private:
  std::unique_ptr<http::UpstreamStream> upstream_;
  std::unique_ptr<NativeStreamDecoder> decoder_;  // null: sse_ parses the upstream body
  http::SseParser sse_;
  std::unique_ptr<StreamTranslator> translator_;
  TranslatedChunk out_;  // what next() hands out; its buffer is reused from piece to piece
  core::Provider provider_;
  const http::SseEvent* next_event();
  std::optional<http::SseEvent> decoded_;     // the decoder's last event (next_event points here)
  std::optional<std::string> decoder_error_;  // sse_'s framing failure (a decoder has its own)
  bool body_ended_ = false;  // the upstream body is complete; only queued events are left
  bool content_seen_ = false;  // a piece with the first content token was handed out
  bool finished_ = false;
  std::optional<errors::UpstreamError> failure_;
};

struct StreamStart {
  std::string prelude;                // everything up to and including the first content token
  std::unique_ptr<ChatStream> rest;  // the remainder (already finished when the answer was short)
};

struct CallResult {
  std::optional<core::ChatResponse> response;  // set on a non-streaming success
  std::optional<StreamStart> stream;           // set on a streaming success
  errors::UpstreamError error;                 // otherwise
  // Refused before any call (parameters the deployment cannot honour): already classified.
  std::optional<errors::Classification> refusal;
  std::vector<std::string> dropped_params;  // removed under drop_params (on success)

  bool ok() const { return response.has_value() || stream.has_value(); }
  static CallResult failed(errors::UpstreamError e) {
    CallResult r;
    r.error = std::move(e);
    return r;
  }
};

// The smallest same-format client body sent as its own bytes with the gateway's edits spliced in
// (providers/body_splice.h). Below it the body is written from the shaped probe and the client's
// DOM (write_shaped_probe), the cheaper of the two there. Callgrind, whole request, the two paths
// (bench/requests.py, BENCH_REQUEST_TURNS 0-4): 116-byte body 55.6k written / 57.1k spliced,
// 283 bytes 60.4k / 61.3k, 433 bytes 68.3k / 68.2k (the crossover), 580 bytes 75.8k / 75.0k,
// 730 bytes 82.3k / 80.5k; against a shaped DOM copy the splice saves ~44k at ~3.4 KB.
inline constexpr std::size_t kSpliceMinBytes = 432;

// How encode_chat may write a same-format body. Production uses the defaults; tests pin one path
// and compare it with the DOM copy (`probe = false`: shape and serialise a copy of the body).
struct BodyPaths {
  std::size_t splice_min_bytes = kSpliceMinBytes;  // 0: splice every body with bytes at hand
  bool probe = true;
};

// `credential`: the endpoint's current credential (auth::CredentialSource), null when it has none.
http::UpstreamRequest encode_chat(const Endpoint& endpoint, const core::ChatRequest& request,
                                  const auth::Credential* credential = nullptr, const BodyPaths& paths = {});
// The answer as a DOM: an answer forwarded as its wire bytes (same format, see answer_scan.h) is
// parsed on first use, for translation and the Responses API.
const boost::json::object& answer_object(core::ChatResponse& answer);
// Replaces the answer's DOM (keeping `body`'s own memory resource) and forgets its wire bytes.
void replace_answer_object(core::ChatResponse& answer, boost::json::object body);
CallResult decode_chat(const Endpoint& endpoint, http::UpstreamResponse&& response);

// Streaming requests are answered with `stream` once the first content token arrived; a failure
// before that (error status, error event, dropped connection) is an `error` the router can fall
// back from without the client noticing.
// Timeouts (LiteLLM's names): `timeout` bounds a whole non-streaming answer, and a stream up to
// its first content token; the deployment's `stream_timeout` (else router_settings', else
// `timeout`) bounds every silence of a stream: before its headers and between two chunks.
http::Awaitable<CallResult> call_deployment(const Endpoint& endpoint, const core::ChatRequest& request,
                                            std::chrono::milliseconds timeout);

}  // namespace switchyard::providers
