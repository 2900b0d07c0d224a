// Which cloud API a mock request path belongs to, and the model it names: Vertex AI (Claude
// rawPredict/streamRawPredict, Gemini generateContent/streamGenerateContent), the Gemini API
// (generativelanguage) and Bedrock Converse. The model comes from the URL, never the body.
// Also the small request helpers both the cloud and the classic paths use. No I/O here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"
#include "http/types.h"
#include "mock/call_stats.h"
#include "mock/fault_bodies.h"

namespace switchyard::mock {

enum class CloudApi { vertex_anthropic, vertex_gemini, gemini, bedrock };

struct CloudRoute {
  CloudApi api = CloudApi::gemini;
  std::string model;    // percent-decoded (Bedrock ids arrive as ...-v1%3A0)
  bool stream = false;  // streamRawPredict, streamGenerateContent, converse-stream
  WireFormat errors = WireFormat::gemini;  // the shape its errors and faults take
  bool count_tokens = false;  // Vertex count-tokens:rawPredict, Bedrock /model/{id}/count-tokens
};

// nullopt when the path is none of:
//   …/publishers/anthropic/models/{model}:rawPredict | :streamRawPredict
//   …/publishers/google/models/{model}:generateContent | :streamGenerateContent
//   …/models/{model}:generateContent | :streamGenerateContent       (Gemini API, /v1beta/…)
//   …/model/{modelId}/converse | /converse-stream                  (Bedrock runtime)
//   …/publishers/anthropic/models/count-tokens:rawPredict, …/model/{modelId}/count-tokens
std::optional<CloudRoute> cloud_route(std::string_view path);

// The Google OAuth token endpoint: any path ending in /token.
bool is_token_path(std::string_view path);

using core::percent_decode;  // %XX in model names and query values
// The first value of `name` in the target's query string, percent-decoded; nullopt when absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);
HeaderList lower_cased_headers(const http::Request& request);

}  // namespace switchyard::mock
