// The HTTP surface of DESIGN.md: /v1/chat/completions (OpenAI), /v1/messages (Anthropic),
// /v1/responses (OpenAI Responses API, api/responses_api.h), /v1/models, /health/liveliness,
// /health/readiness, /metrics, the /admin/* endpoints, optional
// master_key auth, and the x-switchyard-* headers. Decodes the client's body into a ChatRequest,
// asks the router, and answers in the client's wire format; every chat request ends in one log
// line and its metrics. Holds no routing logic.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <variant>

#include <boost/asio/thread_pool.hpp>

#include "api/operations.h"
#include "api/redact.h"
#include "api/request_summary.h"
#include "http/responder.h"
#include "http/types.h"
#include "router/router.h"

namespace switchyard::api {

class ResponseStore;

class Gateway {
 public:
  explicit Gateway(std::shared_ptr<const router::Router> router, Operations operations = {});
  ~Gateway();

  http::Awaitable<void> handle(http::Request& request, http::Responder& responder) const;
  // Decided from the headers before a body is read (http::HeadCheck): the 401 of a client
  // without a valid key, so it never makes the gateway read or hold its body.
  std::optional<http::Response> screen(const http::RequestHead& head) const;

  // A new config takes effect for requests that start after the swap (live reload).
  void swap_router(std::shared_ptr<const router::Router> router);
  std::shared_ptr<const router::Router> router() const { return generation_.load()->router; }

 private:
  std::optional<http::Response> answer_directly(const http::Request& request, const router::Router& router) const;
  std::variant<core::ChatRequest, http::Response> decode_chat(core::WireFormat format, const http::Request& request,
                                                               const router::Router& router) const;
  http::Awaitable<void> chat(core::WireFormat format, http::Request& request, http::Responder& responder,
                             const router::Router& router, RequestSummary& summary, const Redactor& redact) const;
  // /metrics and /admin/* (the caller checked the path).
  http::Awaitable<void> operate(http::Request& request, http::Responder& responder, const router::Router& router) const;
  void observe(const RequestSummary& summary, const Redactor& redact) const;
  http::Awaitable<void> pump_stream(core::WireFormat format, const http::Request& req, const core::ChatRequest& request,
                                    http::Responder& responder,
                                    const router::Router& router, router::RouteOutcome& outcome,
                                    RequestSummary& summary, const Redactor& redact) const;

  // A config generation: its router and what is derived from the same config.
  struct Generation {
    std::shared_ptr<const router::Router> router;
    Redactor redact;
  };
  Operations ops_;
  std::atomic<std::shared_ptr<const Generation>> generation_;
  // Reloads read files: they run here, never on an I/O thread.
  std::unique_ptr<boost::asio::thread_pool> admin_pool_;
  // Responses kept for previous_response_id and GET /v1/responses/{id}; outlives reloads.
  std::shared_ptr<ResponseStore> responses_;
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
  mutable std::atomic<std::size_t> chat_in_flight_{0};  // for Operations::max_in_flight_requests
};

}  // namespace switchyard::api
