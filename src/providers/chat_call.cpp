#include "providers/chat_call.h"

#include <boost/asio/this_coro.hpp>
#include <memory>
#include <boost/json.hpp>

#include "providers/answer_scan.h"
#include "providers/auth/credential_source.h"
#include "providers/body_splice.h"
#include "providers/embeddings_call.h"
#include "providers/count_tokens.h"
#include "providers/deployment_defaults.h"
#include "providers/forwarding.h"
#include "providers/param_support.h"
#include "providers/responses_call.h"
#include "providers/translate.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {

errors::UpstreamError unusable(const Endpoint& e) {
  errors::UpstreamError err;
  err.provider = e.deployment->provider;
  err.status = 404;  // classified not_found: cooled down until reload, requests fall back
  json::object error{{"type", "not_found_error"}, {"message", "Switchyard cannot call this deployment: " + e.unusable_reason}};
  err.body = json::serialize(json::object{{"error", std::move(error)}});
  return err;
}

// A 2xx whose body is not a chat answer in the provider's format is a failure too.
bool looks_like_answer(core::WireFormat f, const json::object& o) {
  if (f == core::WireFormat::anthropic) {
    const auto* content = o.if_contains("content");
    return content && content->is_array() && !o.contains("error");
  }
  const auto* choices = o.if_contains("choices");
  return choices && choices->is_array() && !o.contains("error");
}

}  // namespace

void replace_answer_object(core::ChatResponse& answer, json::object body) {
  // Constructed, not assigned: assignment across memory resources would deep-copy `body`.
  std::destroy_at(&answer.body);
  std::construct_at(&answer.body, std::move(body));
  answer.wire.clear();
}

const json::object& answer_object(core::ChatResponse& answer) {
  if (answer.body.empty() && !answer.wire.empty()) {
    boost::system::error_code ec;
    auto parsed = json::parse(answer.wire, ec, json::make_shared_resource<json::monotonic_resource>());
    if (!ec && parsed.is_object()) {
      auto wire = std::move(answer.wire);
      replace_answer_object(answer, std::move(parsed.get_object()));
      answer.wire = std::move(wire);  // still the same answer
    }
  }
  return answer.body;
}

