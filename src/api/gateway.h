// The HTTP surface of DESIGN.md: /v1/chat/completions (OpenAI), /v1/messages (Anthropic),
// /v1/models, /health/liveliness, /health/readiness, optional master_key auth, and the
// x-switchyard-* headers. Decodes the client's body into a ChatRequest, asks the router, and
// answers in the client's wire format. Holds no routing logic.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <variant>

#include "http/responder.h"
#include "http/types.h"
#include "router/router.h"

namespace switchyard::api {

class Gateway {
 public:
  explicit Gateway(std::shared_ptr<const router::Router> router);

  http::Awaitable<void> handle(http::Request& request, http::Responder& responder) const;

  // A new config takes effect for requests that start after the swap (live reload).
  void swap_router(std::shared_ptr<const router::Router> router) { router_.store(std::move(router)); }
  std::shared_ptr<const router::Router> router() const { return router_.load(); }

 private:
  std::optional<http::Response> answer_directly(const http::Request& request, const router::Router& router) const;
  std::variant<core::ChatRequest, http::Response> decode_chat(core::WireFormat format, const http::Request& request,
                                                               const router::Router& router) const;
  http::Awaitable<void> chat(core::WireFormat format, http::Request& request, http::Responder& responder,
                             const router::Router& router) const;
  http::Awaitable<void> pump_stream(core::WireFormat format, const http::Request& req, http::Responder& responder,
                                    const router::Router& router, router::RouteOutcome& outcome,
                                    const std::string& request_id) const;

  std::atomic<std::shared_ptr<const router::Router>> router_;
};

}  // namespace switchyard::api
