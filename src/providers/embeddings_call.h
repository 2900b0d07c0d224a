// One embeddings call of one deployment (the I/O half of embeddings_codec.h): the provider's own
// embeddings endpoint, found from the adapter's chat path (OpenAI-format …/embeddings, Gemini
// :batchEmbedContents, Vertex :predict, Bedrock /invoke), with the adapter's auth and signing.
// Failures are UpstreamErrors like chat ones, so classification, retries, cooldowns and
// fallbacks are the router's as usual. Anthropic-format deployments have no embeddings API: 400.
#pragma once

#include <chrono>

#include "core/chat.h"
#include "providers/chat_call.h"

namespace switchyard::providers {

http::Awaitable<CallResult> call_embeddings(const Endpoint& endpoint, const core::ChatRequest& request,
                                            const auth::Credential* credential, std::chrono::milliseconds timeout);

}  // namespace switchyard::providers