namespace {

// shape_openai_body's edits below the top level (param_support.cpp): none of them may apply for
// the top-level splice to be the same body. Earlier thinking in messages, cache_control where
// strip_cache_control looks (objects, their `content` and `tools`, arrays).
bool holds_cache_control(const json::value& v) {
  if (const auto* o = v.if_object()) {
    if (o->contains("cache_control")) return true;
    for (const auto& [key, child] : *o)
      if ((key == "content" || key == "tools") && holds_cache_control(child)) return true;
  } else if (const auto* a = v.if_array()) {
    for (const auto& child : *a)
      if (holds_cache_control(child)) return true;
  }
  return false;
}

// A message the shaping would edit inside: earlier thinking, or cache_control where
// holds_cache_control looks. One walk over its keys (this runs for every message of a request).
bool message_needs_nested_edit(const json::object& message) {
  for (const auto& [key, child] : message) {
    if (key == "thinking_blocks" || key == "reasoning_content" || key == "cache_control") return true;
    if ((key == "content" || key == "tools") && holds_cache_control(child)) return true;
  }
  return false;
}

bool openai_shaping_stays_top_level(const json::object& body) {
  if (const auto* messages = body.if_contains("messages")) {
    if (const auto* list = messages->if_array()) {
      for (const auto& m : *list)
        if (const auto* o = m.if_object(); o ? message_needs_nested_edit(*o) : holds_cache_control(m))
          return false;
    } else if (holds_cache_control(*messages)) {
      return false;
    }
  }
  if (const auto* tools = body.if_contains("tools"); tools && holds_cache_control(*tools)) return false;
  return true;
}

// Room reserved over the client's body size for the gateway's edits (deployment model name, stream
// flags, defaults), so that the upstream body is one allocation.
constexpr std::size_t kShapedBodySlackBytes = 128;

// The upstream headers most requests carry: content-type, accept, authorization, an adapter's
// version or organisation header, room for an extra_headers entry or two.
constexpr std::size_t kUpstreamHeadersReserved = 6;

// Same format, no dialect, the shaping's edits at the top level only: the body can be written from
// a shaped probe (body_splice.h) instead of a shaped copy of its DOM.
bool can_shape_probe(const Endpoint& endpoint, const core::ChatRequest& request) {
  const auto format = endpoint.adapter->wire_format();
  if (format != request.format || endpoint.adapter->dialect()) return false;
  return format != core::WireFormat::openai || openai_shaping_stays_top_level(request.body);
}

// Every edit the gateway makes to the body it sends, in order. `body` is the client's (or its
// translation); the forwarded client headers edit it later, with the headers.
void shape_request_body(const Endpoint& endpoint, const core::ChatRequest& request, json::object& body) {
  const auto format = endpoint.adapter->wire_format();
  apply_request_defaults(*endpoint.deployment, format, body);  // litellm_params temperature, stop, …
  const auto* dialect = endpoint.adapter->dialect();
  if (dialect) {
    body = dialect->request_from_openai(body, endpoint.deployment->model);  // Gemini/Bedrock: stream is in the URL, not the body
  } else if (request.stream) {
    body["stream"] = true;
    // Usage arrives in OpenAI streams only when asked for; Anthropic clients need it.
    if (format == core::WireFormat::openai && request.format != format) body["stream_options"] = {{"include_usage", true}};
  } else {
    body.erase("stream");
    body.erase("stream_options");
  }
  if (!dialect && format == core::WireFormat::openai) shape_openai_body(api_kind(endpoint), endpoint.deployment->model, body);
  endpoint.adapter->shape_body(endpoint, body);
}

// The request around the shaped `body`, into `out`; write_body turns the body into bytes
// (nullopt: cannot, and `out` is then unfinished).
template <class WriteBody>
bool finish_request(const Endpoint& endpoint, const core::ChatRequest& request, const auth::Credential* credential,
                    json::object& body, WriteBody&& write_body, http::UpstreamRequest& out) {
  out.url = endpoint.base;
  // One allocation for the header list instead of one per doubling (~600 instructions a request).
  out.headers.reserve(kUpstreamHeadersReserved + request.forward_headers.size());
  out.headers.emplace_back("content-type", "application/json");
  out.headers.emplace_back("accept", request.stream ? "text/event-stream" : "application/json");
  endpoint.adapter->prepare(endpoint, request.stream, out);
  if (!request.forward_headers.empty()) forward_client_headers(api_kind(endpoint), request.forward_headers, body, out);
  // After the forwarded client headers: the operator's extra_headers win.
  add_extra_headers(*endpoint.deployment, out);
  auto bytes = write_body(body);
  if (!bytes) return false;
  out.body = std::move(*bytes);
  endpoint.adapter->authorize(endpoint, credential, out);
  return true;
}

// The shaping's top-level edits found by shaping a probe (the body less its big arrays) with the
// very functions the DOM path uses; the body is then written without copying the client's DOM:
// as the client's bytes with the edits spliced in (`splice_bytes`: no re-serialisation of the
// messages), or as the probe written with the client's arrays (cheaper for small bodies).
bool encode_chat_from_probe(const Endpoint& endpoint, const core::ChatRequest& request,
                            const auth::Credential* credential, bool splice_bytes, http::UpstreamRequest& out) {
  unsigned char buffer[2048];
  json::monotonic_resource arena(buffer, sizeof buffer);
  auto probe = make_probe(request.body, &arena);
  shape_request_body(endpoint, request, probe);
  return finish_request(
      endpoint, request, credential, probe,
      [&](const json::object& shaped) {
        if (splice_bytes) return splice_shaped_body(request.raw_body, request.body, shaped);
        return write_shaped_probe(request.body, shaped, request.raw_body.size() + kShapedBodySlackBytes);
      },
      out);
}

}  // namespace

http::UpstreamRequest encode_chat(const Endpoint& endpoint, const core::ChatRequest& request,
                                  const auth::Credential* credential, const BodyPaths& paths) {
  http::UpstreamRequest out;
  if (paths.probe && can_shape_probe(endpoint, request)) {
    const bool splice_bytes = !request.raw_body.empty() && request.raw_body.size() >= paths.splice_min_bytes;
    if (encode_chat_from_probe(endpoint, request, credential, splice_bytes, out)) return out;
    out = http::UpstreamRequest{};  // refused half-way: start again on the DOM path
  }
  const auto format = endpoint.adapter->wire_format();
  json::object body(request.body.storage());  // the request's arena
  if (format == request.format) body = request.body;
  else if (format == core::WireFormat::anthropic) body = openai_request_to_anthropic(request.body);
  else body = anthropic_request_to_openai(request.body);
  shape_request_body(endpoint, request, body);
  finish_request(
      endpoint, request, credential, body,
      [](const json::object& shaped) { return std::optional<std::string>(json::serialize(shaped)); }, out);
  return out;
}

