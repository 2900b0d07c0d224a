// The request and response values that travel between layers. A body is kept as the JSON object
// of its wire format (OpenAI or Anthropic): same-format calls forward it untouched (lossless and
// cheap), cross-format calls translate it once in providers/translate.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::core {

enum class WireFormat { openai, anthropic };

std::string_view to_string(WireFormat f);

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cached_tokens = 0;
};

// LiteLLM's routing controls a client may put in the request body (taken out of it before the call:
// they are never sent upstream). See api/litellm_controls.h.
struct RoutingControls {
  std::optional<std::vector<std::string>> fallbacks;  // replaces the configured fallbacks of the group
  bool disable_fallbacks = false;
  std::optional<int> num_retries;
  bool mock_testing_fallbacks = false;  // the first group fails on purpose, to exercise fallbacks
  std::vector<std::string> tags;        // tag routing (body `tags` or `metadata.tags`)
  std::vector<std::string> header_lines;  // "Name: value" of the request's headers, for tag_regex
};

struct ChatRequest {
  WireFormat format = WireFormat::openai;  // the client's wire format
  std::string model;                       // the model group the client asked for
  bool stream = false;
  boost::json::object body;                // as the client sent it, less the routing controls
  std::string request_id;
  RoutingControls controls;
};

struct ChatResponse {
  WireFormat format = WireFormat::openai;  // the wire format `body` is in
  boost::json::object body;
  Usage usage;
};

}  // namespace switchyard::core
