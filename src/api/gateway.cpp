#include "api/gateway.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <bit>
#include <boost/json.hpp>
#include <cstring>
#include <random>
#include <utility>

#include "api/admin.h"
#include "api/client_errors.h"
#include "api/embeddings_api.h"
#include "api/key_limits.h"
#include "api/responses_api.h"
#include "api/passing.h"
#include "api/litellm_controls.h"
#include "core/json_members.h"
#include "core/text.h"
#include "providers/stream_translate.h"
#include "providers/translate.h"

namespace switchyard::api {
namespace json = boost::json;
namespace bh = http::beast_http;
namespace {

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

constexpr std::string_view kCountTokensPath = "/v1/messages/count_tokens";

http::Response json_response(unsigned version, bh::status status, std::string body) {
  http::Response res{status, version};
  res.set(bh::field::content_type, "application/json");
  res.body() = std::move(body);
  return res;
}

// `x` as 8 lower-case hex digits at `out`, without a loop: each nibble is spread into a byte of
// its own, and 'a'-'0'-10 added where it is 10 or more (a digit loop cost ~10 instructions a digit).
void write_hex8(std::uint32_t x, char* out) {
  std::uint64_t n = x;
  n = ((n & 0xFFFF0000ULL) << 16) | (n & 0xFFFFULL);
  n = ((n & 0x0000FF000000FF00ULL) << 8) | (n & 0x000000FF000000FFULL);
  n = ((n & 0x00F000F000F000F0ULL) << 4) | (n & 0x000F000F000F000FULL);  // byte k: nibble k
  const std::uint64_t letters = ((n + 0x0606060606060606ULL) >> 4) & 0x0101010101010101ULL;
  n += 0x3030303030303030ULL + letters * ('a' - '0' - 10);
  if constexpr (std::endian::native == std::endian::little) n = __builtin_bswap64(n);  // highest nibble first
  std::memcpy(out, &n, sizeof n);
}

std::string request_id_for(const http::Request& req) {
  if (const auto it = req.find("x-request-id"); it != req.end() && !it->value().empty() && it->value().size() <= 128)
    return std::string(it->value());
  // "req_" + 24 hex digits from a per-thread splitmix64 sequence (a few dozen instructions; the
  // mt19937 + snprintf it replaces cost ~1.8k). Ids trace requests, they guard nothing: unique
  // within a thread (splitmix64 is a bijection of its counter), and 64 random seed bits per
  // thread make two threads' or processes' sequences meet with negligible odds.
  thread_local std::uint64_t state =
      (std::uint64_t{std::random_device{}()} << 32) ^ std::uint64_t{std::random_device{}()};
  const auto next = [] {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  const std::uint64_t high = next(), low = next();
  char id[28] = {'r', 'e', 'q', '_'};
  write_hex8(static_cast<std::uint32_t>(high >> 32), id + 4);
  write_hex8(static_cast<std::uint32_t>(high), id + 12);
  write_hex8(static_cast<std::uint32_t>(low), id + 20);
  return std::string(id, sizeof id);
}

json::object models_list(const router::Router& router, bool anthropic_shape) {
  json::array data;
  for (const auto& group : router.models().listed()) {
    if (anthropic_shape)
      data.push_back({{"type", "model"}, {"id", group}, {"display_name", group}, {"created_at", "1970-01-01T00:00:00Z"}});
    else
      data.push_back({{"id", group}, {"object", "model"}, {"created", 0}, {"owned_by", "switchyard"}});
  }
  if (anthropic_shape) {
    const json::value first = data.empty() ? json::value(nullptr) : data.front().at("id");
    const json::value last = data.empty() ? json::value(nullptr) : data.back().at("id");
    return {{"data", std::move(data)}, {"has_more", false}, {"first_id", first}, {"last_id", last}};
  }
  return {{"object", "list"}, {"data", std::move(data)}};
}

// Admin endpoints take the master_key only (client keys may call models, not manage the
// gateway). Without a master key they are open only when the whole gateway is (no client keys
// either): client keys alone never grant reload or cooldown clearing.
bool master_key_presented(const http::RequestHead& req, const config::GeneralSettings& general) {
  if (general.master_key.empty()) return general.keys.empty();
  return same_secret(presented_key(req), general.master_key);
}

core::WireFormat client_format_of(const http::RequestHead& req) {
  const bool anthropic = path_of(req.target()) == "/v1/messages" || req.find("anthropic-version") != req.end();
  return anthropic ? core::WireFormat::anthropic : core::WireFormat::openai;
}

// Holds one of the max_in_flight_requests places for a chat request.
class InFlightPlace {
 public:
  InFlightPlace(std::atomic<std::size_t>& count, std::size_t cap) : count_(count) {
    taken_ = count_.fetch_add(1, std::memory_order_relaxed) < cap || cap == 0;
  }
  ~InFlightPlace() { count_.fetch_sub(1, std::memory_order_relaxed); }
  InFlightPlace(const InFlightPlace&) = delete;
  InFlightPlace& operator=(const InFlightPlace&) = delete;
  bool taken() const { return taken_; }

 private:
  std::atomic<std::size_t>& count_;
  bool taken_ = false;
};

// nginx's status for "the client closed the connection before the answer".
constexpr int kClientClosedRequest = 499;

// What the log line and the metrics need from the routing, moved out of the outcome (it dies
// first) once its routing headers are written: group, fallback path, failures and dropped
// parameters are read from the outcome no more.
void summarize(router::RouteOutcome&& o, RequestSummary& s) {
  s.answered_by_group = std::move(o.group);
  if (o.deployment) s.deployment = o.deployment->id;
  s.answer_latency_ms = o.answer_latency_ms;
  s.groups_tried = std::move(o.groups_tried);
  s.failures = std::move(o.failures);
  s.dropped_params = std::move(o.dropped_params);
}

// The x-switchyard-* routing headers, through `add(name, value)`.
template <typename Add>
void add_routing_headers(const router::RouteOutcome& o, Add&& add) {
  if (!o.group.empty()) add("x-switchyard-model-group", o.group);
  else if (!o.groups_tried.empty()) add("x-switchyard-model-group", o.groups_tried.back());
  if (o.deployment) add("x-switchyard-deployment", o.deployment->id);
  add("x-switchyard-attempts", std::to_string(o.attempts));
  std::string list;
  for (const auto& g : o.groups_tried) {
    if (!list.empty()) list += ',';
    list += g;
  }
  add("x-switchyard-fallback-path", list);
  if (!o.dropped_params.empty()) {
    list.clear();
    for (const auto& p : o.dropped_params) {
      if (!list.empty()) list += ',';
      list += p;
    }
    add("x-switchyard-dropped-params", list);
  }
}

void set_routing_headers(http::Response& res, const router::RouteOutcome& o) {
  add_routing_headers(o, [&res](std::string_view name, std::string_view value) { res.set(name, value); });
}

// Header lines formatted straight into one buffer (no header container and element per field).
// The usual few lines fit in the coroutine frame (no allocation, no append call per piece); a
// longer head (a long fallback path, many omitted tools) moves to a string.
class HeaderLines {
 public:
  void operator()(std::string_view name, std::string_view value) {
    // A value may carry client text (tool names of a Responses request): a line break in it
    // would add a header of the client's making, so such a header is not sent.
    if (core::has_line_break(value)) return;
    const std::size_t line = name.size() + value.size() + 4;
    if (spilled_.empty() && used_ + line <= sizeof inline_) {
      char* p = inline_ + used_;
      std::memcpy(p, name.data(), name.size());
      p += name.size();
      *p++ = ':';
      *p++ = ' ';
      std::memcpy(p, value.data(), value.size());
      p += value.size();
      *p++ = '\r';
      *p = '\n';
      used_ += line;
      return;
    }
    if (spilled_.empty()) spilled_.assign(inline_, used_);
    spilled_.append(name).append(": ", 2).append(value).append("\r\n", 2);
  }
  std::string_view text() const { return spilled_.empty() ? std::string_view(inline_, used_) : spilled_; }

 private:
  static constexpr std::size_t kInlineBytes = 384;  // the routing headers, id and type: ~200
  char inline_[kInlineBytes];
  std::size_t used_ = 0;
  std::string spilled_;
};

}  // namespace

Gateway::Gateway(std::shared_ptr<const router::Router> router, Operations operations)
    : ops_(std::move(operations)),
      admin_pool_(std::make_unique<boost::asio::thread_pool>(1)),
      responses_(std::make_shared<ResponseStore>()) {
  swap_router(std::move(router));
}

Gateway::~Gateway() { admin_pool_->join(); }

void Gateway::swap_router(std::shared_ptr<const router::Router> router) {
  // Responses deleted on another instance (Redis) leave this one's store too; the store may be
  // new with this config (another Redis), so the handler is set on every swap.
  router->state().on_shared_deleted(
      [responses = std::weak_ptr<ResponseStore>(responses_)](std::string_view key) {
        if (const auto store = responses.lock()) forget_shared(*store, key);
      });
  auto generation = std::make_shared<Generation>();
  generation->redact = Redactor(router->config());
  generation->router = std::move(router);
  generation_.store(std::move(generation));
}

std::optional<http::Response> Gateway::screen(const http::RequestHead& head) const {
  const auto generation = generation_.load();
  const auto& general = generation->router->config().general;
  const auto path = path_of(head.target());
  if (path == "/metrics" || path.starts_with("/health/")) return std::nullopt;  // open, like before
  if (path.starts_with("/admin/")) {
    if (master_key_presented(head, general)) return std::nullopt;
    return client_error(core::WireFormat::openai, bh::status::unauthorized, errors::ErrorClass::authentication,
                        "admin endpoints need the gateway's master_key", head.version());
  }
  if (key_authorized(head, general)) return std::nullopt;
  return client_error(client_format_of(head), bh::status::unauthorized, errors::ErrorClass::authentication,
                      "invalid or missing API key for this gateway", head.version());
}

// Everything that is answered without routing, decided synchronously. GCC 12 mishandles
// temporaries inside co_await expressions (double destruction), so coroutines here only ever
// co_await on named locals.
std::optional<http::Response> Gateway::answer_directly(const http::Request& req, const router::Router& router) const {
  const auto path = path_of(req.target());
  const auto method = req.method();
  const bool anthropic_client = path == "/v1/messages" || path == kCountTokensPath || req.find("anthropic-version") != req.end();
  const auto format = anthropic_client ? core::WireFormat::anthropic : core::WireFormat::openai;
  const auto version = req.version();

  if (method == bh::verb::get && (path == "/health/liveliness" || path == "/health/liveness"))
    return json_response(version, bh::status::ok, R"("I'm alive!")");
  if (method == bh::verb::get && path == "/health/readiness")
    return json_response(version, bh::status::ok, R"({"status":"healthy"})");
  const bool is_responses = path == "/v1/responses" || path == "/responses";
  const bool is_stored_response = path.starts_with("/v1/responses/");
  const bool is_chat = path == "/v1/chat/completions" || path == "/chat/completions" || path == "/v1/messages" ||
                       path == kCountTokensPath || is_responses || is_embeddings_path(path);
  const bool is_models = path == "/v1/models" || path == "/models";
  if (!is_chat && !is_models && !is_stored_response)
    return client_error(format, bh::status::not_found, errors::ErrorClass::not_found,
                        "no route for " + std::string(req.method_string()) + " " + std::string(path), version);
  if (!key_authorized(req, router.config().general))  // master_key or a general_settings.keys entry
    return client_error(format, bh::status::unauthorized, errors::ErrorClass::authentication,
                        "invalid or missing API key for this gateway", version);
  if (is_stored_response) {
    if (auto stored = answer_stored_response(req, path, *responses_, router.state(), router.config().general)) return stored;
    return client_error(format, bh::status::not_found, errors::ErrorClass::not_found,
                        "no route for " + std::string(req.method_string()) + " " + std::string(path), version);
  }
  if (is_models) {
    if (method != bh::verb::get)
      return client_error(format, bh::status::method_not_allowed, errors::ErrorClass::bad_request, "use GET", version);
    return json_response(version, bh::status::ok, json::serialize(models_list(router, anthropic_client)));
  }
  if (method != bh::verb::post)
    return client_error(format, bh::status::method_not_allowed, errors::ErrorClass::bad_request, "use POST", version);
  return std::nullopt;  // a chat request: route it
}

http::Awaitable<void> Gateway::handle(http::Request& req, http::Responder& responder) const {
  const auto generation = generation_.load();  // this request finishes on the config it started with
  const auto& router = *generation->router;
  // Decided here, not in a coroutine: chat requests must not pay for an extra frame.
  const auto target = path_of(req.target());
  if ((target == "/metrics" && ops_.metrics) || target.starts_with("/admin/")) {
    co_await operate(req, responder, router);
    co_return;
  }
  // With Redis: responses stored by another instance are fetched before they are read here.
  if ((target.starts_with("/v1/responses") || target == "/responses") &&
      key_authorized(req, router.config().general) &&
      needs_shared_fetch(req, target, *responses_, router.state(), router.config().general))
    co_await fetch_shared(req, target, *responses_, router.state(), router.config().general);
  if (auto direct = answer_directly(req, router)) {
    co_await responder.send(std::move(*direct));
    co_return;
  }
  const auto started = std::chrono::steady_clock::now();
  auto format = target == "/v1/messages" || target == kCountTokensPath ? core::WireFormat::anthropic
                                                                        : core::WireFormat::openai;
  if (target == "/v1/responses" || target == "/responses") format = core::WireFormat::responses;
  RequestSummary summary;
  summary.method = std::string(req.method_string());
  summary.path = std::string(target);
  summary.client_format = format;
  const InFlightPlace place(chat_in_flight_, ops_.max_in_flight_requests);
  if (!place.taken()) {
    // Over the cap: refused at once (no routing, nothing held); SDKs retry a 429 after Retry-After.
    auto busy = client_error(format, bh::status::too_many_requests, errors::ErrorClass::rate_limit,
                             "switchyard: the gateway is handling its maximum of " +
                                 std::to_string(ops_.max_in_flight_requests) +
                                 " requests at once (max_in_flight_requests); retry shortly",
                             req.version());
    set_retry_after(busy, 1);
    summary.status = static_cast<int>(busy.result_int());
    summary.request_id = request_id_for(req);
    busy.set("x-request-id", summary.request_id);
    co_await responder.send(std::move(busy));
    observe(summary, generation->redact);
    co_return;
  }
  if (ops_.metrics) ops_.metrics->in_flight.fetch_add(1, std::memory_order_relaxed);
  co_await chat(format, req, responder, router, summary, generation->redact);
  if (ops_.metrics) ops_.metrics->in_flight.fetch_sub(1, std::memory_order_relaxed);
  const auto duration = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (summary.response_started != std::chrono::steady_clock::time_point{})
    summary.response_started_ms =
        std::chrono::duration<double, std::milli>(summary.response_started - started).count();
  summary.duration_ms = duration;
  observe(summary, generation->redact);
}

void Gateway::observe(const RequestSummary& summary, const Redactor& redact) const {
  if (ops_.request_log) ops_.request_log->write(summary, redact);
  if (ops_.metrics) {
    // The gateway's own share: everything but the upstream call, for requests answered by their
    // first attempt (retries add backoff waits, which are not overhead).
    std::optional<double> overhead;
    if (summary.failures.empty() && !summary.deployment.empty() && summary.response_started_ms > 0)
      overhead = std::max(0.0, summary.response_started_ms - summary.answer_latency_ms) / 1000;
    record_request(*ops_.metrics, summary, overhead);
  }
}

// /metrics (open, like the health endpoints: scrapers carry no keys) and /admin/* (master_key).
http::Awaitable<void> Gateway::operate(http::Request& req, http::Responder& responder, const router::Router& router) const {
  const auto path = path_of(req.target());
  const auto version = req.version();
  const auto method = req.method();
  if (path == "/metrics") {
    http::Response metrics{bh::status::ok, version};
    metrics.set(bh::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    metrics.body() = ops_.metrics->scrape([&router](std::string& out) { write_state_gauges(out, router); });
    co_await responder.send(std::move(metrics));
    co_return;
  }
  std::optional<http::Response> res;
  if (!master_key_presented(req, router.config().general)) {
    res = client_error(core::WireFormat::openai, bh::status::unauthorized, errors::ErrorClass::authentication,
                       "admin endpoints need the gateway's master_key", version);
  } else if (path == "/admin/deployments" && method == bh::verb::get) {
    res = json_response(version, bh::status::ok, json::serialize(deployments_view(router)));
  } else if (path == "/admin/cooldowns/clear" && method == bh::verb::post) {
    const auto cleared = clear_cooldowns(router);
    res = json_response(version, bh::status::ok, json::serialize(json::object{{"cleared", cleared}}));
  } else if (path == "/admin/reload" && method == bh::verb::post) {
    if (!ops_.reload) {
      res = client_error(core::WireFormat::openai, bh::status::not_found, errors::ErrorClass::not_found,
                         "reload is not available", version);
    } else {
      // Reading and validating the config is file I/O: it runs as a coroutine of the admin thread
      // and its result comes back to this one. (A post() to the admin executor and back did not
      // move the work: the resumption is dispatched to this coroutine's own executor, so the
      // reload ran on the I/O thread.)
      auto reloading = boost::asio::co_spawn(
          admin_pool_->get_executor(),
          [this]() -> boost::asio::awaitable<ReloadResult, boost::asio::thread_pool::executor_type> {
            co_return ops_.reload();
          },
          http::kUseAwaitable);
      const auto result = co_await std::move(reloading);
      json::array errors_list, warnings_list;
      for (const auto& e : result.errors) errors_list.push_back(json::string(e));
      for (const auto& w : result.warnings) warnings_list.push_back(json::string(w));
      json::object body{{"reloaded", result.ok}, {"summary", result.summary}, {"errors", std::move(errors_list)},
                        {"warnings", std::move(warnings_list)}};
      const auto status = result.ok ? bh::status::ok : bh::status::unprocessable_entity;
      res = json_response(version, status, json::serialize(body));
    }
  } else {
    res = client_error(core::WireFormat::openai, bh::status::not_found, errors::ErrorClass::not_found,
                       "no admin route for " + std::string(req.method_string()) + " " + std::string(path) +
                           " (GET /admin/deployments, POST /admin/cooldowns/clear, POST /admin/reload)",
                       version);
  }
  co_await responder.send(std::move(*res));
}

// Decodes and validates a chat body; an error response when it cannot be routed.
std::variant<core::ChatRequest, http::Response> Gateway::decode_chat(core::WireFormat format, const http::Request& req,
                                                                     const router::Router& router) const {
  const auto bad = [&](const std::string& message, bh::status status = bh::status::bad_request,
                       errors::ErrorClass cls = errors::ErrorClass::bad_request) {
    return client_error(format, status, cls, message, req.version());
  };
  boost::system::error_code ec;
  // One arena per request: the body's many small nodes cost one allocation, freed together.
  auto parsed = json::parse(req.body(), ec, json::make_shared_resource<json::monotonic_resource>());
  if (ec) return bad("request body is not valid JSON: " + ec.message());
  if (!parsed.is_object()) return bad("request body must be a JSON object");
  // Constructed from the parsed object, not assigned: assignment across memory resources would
  // deep-copy the body out of its arena.
  core::ChatRequest request{.format = format, .body = std::move(parsed.get_object()), .raw_body = req.body()};
  request.request_id = request_id_for(req);
  static constexpr std::array<std::string_view, 3> kFields = {"model", "messages", "stream"};
  const auto [model, messages, stream] = core::find_members(std::as_const(request.body), kFields);  // one walk
  if (!model || !model->is_string() || model->get_string().empty())
    return bad("'model' is required: the model group to route to");
  if (!messages || !messages->is_array()) return bad("'messages' is required and must be an array");
  request.model = std::string(model->get_string());
  if (stream && stream->is_bool()) request.stream = stream->get_bool();
  take_passing_controls(req, router.config().passing, request);
  if (path_of(req.target()) == kCountTokensPath) {
    request.operation = core::Operation::count_tokens;
    request.stream = false;
  }
  if (auto problem = take_litellm_controls(format, request.body, request.controls)) return bad(*problem);
  if (router.config().router.enable_tag_filtering) add_header_lines(req, request.controls);
  if (!router.has_group(request.model))
    return bad("model '" + request.model + "' is not a model group of this gateway (see /v1/models)",
               bh::status::not_found, errors::ErrorClass::not_found);
  return request;
}

http::Awaitable<void> Gateway::chat(core::WireFormat format, http::Request& req, http::Responder& responder,
                                    const router::Router& router, RequestSummary& summary,
                                    const Redactor& redact) const {
  // Constructed in place, never assigned: assigning a ChatRequest deep-copies its body out of
  // the parse arena.
  auto decoded = [&]() -> std::variant<core::ChatRequest, http::Response> {
    if (format == core::WireFormat::responses) return decode_responses_request(req, router, *responses_, request_id_for(req));
    if (is_embeddings_path(path_of(req.target()))) return decode_embeddings_request(req, router, request_id_for(req));
    return decode_chat(format, req, router);
  }();
  if (auto* refusal = std::get_if<http::Response>(&decoded)) {
    summary.status = static_cast<int>(refusal->result_int());
    summary.request_id = request_id_for(req);
    refusal->set("x-request-id", summary.request_id);
    co_await responder.send(std::move(*refusal));
    co_return;
  }
  const auto& request = std::get<core::ChatRequest>(decoded);
  summary.request_id = request.request_id;
  summary.model_group = request.model;
  summary.stream = request.stream;
  // The client key's rpm/tpm limits, across instances (key_limits.h); no keys, no coroutine.
  if (!router.config().general.keys.empty()) {
    auto key_check = enforce_key_limits(req, format, router);
    auto over_limit = co_await std::move(key_check);
    if (over_limit) {
      summary.status = static_cast<int>(over_limit->result_int());
      co_await responder.send(std::move(*over_limit));
      co_return;
    }
  }

  // A client that goes away while the routing runs cancels it (the upstream call's connection is
  // closed, a backoff wait ends) instead of the gateway finishing work nobody will read. The
  // cancelled routing ends with an exception or an outcome that no longer matters.
  std::optional<router::RouteOutcome> routed;
  {
    const auto watching = responder.watch_client();
    try {
      auto routing = router.route(request);
      routed.emplace(co_await std::move(routing));
    } catch (...) {
      if (!watching.client_gone()) throw;
    }
    if (watching.client_gone()) routed.reset();
  }
  if (!routed) {
    summary.status = kClientClosedRequest;
    responder.abandon();
    co_return;
  }
  auto& outcome = *routed;

  if (!outcome.response && !outcome.stream) {
    auto res = routing_failure(format, outcome, req.version(), redact);
    set_routing_headers(res, outcome);
    res.set("x-request-id", request.request_id);
    summarize(std::move(outcome), summary);
    summary.status = static_cast<int>(res.result_int());
    co_await responder.send(std::move(res));
    co_return;
  }
  summary.status = 200;
  if (outcome.stream) {
    co_await pump_stream(format, req, request, responder, router, outcome, summary, redact);
    summarize(std::move(outcome), summary);
    co_return;
  }
  auto& answer = *outcome.response;
  record_key_usage(req, router, answer.usage);
  if (format == core::WireFormat::responses) {
    store_response(*responses_, router.state(), request, answer.body);  // already Responses (responses_call)
  } else if (answer.format != format) {
    const auto& upstream_answer = providers::answer_object(answer);
    auto translated = format == core::WireFormat::openai ? providers::anthropic_response_to_openai(upstream_answer)
                                                         : providers::openai_response_to_anthropic(upstream_answer);
    providers::replace_answer_object(answer, std::move(translated));
    answer.format = format;
  }
  // Same format: the upstream's bytes as they came (validated and read for usage on the way).
  const std::string body = answer.wire.empty() || format == core::WireFormat::responses ? json::serialize(answer.body)
                                                                                        : std::move(answer.wire);
  HeaderLines fields;
  add_routing_headers(outcome, fields);
  summarize(std::move(outcome), summary);
  fields("x-request-id", request.request_id);
  fields("content-type", "application/json");
  if (const auto omitted = omitted_tools_header(request, outcome.deployment); !omitted.empty())
    fields("x-switchyard-omitted-tools", omitted);
  if (request.operation == core::Operation::count_tokens)
    fields("x-switchyard-token-count", answer.estimated ? "estimated" : "provider");
  summary.usage = answer.usage;
  summary.response_started = std::chrono::steady_clock::now();
  const auto status = bh::status::ok;
  const auto field_text = fields.text();
  co_await responder.send(status, field_text, body);
}

// Forwards a stream as it arrives: the prelude (up to the first content token) then each piece.
// A failure from here on cannot fall back (the client has content): the stream ends with an error
// event in the client's format and the failure counts against the deployment. A client that goes
// away ends the loop; dropping the stream closes the upstream connection.
http::Awaitable<void> Gateway::pump_stream(core::WireFormat format, const http::Request& req,
                                           const core::ChatRequest& request, http::Responder& responder,
                                           const router::Router& router, router::RouteOutcome& outcome,
                                           RequestSummary& summary, const Redactor& redact) const {
  http::Response head{bh::status::ok, req.version()};
  set_routing_headers(head, outcome);
  head.set("x-request-id", summary.request_id);
  head.set(bh::field::content_type, "text/event-stream");
  head.set(bh::field::cache_control, "no-cache");
  set_omitted_tools_header(head, request, outcome.deployment);
  auto& start = *outcome.stream;
  summary.response_started = std::chrono::steady_clock::now();
  // The head and the prelude (up to the first content token) in one write.
  bool client_there = co_await responder.start_stream(std::move(head.base()), start.prelude);
  auto& rest = *start.rest;
  std::string_view last_piece;  // the piece that ends a complete stream: sent with the last chunk
  while (client_there && !rest.finished() && !rest.failure()) {
    auto piece = co_await rest.next();
    if (rest.finished() && !rest.failure()) last_piece = piece.bytes;  // valid until the next next()
    else if (!piece.bytes.empty()) client_there = co_await responder.write_chunk(piece.bytes);
  }
  if (client_there && rest.failure()) {
    const auto c = router.report_stream_failure(*outcome.deployment, *rest.failure());
    const auto message = "switchyard: " + std::string(to_string(c.error_class)) + " from " + outcome.deployment->id +
                         " after the stream started: " + redact(c.message);
    const auto event = rest.failure_event(format, c.error_class, message);
    summary.stream_error = std::string(to_string(c.error_class));
    client_there = co_await responder.write_chunk(event);
  }
  summary.usage = rest.usage();
  router.report_stream_usage(*outcome.deployment, summary.usage);
  record_key_usage(req, router, summary.usage);
  if (format == core::WireFormat::responses)
    if (const auto* final_response = rest.final_response())
      store_response(*responses_, router.state(), request, *final_response);
  if (client_there) client_there = co_await responder.finish_stream(last_piece);
  else responder.close_after_response();
  if (!client_there) summary.status = kClientClosedRequest;
  if (rest.finished()) co_await rest.drain();
}

}  // namespace switchyard::api
