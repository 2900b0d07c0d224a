#include "errors/error_fields.h"

#include <array>
#include <boost/json.hpp>

#include "core/text.h"
#include "core/utf8.h"
#include "errors/classifier.h"

namespace switchyard::errors {
namespace json = boost::json;
namespace {

constexpr std::size_t kMaxFieldBytes = 256;  // type/code/status/marker values are short names
constexpr std::size_t kMaxMarkers = 16;
constexpr int kMaxJsonDepth = 32;

std::string bounded(std::string_view s, std::size_t max) { return std::string(core::utf8_prefix(s, max)); }

std::string scalar_text(const json::value& v) {
  if (v.is_string()) return bounded(v.get_string(), kMaxFieldBytes);
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return json::serialize(v);  // a cast to an integer could overflow
  return {};
}

const json::value* field(const json::object& o, std::string_view key) { return o.if_contains(key); }

void set_if_empty(std::string& slot, const json::value* v, std::size_t max = kMaxFieldBytes) {
  if (!slot.empty() || v == nullptr) return;
  if (v->is_string()) slot = bounded(v->get_string(), max);
  else slot = scalar_text(*v);
}

void add_marker(ErrorFields& f, const json::value* v) {
  if (v != nullptr && v->is_string() && f.markers.size() < kMaxMarkers)
    f.markers.push_back(bounded(v->get_string(), kMaxFieldBytes));
}

// Google RPC `details`: ErrorInfo.reason, QuotaFailure.violations[].quotaId, Help links ignored.
void read_google_details(ErrorFields& f, const json::value* details) {
  if (details == nullptr || !details->is_array()) return;
  for (const auto& d : details->get_array()) {
    if (!d.is_object()) continue;
    const auto& o = d.get_object();
    add_marker(f, field(o, "reason"));
    if (const auto* delay = field(o, "retryDelay"); delay && delay->is_string() && f.retry_delay.empty())
      f.retry_delay = bounded(delay->get_string(), 32);
    if (const auto* violations = field(o, "violations"); violations && violations->is_array())
      for (const auto& v : violations->get_array())
        if (v.is_object()) {
          add_marker(f, field(v.get_object(), "quotaId"));
          add_marker(f, field(v.get_object(), "quotaMetric"));
        }
  }
}

void read_top_level(ErrorFields& f, const json::value& root, int depth);
bool try_parse(std::string_view text, json::value& out);

// Gateways relay the upstream provider's error as JSON text inside their own message: Databricks
// external models ({"error_code":"BAD_REQUEST","message":"{\"type\":\"error\",\"error\":{…}}"}),
// LiteLLM and SDK wrappers ("Error code: 400 - {…}"). When the text holds a JSON error with a
// type, code or message of its own, that inner error is what happened: its fields win, and later
// outer fields only fill what it left empty. Otherwise (plain text, or JSON that is not an error,
// like a guardrail verdict) nothing is taken from it.
// JSON that is an error report, not any object a message happens to quote (a content block
// {"type":"text",…} echoed in a validation message must not replace the outer type).
bool looks_like_error(const json::value& v) {
  const json::value* first = &v;
  if (v.is_array() && !v.get_array().empty()) first = &v.get_array().front();
  if (!first->is_object()) return false;
  const auto& o = first->get_object();
  if (o.contains("error") || o.contains("errors") || o.contains("error_code") || o.contains("__type")) return true;
  return o.contains("message") && (o.contains("type") || o.contains("code"));
}

// Responses API: {"type":"response.failed","response":{"error":{"code":…,"message":…}}}.
const json::object* failed_response_error(const json::value& v) {
  if (!v.is_object()) return nullptr;
  const auto* r = v.get_object().if_contains("response");
  if (!r || !r->is_object()) return nullptr;
  const auto* e = r->get_object().if_contains("error");
  return e && e->is_object() ? &e->get_object() : nullptr;
}
bool failed_response(const json::value& v) { return failed_response_error(v) != nullptr; }

bool read_relayed(ErrorFields& f, std::string_view text, int depth) {
  if (depth >= kMaxJsonDepth) return false;
  const auto open = text.find_first_of("{[");
  const auto close = text.find_last_of("}]");
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return false;
  json::value inner_root;
  if (!try_parse(text.substr(open, close - open + 1), inner_root) || !looks_like_error(inner_root)) return false;
  ErrorFields inner;
  read_top_level(inner, inner_root, depth + 1);
  if (inner.type.empty() && inner.code.empty() && inner.message.empty()) return false;
  if (!inner.type.empty()) f.type = std::move(inner.type);
  if (!inner.code.empty()) f.code = std::move(inner.code);
  if (!inner.status.empty()) f.status = std::move(inner.status);
  if (!inner.message.empty()) f.message = std::move(inner.message);
  for (auto& m : inner.markers)
    if (f.markers.size() < kMaxMarkers) f.markers.push_back(std::move(m));
  return true;
}

// The value after `'key': '` in a Python dict repr, as SDK wrappers print a relayed error:
// "Error code: 401 - {'error': {'message': '…', 'type': 'invalid_request_error', 'code': 'invalid_api_key'}}".
std::string_view python_repr_value(std::string_view text, std::string_view key) {
  std::string pattern = "'";
  pattern.append(key).append("': '");
  const auto at = text.find(pattern);
  if (at == std::string_view::npos) return {};
  const auto start = at + pattern.size();
  const auto end = text.find('\'', start);
  if (end == std::string_view::npos || end - start > kMaxFieldBytes) return {};
  return text.substr(start, end - start);
}

// Not JSON, but a Python repr of an error dict: its type and code are the relayed error's.
bool read_relayed_repr(ErrorFields& f, std::string_view text) {
  const auto error_object = text.find("'error': {");  // OpenAI's and Anthropic's inner error
  if (error_object == std::string_view::npos) return false;
  text.remove_prefix(error_object);
  const auto type = python_repr_value(text, "type");
  const auto code = python_repr_value(text, "code");
  if (type.empty() && code.empty()) return false;
  if (!type.empty() && type != "error") f.type = std::string(type);
  if (!code.empty()) f.code = std::string(code);
  return true;
}

// A `message` value: a relayed error inside it decides, else its text is the message.
void read_message(ErrorFields& f, const json::value* v, int depth) {
  if (!f.message.empty() || v == nullptr) return;
  if (v->is_string() && read_relayed(f, v->get_string(), depth)) return;
  set_if_empty(f.message, v, kMaxReportedMessageBytes);
  if (v->is_string()) read_relayed_repr(f, v->get_string());
}

// An `error` object: OpenAI/Azure/Anthropic/Google all nest their fields here.
void read_error_object(ErrorFields& f, const json::object& e, int depth) {
  read_message(f, field(e, "message"), depth);
  set_if_empty(f.message, field(e, "Message"), kMaxReportedMessageBytes);
  set_if_empty(f.type, field(e, "type"));
  set_if_empty(f.code, field(e, "code"));
  if (const auto* s = field(e, "status"); s && s->is_string()) set_if_empty(f.status, s);
  read_google_details(f, field(e, "details"));
  if (const auto* inner = field(e, "innererror"); inner && inner->is_object()) {
    add_marker(f, field(inner->get_object(), "code"));
    if (const auto* cfr = field(inner->get_object(), "content_filter_result"); cfr && f.markers.size() < kMaxMarkers)
      f.markers.emplace_back("content_filter_result");
  }
  // OpenRouter: {"error":{"message":"Provider returned error","code":429,"metadata":{"raw":"…"}}},
  // `raw` being what the provider behind it answered (JSON or text).
  if (const auto* meta = field(e, "metadata"); meta && meta->is_object())
    if (const auto* raw = field(meta->get_object(), "raw"); raw && raw->is_string() && !raw->get_string().empty()) {
      if (!read_relayed(f, raw->get_string(), depth) && f.message.size() < kMaxReportedMessageBytes)
        f.message = bounded(f.message + (f.message.empty() ? "" : ": ") + std::string(raw->get_string()),
                            kMaxReportedMessageBytes);
    }
  // Azure and some proxies wrap the real error one level deeper.
  if (depth < kMaxJsonDepth)
    if (const auto* nested = field(e, "error"); nested && nested->is_object())
      read_error_object(f, nested->get_object(), depth + 1);
}

void read_top_level(ErrorFields& f, const json::value& root, int depth) {
  if (depth > kMaxJsonDepth) return;
  if (root.is_array()) {
    // Gemini streams and batch endpoints wrap the error in a one-element array.
    const auto& a = root.get_array();
    if (!a.empty()) read_top_level(f, a.front(), depth + 1);
    return;
  }
  if (!root.is_object()) return;
  const auto& o = root.get_object();
  if (const auto* e = field(o, "error")) {
    if (e->is_object()) read_error_object(f, e->get_object(), depth + 1);
    else if (e->is_string()) read_message(f, e, depth + 1);  // Ollama; some proxies relay JSON here
  }
  if (const auto* e = failed_response_error(root)) read_error_object(f, *e, depth + 1);
  // {"errors":[{"message":…,"code":…}],"success":false} (Cloudflare, GraphQL-style APIs).
  if (const auto* errs = field(o, "errors"); errs && errs->is_array() && !errs->get_array().empty())
    if (const auto& first = errs->get_array().front(); first.is_object()) read_error_object(f, first.get_object(), depth + 1);
  // Databricks serving relays a custom model's error as {"error":"Received error from …",
  // "external_model_message":{"error_code":…,"message":…}}: the inner one is what happened.
  if (const auto* ext = field(o, "external_model_message"); ext && ext->is_object()) {
    ErrorFields inner;
    read_top_level(inner, *ext, depth + 1);
    if (!inner.type.empty() || !inner.code.empty()) {
      if (!inner.type.empty()) f.type = std::move(inner.type);
      if (!inner.code.empty()) f.code = std::move(inner.code);
      if (!inner.message.empty()) f.message = std::move(inner.message);
    }
  }
  // AWS: {"__type": "...#ValidationException", "message": "..."}; Databricks: {"error_code", "message"};
  // vLLM / Mistral: {"object":"error","type","code","message"}.
  if (const auto* t = field(o, "__type"); t && t->is_string() && f.type.empty())
    f.type = bounded(aws_short_error_type(t->get_string()), kMaxFieldBytes);
  set_if_empty(f.type, field(o, "error_code"));
  if (const auto* t = field(o, "type"); t && t->is_string() && t->get_string() != "error")
    set_if_empty(f.type, t);
  set_if_empty(f.code, field(o, "code"));
  read_message(f, field(o, "message"), depth);
  set_if_empty(f.message, field(o, "Message"), kMaxReportedMessageBytes);
  set_if_empty(f.message, field(o, "detail"), kMaxReportedMessageBytes);
  set_if_empty(f.message, field(o, "error_description"), kMaxReportedMessageBytes);
  if (const auto* d = field(o, "detail"); d && d->is_array() && f.message.empty())
    f.message = bounded(json::serialize(*d), kMaxReportedMessageBytes);  // FastAPI 422 bodies
  // Gemini reports a blocked prompt inside an otherwise successful body.
  if (const auto* pf = field(o, "promptFeedback"); pf && pf->is_object())
    if (const auto* br = field(pf->get_object(), "blockReason"); br && br->is_string()) {
      add_marker(f, br);
      if (f.type.empty()) f.type = "prompt_blocked";
    }
  // …and an answer its safety filters stopped before any content: a 200 whose only candidate has
  // a blocking finishReason and no parts (the Gemini dialect does not call it an answer).
  if (const auto* cs = field(o, "candidates"); cs && cs->is_array() && cs->get_array().size() == 1 && cs->get_array()[0].is_object()) {
    const auto& candidate = cs->get_array()[0].get_object();
    const auto* reason = field(candidate, "finishReason");
    const auto* content = field(candidate, "content");
    const auto* parts = content && content->is_object() ? field(content->get_object(), "parts") : nullptr;
    const bool empty = !parts || !parts->is_array() || parts->get_array().empty();
    if (reason && reason->is_string() && empty &&
        (reason->get_string() == "SAFETY" || reason->get_string() == "PROHIBITED_CONTENT" ||
         reason->get_string() == "BLOCKLIST")) {
      add_marker(f, reason);
      if (f.type.empty()) f.type = "response_blocked";
    }
  }
}

bool try_parse(std::string_view text, json::value& out) {
  if (text.size() > kMaxJsonParseBytes) return false;
  const auto t = core::trim(text);
  if (t.empty() || (t.front() != '{' && t.front() != '[')) return false;
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = kMaxJsonDepth;
  out = json::parse(t, ec, {}, opts);
  return !ec;
}

bool looks_like_sse(std::string_view t) {
  return t.starts_with("event:") || t.starts_with("data:") || t.starts_with(":") || t.starts_with("id:");
}

// Finds the first `data:` line of an event stream that carries an error and reads it.
bool read_sse_error(ErrorFields& f, std::string_view body) {
  body = body.substr(0, kMaxJsonParseBytes);
  std::size_t pos = 0;
  std::string_view event;  // the event name the next data line belongs to
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    auto line = core::trim(body.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) event = {};
    if (line.starts_with("event:")) event = core::trim(line.substr(6));
    if (!line.starts_with("data:")) continue;
    line = core::trim(line.substr(5));
    const bool error_event = event == "error" || event == "response.failed";
    if (!error_event && line.find("error") == std::string_view::npos) continue;
    json::value v;
    if (!try_parse(line, v)) continue;
    // Content that merely mentions "error" ({"type":"content_block_delta",…}) is not an error.
    if (!error_event && !looks_like_error(v) && !failed_response(v)) continue;
    ErrorFields candidate;
    read_top_level(candidate, v, 0);
    if (!candidate.type.empty() || !candidate.code.empty() || !candidate.message.empty()) {
      candidate.json = true;
      f = std::move(candidate);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view aws_short_error_type(std::string_view raw) {
  raw = core::trim(raw);
  if (const auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
  if (const auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
  return raw;
}

ErrorFields extract_error_fields(const UpstreamError& error) {
  ErrorFields f;
  const std::string_view body = error.body;
  const auto trimmed = core::trim(body.substr(0, kMaxJsonParseBytes + 64));
  json::value root;
  if (try_parse(body, root)) {
    f.json = true;
    read_top_level(f, root, 0);
  } else if (looks_like_sse(trimmed)) {
    read_sse_error(f, body);
  }
  if (f.type.empty())
    if (const auto aws = error.header("x-amzn-errortype"); !aws.empty())
      f.type = bounded(aws_short_error_type(aws), kMaxFieldBytes);
  if (f.message.empty()) f.message = bounded(core::trim(body.substr(0, kMaxMessageScanBytes)), kMaxMessageScanBytes);
  return f;
}

}  // namespace switchyard::errors
