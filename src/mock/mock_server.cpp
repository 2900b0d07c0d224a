#include "mock/mock_server.h"

#include "mock/features.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>

#include "mock/cloud_bedrock.h"
#include "mock/cloud_google.h"
#include "mock/features.h"
#include "mock/replay.h"
#include "mock/wire.h"

namespace switchyard::mock {
using http::Acceptor;
using http::kUseAwaitable;
using http::Socket;
using http::SteadyTimer;
using http::TcpStream;
namespace asio = boost::asio;
namespace json = boost::json;
namespace beast_http = http::beast_http;
using namespace boost::asio::experimental::awaitable_operators;  // ||: race two awaitables
namespace {

constexpr std::string_view kModelsPrefix = "/mock/models/";
constexpr std::string_view kJsonType = "application/json";

http::Response make_response(unsigned status, std::string_view content_type, std::string body) {
  http::Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

http::Response admin_error(beast_http::status status, std::string_view message) {
  return make_response(static_cast<unsigned>(status), kJsonType, json::serialize(json::object{{"error", message}}));
}

http::Awaitable<void> delay(std::chrono::milliseconds ms) {
  SteadyTimer timer(co_await asio::this_coro::executor);
  timer.expires_after(ms);
  co_await timer.async_wait(asio::as_tuple(kUseAwaitable));
}

std::int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::Response fault_response(Fault fault, WireFormat format, const Behaviour& behaviour) {
  if (fault == Fault::garbage) return make_response(200, kJsonType, std::string(kGarbageBody));
  const FaultBody* fb = fault_body(fault, format);
  auto res = make_response(static_cast<unsigned>(fb->status), fb->content_type, std::string(fb->body));
  if (!fb->extra_header.first.empty()) res.set(fb->extra_header.first, fb->extra_header.second);
  if (fault == Fault::rate_limit) res.set("retry-after", std::to_string(behaviour.retry_after_seconds));
  return res;
}

// The credential a call carried: Authorization's token without its scheme, or an API-key header.
std::string carried_credential(const http::Request& request) {
  if (const auto it = request.find(beast_http::field::authorization); it != request.end()) {
    std::string_view value = it->value();
    if (const auto space = value.find(' '); space != std::string_view::npos) value.remove_prefix(space + 1);
    return std::string(value);
  }
  for (const char* name : {"api-key", "x-api-key", "x-goog-api-key"})
    if (const auto it = request.find(name); it != request.end()) return std::string(it->value());
  return {};
}

// `echo_credential`: the error's message quotes the credential, as a provider that echoes what it
// was sent does ("Invalid token: <token>"); the body keeps its shape (first "message" string).
void echo_credential(http::Response& res, const http::Request& request) {
  auto& body = res.body();
  for (std::string_view key : {"\"message\": \"", "\"message\":\""})
    if (const auto at = body.find(key); at != std::string::npos) {
      body.insert(at + key.size(), "Invalid token: " + carried_credential(request) + ". ");
      res.prepare_payload();
      return;
    }
}

// What a stream fault leaves of a complete stream: the opening event(s) (before content) or the
// events up to the second content chunk (after content), then the provider's error event for the
// `stream_error_*` faults. `ok` keeps everything.
void cut_for_fault(Fault step, WireFormat format, std::vector<StreamEvent>& events) {
  if (!is_stream_fault(step)) return;
  const bool after = step == Fault::stream_error_after_content || step == Fault::stream_drop_after_content;
  constexpr int kContentChunksBeforeFailure = 2;
  std::size_t keep = 0;
  int content = 0;
  for (; keep < events.size() && content < kContentChunksBeforeFailure; ++keep) {
    if (!after && events[keep].kind != EventKind::opening) break;
    if (events[keep].kind == EventKind::content) ++content;
  }
  events.resize(keep);
  if (step == Fault::stream_error_before_content || step == Fault::stream_error_after_content)
    events.push_back({stream_error_event(format), EventKind::other});
}

// The tool's output as quoted in the reply: whitespace collapsed, at most a few hundred bytes.
std::string tool_output_excerpt(std::string_view output) {
  constexpr std::size_t kMaxExcerptBytes = 400;
  std::string out;
  for (const char c : output) {
    if (out.size() >= kMaxExcerptBytes) break;
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

http::Response invalid_request_response(WireFormat format, std::string_view message) {
  auto res = make_response(400, kJsonType, invalid_request_body(format, message));
  if (format == WireFormat::bedrock)
    res.set(kAmznErrorType, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
  return res;
}

std::string_view stream_content_type(WireFormat format) {
  if (format == WireFormat::bedrock) return kEventStreamContentType;
  return "text/event-stream";
}

}  // namespace

namespace {
ListenerOptions counting_closes(ListenerOptions options, CallStats& stats) {
  options.on_closed_after_answer = [&stats] { stats.record_closed_after_answer(); };
  return options;
}
}  // namespace

MockServer::MockServer(const MockConfig& config, ListenerOptions options)
    : table_(config),
      auth_(config.cloud),
      listener_(counting_closes(std::move(options), stats_),
                [this](http::Request& req, http::Responder& res) { return handle(req, res); }) {}

void MockServer::start() { listener_.start(); }
void MockServer::wait() { listener_.wait(); }
void MockServer::stop() { listener_.stop(); }

http::Awaitable<Disposition> MockServer::handle(http::Request& request, http::Responder& responder) {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  if (auto credential = auth_.issuer().answer(request, path)) {
    co_await responder.send(std::move(*credential));
    co_return Disposition::answered;
  }
  if (is_token_path(path) && request.method() == beast_http::verb::post) {
    co_await responder.send(token_grant(request));
    co_return Disposition::answered;
  }
  if (auto route = embedding_route(path)) co_return co_await answer_embeddings(request, responder, std::move(*route), path);
  if (path.ends_with("/v1/messages/count_tokens") && request.method() == beast_http::verb::post) {
    co_await responder.send(count_tokens(request, WireFormat::anthropic, "count_tokens", path));
    co_return Disposition::answered;
  }
  if (auto route = cloud_route(path)) co_return co_await answer_cloud(request, responder, std::move(*route), path);
  if (const auto format = format_for_path(path)) co_return co_await answer_call(request, responder, *format, path);
  co_await responder.send(admin(request, path));
  co_return Disposition::answered;
}

http::Response MockServer::admin(http::Request& request, std::string_view path) {
  const auto method = request.method();
  if (path == "/health" || path == "/health/liveliness") return make_response(200, kJsonType, R"({"status":"ok"})");
  if (path == "/mock/stats" && method == beast_http::verb::get)
    return make_response(200, kJsonType, json::serialize(stats_.to_json()));
  if (path == "/mock/reset" && method == beast_http::verb::post) {
    stats_.reset();
    table_.reset_scripts();
    return make_response(200, kJsonType, R"({"reset":true})");
  }
  if (path.starts_with(kModelsPrefix) && method == beast_http::verb::put) {
    auto [prefix, model] = split_model_key(percent_decode(path.substr(kModelsPrefix.size())));
    if (model.empty()) return admin_error(beast_http::status::bad_request, "no model name in the path");
    boost::system::error_code ec;
    const auto body = json::parse(request.body(), ec);
    if (ec) return admin_error(beast_http::status::bad_request, "the body is not JSON");
    std::string error;
    auto behaviour = behaviour_from_json(body, error);
    if (!behaviour) return admin_error(beast_http::status::bad_request, error);
    if (behaviour->path_prefix.empty()) behaviour->path_prefix = prefix;
    json::object echo{{"model", model}, {"path_prefix", behaviour->path_prefix}};
    table_.put(std::move(model), std::move(*behaviour));
    return make_response(200, kJsonType, json::serialize(echo));
  }
  return admin_error(beast_http::status::not_found,
                     "mock: no such endpoint (POST .../v1/messages, .../chat/completions, .../responses, .../token, Vertex "
                     ".../models/<m>:rawPredict|:streamRawPredict|:generateContent|:streamGenerateContent, Bedrock "
                     "/model/<id>/converse|converse-stream; GET /mock/stats, POST /mock/reset, PUT /mock/models/<name>)");
}

http::Response MockServer::count_tokens(http::Request& request, WireFormat format, std::string_view model,
                                        std::string_view path) {
  std::string error;
  auto answer = count_tokens_answer(format, request.body(), error);
  stats_.record(model, path, lower_cased_headers(request), std::move(request.body()));
  if (!answer) return make_response(400, kJsonType, invalid_request_body(format, error));
  return make_response(200, kJsonType, std::move(*answer));
}

http::Response MockServer::token_grant(const http::Request& request) {
  auto answer = auth_.grant(request.body(), std::chrono::system_clock::now());
  if (answer.granted) stats_.record_token_grant();
  else stats_.record_auth_failure();
  auto res = make_response(static_cast<unsigned>(answer.status), kJsonType, std::move(answer.body));
  res.set(beast_http::field::cache_control, "no-cache, no-store, max-age=0, must-revalidate");
  return res;
}

std::optional<http::Response> MockServer::authenticate(const http::Request& request, const CloudRoute& route) {
  const Behaviour no_behaviour;
  if (route.api == CloudApi::vertex_anthropic || route.api == CloudApi::vertex_gemini) {
    if (auth_.bearer_ok(request[beast_http::field::authorization])) return std::nullopt;
    return fault_response(Fault::authentication, route.errors, no_behaviour);
  }
  if (route.api == CloudApi::gemini) {
    std::string key(request["x-goog-api-key"]);
    if (key.empty()) key = query_param(request.target(), "key").value_or(std::string());
    if (auth_.gemini_key_ok(key)) return std::nullopt;
    return fault_response(Fault::authentication, route.errors, no_behaviour);
  }
  const auto check = auth_.check_sigv4(request.method_string(), request.target(), lower_cased_headers(request),
                                       request.body(), std::chrono::system_clock::now());
  if (check == SigV4Check::ok) return std::nullopt;
  if (check == SigV4Check::unknown_access_key) return fault_response(Fault::authentication, route.errors, no_behaviour);
  if (check == SigV4Check::expired_token) {
    auto expired = make_response(403, kJsonType, R"({"message":"The security token included in the request is expired"})");
    expired.set(kAmznErrorType, "ExpiredTokenException:http://internal.amazon.com/coral/com.amazon.coral.service/");
    return expired;
  }
  auto res = make_response(403, kJsonType, std::string(kBedrockInvalidSignatureBody));
  res.set(kAmznErrorType, kBedrockInvalidSignatureType);
  return res;
}

http::Awaitable<Disposition> MockServer::answer_cloud(http::Request& request, http::Responder& responder,
                                                      CloudRoute route, std::string_view path) {
  if (auto refusal = authenticate(request, route)) {
    stats_.record_auth_failure();
    co_await responder.send(std::move(*refusal));
    co_return Disposition::answered;
  }
  if (route.count_tokens) {
    co_await responder.send(count_tokens(request, route.errors, route.model, path));
    co_return Disposition::answered;
  }
  std::string error;
  std::optional<Call> call;
  if (route.api == CloudApi::vertex_anthropic) call = parse_vertex_anthropic_call(route, path, request.body(), error);
  else if (route.api == CloudApi::bedrock) call = parse_bedrock_call(route, request.body(), error);
  else call = parse_gemini_call(route, request.body(), error);
  // Gemini streams SSE only with alt=sse (a JSON array otherwise, which the mock does not speak).
  if (call && route.stream && (route.api == CloudApi::gemini || route.api == CloudApi::vertex_gemini) &&
      query_param(request.target(), "alt").value_or(std::string()) != "sse") {
    call.reset();
    error = "mock: streamGenerateContent is served only with alt=sse";
  }
  if (!call) {
    co_await responder.send(invalid_request_response(route.errors, error));
    co_return Disposition::answered;
  }
  co_return co_await serve(request, responder, *call, route.errors, path);
}

http::Awaitable<Disposition> MockServer::answer_embeddings(http::Request& request, http::Responder& responder,
                                                           EmbeddingRoute route, std::string_view path) {
  if (route.auth) {
    if (auto refusal = authenticate(request, *route.auth)) {
      stats_.record_auth_failure();
      co_await responder.send(std::move(*refusal));
      co_return Disposition::answered;
    }
  }
  std::string error;
  const auto call = parse_embedding_call(route, request.body(), error);
  if (!call) {
    co_await responder.send(invalid_request_response(route.errors, error));
    co_return Disposition::answered;
  }
  stats_.record(call->model, path, lower_cased_headers(request), std::move(request.body()));
  const auto entry = table_.lookup(call->model, path);
  const Fault step = non_streaming_fault(entry->next_step());
  if (step == Fault::connection_reset) co_return Disposition::reset;
  if (step == Fault::hang) co_return Disposition::hang;
  if (step != Fault::ok) {
    co_await responder.send(fault_response(step, route.errors, entry->behaviour));
    co_return Disposition::answered;
  }
  co_await responder.send(make_response(200, kJsonType, embedding_answer(route, *call)));
  co_return Disposition::answered;
}

http::Awaitable<Disposition> MockServer::answer_call(http::Request& request, http::Responder& responder,
                                                     WireFormat format, std::string_view path) {
  // Azure OpenAI and Databricks check the caller's key or issued token when configured.
  // (No `?:` with temporaries in this coroutine: GCC 12 destroys them twice.)
  std::optional<http::Response> refusal;
  if (path.find("/openai/deployments/") != std::string_view::npos) refusal = auth_.issuer().check_azure(request);
  else if (path.find("/serving-endpoints") != std::string_view::npos) refusal = auth_.issuer().check_databricks(request);
  if (refusal) {
    stats_.record_auth_failure();
    co_await responder.send(std::move(*refusal));
    co_return Disposition::answered;
  }
  std::string error;
  const auto call = parse_call(format, path, request.body(), error);
  if (!call) {
    co_await responder.send(make_response(400, kJsonType, invalid_request_body(format, error)));
    co_return Disposition::answered;
  }
  co_return co_await serve(request, responder, *call, format, path);
}

http::Awaitable<Disposition> MockServer::serve(http::Request& request, http::Responder& responder, const Call& call_ref,
                                               WireFormat format, std::string_view path) {
  const Call* call = &call_ref;
  std::optional<RequestedFeatures> features;  // thinking, prompt caching (mock/features.h)
  {
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(request.body(), ec);
    if (!ec && parsed.is_object()) features = requested_features(format, parsed.get_object());
  }
  stats_.record(call->model, path, lower_cased_headers(request), std::move(request.body()));
  if (features && !features->invalid_thinking.empty()) {
    co_await responder.send(make_response(400, kJsonType, invalid_request_body(format, features->invalid_thinking)));
    co_return Disposition::answered;
  }
  const auto entry = table_.lookup(call->model, path);
  const Behaviour& b = entry->behaviour;
  Fault step = entry->next_step();
  if (!call->stream) step = non_streaming_fault(step);
  if (b.latency_ms > 0) {
    // Think, but notice a caller that hangs up meanwhile (tests assert the gateway cancels).
    auto thinking = delay(std::chrono::milliseconds(b.latency_ms));
    auto hang_up = responder.until_client_gone();
    auto race = std::move(thinking) || std::move(hang_up);
    const auto raced = co_await std::move(race);
    if (raced.index() == 1) {
      stats_.record_abandoned_call();
      responder.abandon();
      co_return Disposition::answered;
    }
  }

  if (step == Fault::connection_reset) co_return Disposition::reset;
  if (step == Fault::hang) co_return Disposition::hang;
  if (step == Fault::close_after_read) co_return Disposition::close;
  // Answered like ok; the connection is closed afterwards (a keep-alive connection gone stale).
  const auto done = step == Fault::close_after_answer ? Disposition::close : Disposition::answered;
  if (step == Fault::close_after_answer) step = Fault::ok;
  if (step != Fault::ok && !is_stream_fault(step)) {
    auto res = fault_response(step, format, b);
    if (b.echo_credential) echo_credential(res, request);
    co_await responder.send(std::move(res));
    co_return Disposition::answered;
  }
  if (b.replay) {
    co_await send_replay(responder, *b.replay, call->stream);
    co_return done;
  }
  const ReplyIds ids{sequence_.fetch_add(1, std::memory_order_relaxed) + 1, unix_seconds(), b.latency_ms};
  // A conversation that ends with the tool's result gets text (quoting it when the mock can read
  // it): the agent loop ends instead of calling the tool again.
  const bool answers_tool_result = (features && features->answers_tool_result) || call->tool_result;
  const ToolCall* tool = b.tool_call && call->has_tools && !answers_tool_result ? &*b.tool_call : nullptr;
  std::string reply = b.reply;
  if (call->tool_result) reply += " Tool output: " + tool_output_excerpt(*call->tool_result);
  CacheUse cache;
  if (features) cache = use_prompt_cache(*features);
  if (!call->stream) {
    // No `?:` with temporaries in this coroutine (GCC 12 destroys them twice).
    std::string body;
    if (tool) body = tool_call_body(*call, *tool, ids);
    else body = reply_body(*call, reply, ids);
    if (features) body = decorate_reply(format, *features, cache, std::move(body), ids);
    co_await responder.send(make_response(200, kJsonType, std::move(body)));
    co_return done;
  }
  std::vector<StreamEvent> events;
  if (tool) events = tool_call_events(*call, *tool, ids);
  else events = reply_events(*call, reply, ids);
  if (features) decorate_events(format, *features, cache, events, ids);
  cut_for_fault(step, format, events);
  beast_http::response_header<> header;
  header.result(beast_http::status::ok);
  header.set(beast_http::field::content_type, stream_content_type(call->format));
  header.set(beast_http::field::cache_control, "no-cache");
  if (!co_await responder.start_stream(std::move(header))) co_return Disposition::answered;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i > 0 && b.chunk_delay_ms > 0) co_await delay(std::chrono::milliseconds(b.chunk_delay_ms));
    if (!co_await responder.write_chunk(events[i].text)) {
      stats_.record_aborted_stream();
      co_return Disposition::answered;
    }
  }
  if (step == Fault::stream_drop_before_content || step == Fault::stream_drop_after_content) {
    if (b.chunk_delay_ms > 0) co_await delay(std::chrono::milliseconds(b.chunk_delay_ms));
    co_return Disposition::reset;
  }
  if (!co_await responder.finish_stream()) stats_.record_aborted_stream();
  co_return done;
}

http::Awaitable<void> MockServer::send_replay(http::Responder& responder, const Replay& replay, bool stream) {
  if (!stream || !replay_streams(replay)) {
    co_await responder.send(make_response(static_cast<unsigned>(replay.status), replay.content_type, replay.body));
    co_return;
  }
  std::string error;
  const auto chunks = replay_chunks(replay, error);
  if (!chunks) {
    co_await responder.send(make_response(500, "text/plain", error));
    co_return;
  }
  beast_http::response_header<> header;
  header.result(static_cast<beast_http::status>(replay.status));
  header.set(beast_http::field::content_type, replay.content_type);
  header.set(beast_http::field::cache_control, "no-cache");
  if (!co_await responder.start_stream(std::move(header))) co_return;
  for (const auto& chunk : *chunks)
    if (!co_await responder.write_chunk(chunk)) {
      stats_.record_aborted_stream();
      co_return;
    }
  if (!co_await responder.finish_stream()) stats_.record_aborted_stream();
}

}  // namespace switchyard::mock
