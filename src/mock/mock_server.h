// `switchyard mock`: a fake upstream that speaks Anthropic Messages and OpenAI chat completions,
// and the cloud providers' endpoints (cloud_routes.h: Vertex AI Claude and Gemini, the Gemini
// API, Bedrock Converse, the Google OAuth token endpoint) checking credentials as they do
// (cloud_auth.h), and answers each call as its model's Behaviour says (reply, tool call, real provider error body,
// reset, hang, garbage, a stream failing before or after its first content), plus a small admin
// API for tests:
//   GET  /health                  200 {"status":"ok"}
//   GET  /mock/stats              {"total":N,"aborted_streams":N,"models":{"<model>":{"calls",
//                                  "calls_by_path","last_path","last_headers" (lower-cased names),
//                                  "last_body" (what the caller sent, as JSON)}}}
//                                 aborted_streams: streams cut short by the client closing
//                                 token_grants, auth_failures: see call_stats.h
//   POST /mock/reset              zero the stats and restart every script
//   PUT  /mock/models/<name>      set a model's behaviour at runtime; <name> is "<model>" or
//                                 "<path-prefix>|<model>" (percent-encoded as needed); the body is
//                                 a Behaviour as JSON: {"fault":"connection_reset"},
//                                 {"script":["rate_limit","ok"],"retry_after":2}, {"reply":"x","latency_ms":5},
//                                 {"tool_call":{"name":"get_weather","arguments":{"city":"Paris"}}},
//                                 {"fault":"stream_error_after_content"}
// It is also the upstream of the end-to-end benchmarks, so the `ok` path takes no exclusive lock.
// Never linked into the serving path.
#pragma once

#include <atomic>
#include <memory>

#include <optional>

#include "mock/behaviour_table.h"
#include "mock/call_stats.h"
#include "mock/cloud_auth.h"
#include "mock/cloud_routes.h"
#include "mock/embeddings_wire.h"
#include "mock/fault_bodies.h"
#include "mock/listener.h"
#include "mock/mock_config.h"
#include "mock/wire.h"

namespace switchyard::mock {

class MockServer {
 public:
  MockServer(const MockConfig& config, ListenerOptions options);

  void start();  // throws std::system_error when the address is taken
  void wait();
  void stop();
  std::uint16_t port() const { return listener_.port(); }

 private:
  http::Awaitable<Disposition> handle(http::Request& request, http::Responder& responder);
  http::Response admin(http::Request& request, std::string_view path);
  http::Awaitable<Disposition> answer_call(http::Request& request, http::Responder& responder, WireFormat format,
                                           std::string_view path);
  // Embeddings in every provider's shape (embeddings_wire.h), with faults.
  http::Awaitable<Disposition> answer_embeddings(http::Request& request, http::Responder& responder,
                                                 EmbeddingRoute route, std::string_view path);
  // count_tokens on Anthropic, Vertex (count-tokens:rawPredict) and Bedrock (/count-tokens).
  http::Response count_tokens(http::Request& request, WireFormat format, std::string_view model, std::string_view path);
  http::Awaitable<Disposition> answer_cloud(http::Request& request, http::Responder& responder, CloudRoute route,
                                            std::string_view path);
  // The refusal when the caller's token, key or signature does not check out.
  std::optional<http::Response> authenticate(const http::Request& request, const CloudRoute& route);
  http::Response token_grant(const http::Request& request);
  // Behaviour lookup, stats, latency, fault or reply: the same for every API. `errors` is the
  // shape faults and stream error events take (call.format is the shape of the replies).
  // Behaviour::replay: the given bytes, whole or as a stream (mock/replay.h).
  http::Awaitable<void> send_replay(http::Responder& responder, const Replay& replay, bool stream);
  http::Awaitable<Disposition> serve(http::Request& request, http::Responder& responder, const Call& call,
                                     WireFormat errors, std::string_view path);

  BehaviourTable table_;
  CloudAuth auth_;
  CallStats stats_;
  std::atomic<std::uint64_t> sequence_{0};
  Listener listener_;
};

}  // namespace switchyard::mock