CallResult decode_chat(const Endpoint& endpoint, http::UpstreamResponse&& response) {
  CallResult result;
  const auto& d = *endpoint.deployment;
  if (response.ok()) {
    const auto format = endpoint.adapter->wire_format();
    if (const auto* dialect = endpoint.adapter->dialect()) {
      // One arena per answer. The answer is constructed from the converted object, never
      // assigned: assigning a json::object across memory resources deep-copies it.
      boost::system::error_code ec;
      auto parsed = json::parse(response.body, ec, json::make_shared_resource<json::monotonic_resource>());
      if (!ec && parsed.is_object())
        if (auto converted = dialect->response_to_openai(parsed.get_object(), d.model);
            converted && looks_like_answer(format, *converted)) {
          core::ChatResponse r{.format = format, .body = std::move(*converted)};
          r.usage = usage_of(format, r.body);
          result.response = std::move(r);
          return result;
        }
    } else if (auto facts = scan_answer(format, response.body); facts && facts->is_answer && facts->content_parts) {
      // Rare: content as a list of parts (Databricks' Claude, Mistral reasoning). Reshaped, so
      // the DOM is built and the wire bytes are not forwarded.
      boost::system::error_code ec;
      auto parsed = json::parse(response.body, ec, json::make_shared_resource<json::monotonic_resource>());
      if (!ec && parsed.is_object()) {
        normalize_answer_content_parts(parsed.get_object());
        core::ChatResponse r{.format = format, .body = std::move(parsed.get_object()), .usage = facts->usage};
        result.response = std::move(r);
        return result;
      }
    } else if (facts && facts->is_answer) {
      // The provider's own format: validated and read for usage in one pass, no DOM. The bytes
      // go to a same-format client as they are; answer_object() parses them for anyone else.
      core::ChatResponse r{.format = format, .usage = facts->usage, .wire = std::move(response.body)};
      result.response = std::move(r);
      return result;
    }
  }
  result.error.provider = d.provider;
  result.error.status = response.status;
  result.error.headers = std::move(response.headers);
  result.error.body = response.transport_error == errors::TransportError::none ? std::move(response.body)
                                                                              : std::move(response.transport_message);
  result.error.transport_error = response.transport_error;
  return result;
}

ChatStream::ChatStream(std::unique_ptr<http::UpstreamStream> upstream, std::unique_ptr<NativeStreamDecoder> decoder,
                       std::unique_ptr<StreamTranslator> translator, core::Provider provider)
    : upstream_(std::move(upstream)),
      decoder_(std::move(decoder)),
      translator_(std::move(translator)),
      provider_(provider) {}

ChatStream::~ChatStream() = default;

const core::Usage& ChatStream::usage() const { return translator_->usage(); }

// The next upstream event: from the native decoder, or parsed here without a copy.
const http::SseEvent* ChatStream::next_event() {
  if (!decoder_) {
    if (decoder_error_) return nullptr;  // nothing follows broken framing
    const auto* event = sse_.next_event();
    if (!event && sse_.overflowed()) decoder_error_ = "event larger than the SSE limit";
    return event;
  }
  decoded_ = decoder_->next();
  return decoded_ ? &*decoded_ : nullptr;
}

http::Awaitable<ChatStream::Piece> ChatStream::next() {
  // Translators append to out_.bytes: one buffer for every event of every piece, kept warm.
  out_.bytes.clear();
  bool content = false;
  const auto piece = [&] { return Piece{out_.bytes, content}; };
  while (!finished_ && !failure_) {
    while (const auto* event = failure_ ? nullptr : next_event()) {
      out_.content = out_.done = false;
      translator_->on_event(*event, out_);
      content = content || out_.content;
      if (out_.error_body) {
        failure_ = errors::UpstreamError{provider_, 200, upstream_->headers, std::move(*out_.error_body),
                                         errors::TransportError::none};
        out_.error_body.reset();
        co_return piece();
      }
      if (out_.done) {
        finished_ = true;  // drain() reads the body's end so the connection can be reused
        co_return piece();
      }
      // The first content token ends the held-back prelude: what follows it (even when it came
      // in the same read) belongs to the stream, so a later failure is seen after content.
      if (content && !content_seen_) {
        content_seen_ = true;
        co_return piece();
      }
    }
    if (const auto& error = decoder_ ? decoder_->error() : decoder_error_) {
      failure_ = errors::UpstreamError{provider_, 200, upstream_->headers, *error, errors::TransportError::none};
      co_return piece();
    }
    if (!out_.bytes.empty()) co_return piece();  // forward what we have before waiting again
    if (body_ended_) {
      out_.content = out_.done = false;
      const bool complete = translator_->on_end(out_);
      if (complete) finished_ = true;
      else failure_ = errors::UpstreamError{provider_, 0, {}, "", errors::TransportError::closed_early};
      break;
    }
    const auto bytes = co_await upstream_->read_some();
    if (!bytes.empty()) {
      if (decoder_) decoder_->feed(bytes);
      else sse_.feed(bytes);
    } else if (upstream_->finished()) {
      if (decoder_) decoder_->end_of_body();  // may queue the last events; they are translated before on_end
      body_ended_ = true;
    } else {
      failure_ = errors::UpstreamError{provider_, 0, {}, upstream_->error_message(), upstream_->error()};
    }
  }
  co_return piece();
}

