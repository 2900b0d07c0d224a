// The mock's embeddings APIs, in each provider's real shape: OpenAI-format `…/embeddings` (OpenAI,
// Azure deployments, Databricks serving endpoints, compatible servers; float or base64), Gemini
// `…/models/{m}:batchEmbedContents`, Vertex AI `…/publishers/google/models/{m}:predict`, and
// Bedrock InvokeModel `/model/{id}/invoke` with Titan's or Cohere's body. Vectors are
// deterministic (a hash of the text), `dimensions` long (default kDefaultEmbeddingDimensions),
// so tests can compare them. No I/O here; mock_server.cpp authenticates and applies faults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/cloud_routes.h"
#include "mock/fault_bodies.h"

namespace switchyard::mock {

inline constexpr std::int64_t kDefaultEmbeddingDimensions = 8;

enum class EmbeddingApi { openai, gemini, vertex, bedrock };

struct EmbeddingRoute {
  EmbeddingApi api = EmbeddingApi::openai;
  std::string url_model;               // clouds name the model in the URL
  std::optional<CloudRoute> auth;      // the cloud's credential check (none for OpenAI format)
  WireFormat errors = WireFormat::openai;
};

std::optional<EmbeddingRoute> embedding_route(std::string_view path);

struct EmbeddingCall {
  std::string model;
  std::vector<std::string> texts;
  std::int64_t dimensions = kDefaultEmbeddingDimensions;
  bool base64 = false;
  bool cohere = false;  // Bedrock: Cohere's body ({texts}) rather than Titan's ({inputText})
};

std::optional<EmbeddingCall> parse_embedding_call(const EmbeddingRoute& route, std::string_view body, std::string& error);

// The vector the mock gives `text` (values in [-1, 1]).
std::vector<float> mock_embedding(std::string_view text, std::int64_t dimensions);

std::string embedding_answer(const EmbeddingRoute& route, const EmbeddingCall& call);

}  // namespace switchyard::mock
