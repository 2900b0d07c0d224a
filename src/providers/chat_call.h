// One call of one deployment: encode the client's request for the provider (translating when
// the wire formats differ), send it through this thread's client pool, and decode the answer or
// turn the failure into an UpstreamError for the classifier. The router calls this; it never
// sees provider JSON itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/chat.h"
#include "errors/upstream_error.h"
#include "http/client.h"
#include "providers/provider.h"

namespace switchyard::providers {

// A deployment ready to call: its adapter and parsed api_base, prepared once per config load.
struct Endpoint {
  const config::Deployment* deployment = nullptr;
  const ProviderAdapter* adapter = nullptr;  // null: provider not supported yet
  http::Url base;
};

Endpoint make_endpoint(const config::Deployment& deployment);

struct CallResult {
  std::optional<core::ChatResponse> response;  // set on success
  errors::UpstreamError error;                 // otherwise
};

http::UpstreamRequest encode_chat(const Endpoint& endpoint, const core::ChatRequest& request);
CallResult decode_chat(const Endpoint& endpoint, http::UpstreamResponse&& response);

http::Awaitable<CallResult> call_deployment(const Endpoint& endpoint, const core::ChatRequest& request,
                                            std::chrono::milliseconds timeout);

}  // namespace switchyard::providers
