// The request and response values that travel between layers. A body is kept as the JSON object
// of its wire format (OpenAI or Anthropic): same-format calls forward it untouched (lossless and
// cheap), cross-format calls translate it once in providers/translate.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace switchyard::core {

// `responses` is only ever a client format (OpenAI's Responses API); upstreams speak the others.
enum class WireFormat { openai, anthropic, responses };

std::string_view to_string(WireFormat f);

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cached_tokens = 0;
};

// What the client asked for: a chat answer (any format above) or embeddings (OpenAI's shape).
enum class Operation { chat, embeddings };

struct ChatRequest {
  WireFormat format = WireFormat::openai;  // the client's wire format
  Operation operation = Operation::chat;
  std::string model;                       // the model group the client asked for
  bool stream = false;
  boost::json::object body;                // as the client sent it
  std::string request_id;
  // Responses API clients: the id and creation time (unix seconds) their answer carries.
  std::string response_id;
  std::int64_t created_at = 0;
};

struct ChatResponse {
  WireFormat format = WireFormat::openai;  // the wire format `body` is in
  boost::json::object body;
  Usage usage;
};

}  // namespace switchyard::core