http::Awaitable<void> ChatStream::drain() {
  // After [DONE]/message_stop only the body's terminator is left (usually already buffered); a
  // server that keeps sending is not waited for: the connection is closed instead.
  constexpr int kMaxDrainReads = 4;
  for (int i = 0; i < kMaxDrainReads && upstream_ && !upstream_->finished() && upstream_->error() == errors::TransportError::none; ++i) {
    const auto ignored = co_await upstream_->read_some();
    (void)ignored;
  }
  upstream_.reset();
}

namespace {

// `translator`: the client's own translator (Responses clients); null: chosen by wire formats.
http::Awaitable<CallResult> open_streaming(const Endpoint& endpoint, const core::ChatRequest& request,
                                           http::UpstreamRequest upstream, std::unique_ptr<StreamTranslator> translator) {
  const auto executor = co_await boost::asio::this_coro::executor;
  auto opened = co_await http::client_pool_for_this_thread(executor).open_stream(upstream);
  if (!opened.stream) co_return decode_chat(endpoint, std::move(opened.failure));
  bool include_usage = false;
  if (const auto* so = request.body.if_contains("stream_options"); so && so->is_object())
    if (const auto* iu = so->get_object().if_contains("include_usage"); iu && iu->is_bool()) include_usage = iu->get_bool();
  // Native dialects decode into OpenAI chunks, with usage whenever anyone downstream needs it.
  const auto format = endpoint.adapter->wire_format();
  std::unique_ptr<NativeStreamDecoder> decoder;
  if (const auto* dialect = endpoint.adapter->dialect())
    decoder = dialect->stream_decoder(endpoint.deployment->model, include_usage || request.format != format);
  if (!translator)
    translator = make_stream_translator(format, request.format, include_usage,
                                        endpoint.deployment->provider == core::Provider::databricks);
  auto stream = std::make_unique<ChatStream>(std::move(opened.stream), std::move(decoder), std::move(translator),
                                             endpoint.deployment->provider);
  // Hold everything back until the first content token: a failure before it can still fall back
  // to another deployment without the client seeing a byte.
  std::string prelude;
  while (!stream->finished()) {
    auto piece = co_await stream->next();
    prelude += piece.bytes;
    if (stream->failure()) co_return CallResult::failed(*stream->failure());
    if (piece.content) break;
  }
  stream->lift_deadline();
  CallResult result;
  result.stream = StreamStart{std::move(prelude), std::move(stream)};
  co_return result;
}

// count_tokens, embeddings and the Responses passthrough share the chat deployment's state. A
// server without that endpoint (404/405: a chat-only vLLM, an Azure api-version without
// /responses, a proxy without count_tokens) says nothing about its chat health: refused for this
// deployment only (the router moves on), not a not_found that would cool its chat down.
CallResult missing_operation_refused(CallResult result, const Endpoint& endpoint, std::string_view operation) {
  const auto status = result.error.status;
  if (result.ok() || result.refusal || result.error.transport_error != errors::TransportError::none ||
      (status != 404 && status != 405))
    return result;
  result.refusal = deployment_refusal("switchyard:operation_not_served",
                                      "deployment " + endpoint.deployment->id + " does not serve " + std::string(operation) +
                                          " (HTTP " + std::to_string(status) + ")");
  return result;
}

}  // namespace

