// The request and response values that travel between layers. A body is kept as the JSON object
// of its wire format (OpenAI or Anthropic): same-format calls forward it untouched (lossless and
// cheap), cross-format calls translate it once in providers/translate.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::core {

// `responses` is only ever a client format (OpenAI's Responses API); upstreams speak the others.
enum class WireFormat { openai, anthropic, responses };

std::string_view to_string(WireFormat f);

struct Usage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t cached_tokens = 0;          // read from the prompt cache (part of input_tokens)
  std::int64_t cache_creation_tokens = 0;  // written to the prompt cache (part of input_tokens)
};

// What the client asked for: a chat answer (any format above), (Anthropic's
// /v1/messages/count_tokens) the number of input tokens of that request, or embeddings.
enum class Operation { chat, count_tokens, embeddings };

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
  Operation operation = Operation::chat;
  boost::json::object body;                // as the client sent it, less the routing controls
  // The bytes `body` was parsed from (owned by the HTTP request, which outlives every call), so
  // a same-format deployment gets them spliced instead of a re-serialised DOM
  // (providers/body_splice.h). `body` may differ from them only by the routing controls taken
  // out (top-level members, `metadata`); whoever changes `body` otherwise must clear this.
  std::string_view raw_body;
  std::string request_id;
  // Responses API clients: the id and creation time (unix seconds) their answer carries.
  std::string response_id;
  std::int64_t created_at = 0;
  // The stored response's owner: a fingerprint of the client's key (api/response_owner.h).
  std::string response_owner;
  // LiteLLM's drop_params (body, or litellm_settings): parameters a deployment cannot honour are
  // dropped instead of refusing the attempt.
  bool drop_params = false;
  // Client headers meant for the provider (anthropic-beta, anthropic-version, and the
  // forward_client_headers_to_llm_api allow-list), lower-case names.
  std::vector<std::pair<std::string, std::string>> forward_headers;
  RoutingControls controls;
};

struct ChatResponse {
  WireFormat format = WireFormat::openai;  // the wire format `body` is in
  boost::json::object body;
  Usage usage;
  bool estimated = false;  // count_tokens answered by Switchyard's estimate, not the provider
  // The upstream's own bytes when `body` is exactly their parse (no dialect, nothing reshaped):
  // a client of the same format gets them as they are, without re-serialising the DOM. Whoever
  // changes `body` clears it.
  std::string wire;
};

}  // namespace switchyard::core
