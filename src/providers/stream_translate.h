// Streaming translation: upstream server-sent events (in the upstream's wire format) in, SSE bytes
// in the client's wire format out, one event at a time, so chunks are forwarded as they arrive.
// Same format: events pass through unchanged. Anthropic ⇄ OpenAI: a small state machine per
// direction (text, tool calls, stop/finish reasons, usage). Also tells the caller when the first
// content token goes by (before it, a failure can still fall back invisibly) and when an event
// is an error.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/chat.h"
#include "errors/error_class.h"
#include "http/sse.h"

namespace switchyard::providers {

struct TranslatedChunk {
  std::string bytes;                      // client-format SSE text to forward (may be empty)
  // Carried a content token (text or tool call). Only the first is sure to be reported (it ends
  // the held-back prelude); a same-format pass-through stops looking after it.
  bool content = false;
  bool done = false;                      // the stream is complete
  std::optional<std::string> error_body;  // the upstream sent an error event (its JSON)
};

// The event that ends a stream which failed after content reached the client.
std::string stream_error_event(core::WireFormat client, errors::ErrorClass cls, std::string_view message);

class StreamTranslator {
 public:
  virtual ~StreamTranslator() = default;
  // Appends the event's client-format bytes to out.bytes (the caller may reuse one buffer).
  virtual void on_event(const http::SseEvent& event, TranslatedChunk& out) = 0;
  // The upstream body ended. Returns false when it ended before the stream was complete.
  virtual bool on_end(TranslatedChunk& out) = 0;
  const core::Usage& usage() const { return usage_; }
  // The event that ends this stream when it failed after content reached the client.
  virtual std::string failure_event(core::WireFormat client, errors::ErrorClass cls, std::string_view message) {
    return stream_error_event(client, cls, message);
  }
  // Responses clients: the complete Response object once the stream finished (it is stored).
  virtual const boost::json::object* final_response() const { return nullptr; }

 protected:
  core::Usage usage_;
};

// `content_parts`: the upstream may stream delta.content as a list of parts (Databricks' Claude
// reasoning), reshaped for OpenAI clients too; other same-format streams pass without that check.
std::unique_ptr<StreamTranslator> make_stream_translator(core::WireFormat upstream, core::WireFormat client,
                                                         bool include_usage, bool content_parts = false);

}  // namespace switchyard::providers