http::Awaitable<CallResult> call_deployment(const Endpoint& endpoint, const core::ChatRequest& request,
                                            std::chrono::milliseconds timeout) {
  if (!endpoint.adapter) co_return CallResult::failed(unusable(endpoint));
  // Usually answered from the cache at once; only a cold or expired cache waits for the cloud.
  std::shared_ptr<const auth::Credential> credential;
  if (endpoint.credentials) {
    auto fetched = co_await endpoint.credentials->get();
    if (!fetched.ok()) {
      fetched.error.provider = endpoint.deployment->provider;
      co_return CallResult::failed(std::move(fetched.error));
    }
    credential = std::move(fetched.credential);
  }
  if (request.operation == core::Operation::count_tokens)
    co_return missing_operation_refused(co_await count_tokens(endpoint, request, credential.get(), timeout), endpoint,
                                        "count_tokens");
  if (request.operation == core::Operation::embeddings)
    co_return missing_operation_refused(co_await call_embeddings(endpoint, request, credential.get(), timeout),
                                        endpoint, "embeddings");
  // A Responses client: passed through to OpenAI/Azure, else the derived chat request is sent.
  const bool responses_client = request.format == core::WireFormat::responses;
  ResponsesPlan plan;
  if (responses_client) {
    auto planned = plan_responses(endpoint, request);
    if (auto* refused = std::get_if<ResponsesRefused>(&planned)) {
      CallResult result;
      result.error.provider = endpoint.deployment->provider;
      result.error.status = 400;
      result.refusal = deployment_refusal("switchyard:responses_unsupported", std::move(refused->message));
      co_return result;
    }
    plan = std::move(std::get<ResponsesPlan>(planned));
  }
  const core::ChatRequest& sent = responses_client && !plan.passthrough ? plan.chat : request;
  // Parameters this deployment cannot honour: refused before any call, or dropped (drop_params).
  // A Responses passthrough goes to OpenAI's own API: nothing to check.
  std::vector<std::string> unsupported;
  if (!plan.passthrough) unsupported = unsupported_params(api_kind(endpoint), sent);
  std::optional<core::ChatRequest> trimmed;
  if (!unsupported.empty()) {
    if (!drop_params_enabled(endpoint, sent)) {
      CallResult refused;
      refused.error.provider = endpoint.deployment->provider;
      refused.error.status = 400;
      refused.refusal = unsupported_params_refusal(endpoint, unsupported);
      co_return refused;
    }
    trimmed = sent;
    drop_params(trimmed->body, sent.format, unsupported);
    trimmed->raw_body = {};  // the dropped parameters are still in the client's bytes
  }
  const core::ChatRequest& outgoing = trimmed ? *trimmed : sent;
  http::UpstreamRequest upstream;
  if (plan.passthrough) upstream = encode_responses_passthrough(endpoint, request, credential.get());
  else upstream = encode_chat(endpoint, outgoing, credential.get());
  upstream.timeout = timeout;
  if (const auto& silence = endpoint.deployment->stream_timeout_seconds)
    upstream.stream_idle_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(*silence * 1000));
  add_userinfo_authorization(endpoint, upstream);
  if (request.stream) {
    std::unique_ptr<StreamTranslator> translator;
    if (responses_client)
      translator = make_responses_stream_translator(
          plan.passthrough ? core::WireFormat::responses : endpoint.adapter->wire_format(), echo_of(request));
    auto streamed = co_await open_streaming(endpoint, outgoing, std::move(upstream), std::move(translator));
    streamed.dropped_params = std::move(unsupported);
    if (plan.passthrough) co_return missing_operation_refused(std::move(streamed), endpoint, "the Responses API");
    co_return streamed;
  }
  const auto executor = co_await boost::asio::this_coro::executor;
  auto response = co_await http::client_pool_for_this_thread(executor).send(upstream);
  if (plan.passthrough && response.ok()) {
    if (auto answer = decode_responses_passthrough(response.body, request)) {
      CallResult passed;
      passed.response = std::move(answer);
      co_return passed;
    }
  }
  auto result = decode_chat(endpoint, std::move(response));
  result.dropped_params = std::move(unsupported);
  if (responses_client && result.response) {
    if (plan.passthrough) {
      // A 2xx that is not a Response object: garbage, classified like any other.
      result.error.provider = endpoint.deployment->provider;
      result.error.status = 200;
      result.error.body = result.response->wire.empty() ? json::serialize(result.response->body)
                                                         : std::move(result.response->wire);
      result.response.reset();
    } else {
      result.response = chat_answer_to_responses(std::move(*result.response), request);
    }
  }
  if (plan.passthrough) co_return missing_operation_refused(std::move(result), endpoint, "the Responses API");
  co_return result;
}

}  // namespace switchyard::providers
