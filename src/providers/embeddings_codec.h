// POST /v1/embeddings ⇄ each provider's embeddings API. OpenAI, Azure, Databricks and
// OpenAI-compatible servers take the OpenAI body as is (their /embeddings endpoint); Gemini
// (batchEmbedContents), Vertex AI (predict) and Bedrock (InvokeModel with Titan's or Cohere's
// body) get their own bodies, and their answers are brought back to OpenAI's list shape, with
// `encoding_format: base64` (little-endian float32, as OpenAI encodes) and `dimensions` carried
// where the provider has them, refused by name where not. Pure code: no I/O.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/provider.h"

namespace switchyard::providers {

enum class EmbeddingsDialect { openai, gemini, vertex, bedrock_titan, bedrock_cohere };

EmbeddingsDialect embeddings_dialect(core::Provider provider, std::string_view model);

struct EmbeddingsRefusal {
  std::string message;
};

// The upstream bodies for an OpenAI embeddings body: one for most dialects; Titan embeds one
// text per call, so one body per input. `model` is the upstream model name.
std::variant<std::vector<boost::json::object>, EmbeddingsRefusal> embeddings_requests(
    EmbeddingsDialect dialect, const boost::json::object& openai, std::string_view model);

struct Embeddings {
  std::vector<std::vector<double>> vectors;
  std::int64_t prompt_tokens = 0;
};

// The vectors of one native answer (appended to `out`); false when the body is not an answer.
bool read_embeddings(EmbeddingsDialect dialect, const boost::json::object& answer, Embeddings& out);

// OpenAI's answer: {"object":"list","data":[{"object":"embedding","index":i,"embedding":…}],
// "model":…,"usage":{"prompt_tokens":n,"total_tokens":n}}; base64 when asked.
boost::json::object openai_embeddings_answer(const Embeddings& embeddings, std::string_view model, bool base64);

// An OpenAI answer has a `data` array.
bool looks_like_embeddings(const boost::json::object& answer);

}  // namespace switchyard::providers
