#include "mock/features.h"

#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "providers/aws/eventstream.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace es = providers::aws::eventstream;
namespace {

constexpr std::string_view kThought = "The user asked something; I will answer briefly.";
constexpr std::string_view kSignaturePrefix = "mock-sig-";
constexpr std::int64_t kThoughtWords = 9;

std::string signature(ReplyIds ids) { return std::string(kSignaturePrefix) + std::to_string(ids.sequence) + "-EqQBCgIYAhIM"; }

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::int64_t text_words(const json::value& v) {
  if (v.is_string()) return count_words(v.get_string());
  std::int64_t n = 0;
  if (v.is_object())
    for (const auto& [key, child] : v.get_object())
      if (key == "text" || key == "content" || key == "parts") n += text_words(child);
  if (v.is_array())
    for (const auto& child : v.get_array()) n += text_words(child);
  return n;
}

// The words of a request's text: system and messages (Anthropic and Converse alike).
std::int64_t request_words(const json::object& body) {
  std::int64_t n = 0;
  for (const auto* field : {"system", "messages"})
    if (const auto* v = body.if_contains(field)) n += text_words(*v);
  return n;
}

// Walks cacheable elements in the providers' cache order (tools, system, messages).
struct PrefixWalk {
  std::string key;
  std::int64_t words = 0;
  void add(const json::value& element) {
    key += json::serialize(element);
    words += text_words(element);
  }
};

const json::array* array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}

// Anthropic's rule with thinking on: the assistant turn in progress (the first assistant message
// after the last user message that is not only tool results) must start with a thinking block
// when it called tools. The real API's message, including its spelling.
std::string unsigned_tool_turn(const json::array& messages) {
  const auto only_tool_results = [](const json::object& m) {
    const auto* content = array_of(m, "content");
    return content && !content->empty() && std::all_of(content->begin(), content->end(), [](const json::value& b) {
             return b.is_object() && str(b.get_object(), "type") == "tool_result";
           });
  };
  std::size_t start = messages.size();
  for (std::size_t i = messages.size(); i-- > 0;) {
    if (!messages[i].is_object()) continue;
    const auto& m = messages[i].get_object();
    if (str(m, "role") == "user" && !only_tool_results(m)) break;
    if (str(m, "role") == "assistant") start = i;
  }
  if (start == messages.size()) return {};
  const auto* content = array_of(messages[start].get_object(), "content");
  if (!content || content->empty()) return {};
  const bool calls_tools = std::any_of(content->begin(), content->end(), [](const json::value& b) {
    return b.is_object() && str(b.get_object(), "type") == "tool_use";
  });
  const auto first = (*content)[0].is_object() ? str((*content)[0].get_object(), "type") : std::string_view{};
  if (!calls_tools || first == "thinking" || first == "redacted_thinking") return {};
  return "messages." + std::to_string(start) + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" +
         std::string(first) +
         "`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the "
         "lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous "
         "turns. To avoid this requirement, disable `thinking`. Please consult our documentation at "
         "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";
}

void anthropic_features(const json::object& body, RequestedFeatures& f) {
  if (const auto* t = body.if_contains("thinking"); t && t->is_object())
    f.thinking = str(t->get_object(), "type") == "enabled" || str(t->get_object(), "type") == "adaptive";
  PrefixWalk walk;
  const auto visit = [&](const json::value& element) {
    walk.add(element);
    if (element.is_object() && element.get_object().contains("cache_control")) {
      f.cached_prefix_key = walk.key;
      f.cached_prefix_words = walk.words;
    }
  };
  if (const auto* tools = array_of(body, "tools"))
    for (const auto& t : *tools) visit(t);
  if (const auto* system = array_of(body, "system"))
    for (const auto& b : *system) visit(b);
  if (const auto* messages = array_of(body, "messages"))
    for (std::size_t i = 0; i < messages->size(); ++i) {
      if (!(*messages)[i].is_object()) continue;
      const auto* content = array_of((*messages)[i].get_object(), "content");
      if (!content) continue;
      for (std::size_t j = 0; j < content->size(); ++j) {
        visit((*content)[j]);
        if (!(*content)[j].is_object()) continue;
        const auto& block = (*content)[j].get_object();
        if (str(block, "type") == "thinking" && !str(block, "signature").starts_with(kSignaturePrefix) &&
            f.invalid_thinking.empty())
          f.invalid_thinking = "messages." + std::to_string(i) + ".content." + std::to_string(j) +
                            ": Invalid `signature` in `thinking` block";
      }
    }
  if (const auto* messages = array_of(body, "messages"); messages && f.thinking && f.invalid_thinking.empty())
    f.invalid_thinking = unsigned_tool_turn(*messages);
}

void bedrock_features(const json::object& body, RequestedFeatures& f) {
  if (const auto* fields = body.if_contains("additionalModelRequestFields"); fields && fields->is_object())
    if (const auto* t = fields->get_object().if_contains("thinking"); t && t->is_object())
      f.thinking = str(t->get_object(), "type") == "enabled";
  PrefixWalk walk;
  const auto visit = [&](const json::value& element) {
    if (element.is_object() && element.get_object().contains("cachePoint")) {
      f.cached_prefix_key = walk.key;
      f.cached_prefix_words = walk.words;
      return;
    }
    walk.add(element);
  };
  if (const auto* config = body.if_contains("toolConfig"); config && config->is_object())
    if (const auto* tools = array_of(config->get_object(), "tools"))
      for (const auto& t : *tools) visit(t);
  if (const auto* system = array_of(body, "system"))
    for (const auto& b : *system) visit(b);
  if (const auto* messages = array_of(body, "messages"))
    for (std::size_t i = 0; i < messages->size(); ++i) {
      if (!(*messages)[i].is_object()) continue;
      const auto* content = array_of((*messages)[i].get_object(), "content");
      if (!content) continue;
      for (std::size_t j = 0; j < content->size(); ++j) {
        visit((*content)[j]);
        const auto* r = (*content)[j].is_object() ? (*content)[j].get_object().if_contains("reasoningContent") : nullptr;
        const auto* text = r && r->is_object() ? r->get_object().if_contains("reasoningText") : nullptr;
        if (text && text->is_object() && !str(text->get_object(), "signature").starts_with(kSignaturePrefix) &&
            f.invalid_thinking.empty())
          f.invalid_thinking = "The model returned the following errors: messages." + std::to_string(i) + ".content." +
                            std::to_string(j) + ": Invalid `signature` in `thinking` block";
      }
    }
}

void gemini_features(const json::object& body, RequestedFeatures& f) {
  if (const auto* config = body.if_contains("generationConfig"); config && config->is_object())
    if (const auto* t = config->get_object().if_contains("thinkingConfig"); t && t->is_object())
      if (const auto* include = t->get_object().if_contains("includeThoughts"); include && include->is_bool())
        f.thinking = include->get_bool();
}

// ---- Anthropic ---------------------------------------------------------------------------------

void anthropic_usage(json::object& usage, CacheUse cache) {
  if (cache.read == 0 && cache.written == 0) return;
  const auto input = usage.contains("input_tokens") ? usage["input_tokens"].to_number<std::int64_t>() : 0;
  usage["input_tokens"] = std::max<std::int64_t>(0, input - cache.read - cache.written);
  usage["cache_creation_input_tokens"] = cache.written;
  usage["cache_read_input_tokens"] = cache.read;
}

std::string sse_event(std::string_view type, const json::object& data) {
  return "event: " + std::string(type) + "\ndata: " + json::serialize(data) + "\n\n";
}

// The JSON of an SSE event's data line, and the event name.
std::optional<std::pair<std::string, json::object>> parse_sse(const std::string& text) {
  const auto data = text.find("data: ");
  if (data == std::string::npos) return std::nullopt;
  const auto end = text.find('\n', data);
  boost::system::error_code ec;
  auto v = json::parse(std::string_view(text).substr(data + 6, end - data - 6), ec);
  if (ec || !v.is_object()) return std::nullopt;
  std::string name;
  if (text.starts_with("event: ")) name = text.substr(7, text.find('\n') - 7);
  return std::make_pair(std::move(name), std::move(v.get_object()));
}

void decorate_anthropic_events(const RequestedFeatures& f, CacheUse cache, std::vector<StreamEvent>& events, ReplyIds ids) {
  std::vector<StreamEvent> out;
  for (auto& e : events) {
    auto parsed = parse_sse(e.text);
    if (!parsed) {
      out.push_back(std::move(e));
      continue;
    }
    auto& [name, data] = *parsed;
    if (name == "message_start") {
      if (auto* m = data.if_contains("message"); m && m->is_object())
        if (auto* u = m->get_object().if_contains("usage"); u && u->is_object()) anthropic_usage(u->get_object(), cache);
      out.push_back({sse_event(name, data), e.kind});
      if (f.thinking) {
        out.push_back({sse_event("content_block_start", {{"type", "content_block_start"}, {"index", 0},
                                                          {"content_block", {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}}),
                       EventKind::other});
        out.push_back({sse_event("content_block_delta", {{"type", "content_block_delta"}, {"index", 0},
                                                          {"delta", {{"type", "thinking_delta"}, {"thinking", kThought}}}}),
                       EventKind::content});
        out.push_back({sse_event("content_block_delta", {{"type", "content_block_delta"}, {"index", 0},
                                                          {"delta", {{"type", "signature_delta"}, {"signature", signature(ids)}}}}),
                       EventKind::other});
        out.push_back({sse_event("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}), EventKind::other});
      }
      continue;
    }
    if (f.thinking && data.contains("index") && data["index"].is_int64()) {
      data["index"] = data["index"].get_int64() + 1;
      out.push_back({sse_event(name, data), e.kind});
      continue;
    }
    out.push_back(std::move(e));
  }
  events = std::move(out);
}

// ---- Bedrock -----------------------------------------------------------------------------------

void bedrock_usage(json::object& usage, CacheUse cache) {
  if (cache.read == 0 && cache.written == 0) return;
  const auto input = usage.contains("inputTokens") ? usage["inputTokens"].to_number<std::int64_t>() : 0;
  usage["inputTokens"] = std::max<std::int64_t>(0, input - cache.read - cache.written);
  usage["cacheReadInputTokens"] = cache.read;
  usage["cacheWriteInputTokens"] = cache.written;
}

std::string bedrock_frame(std::string_view type, const json::object& payload) {
  return es::encode({{":event-type", std::string(type)},
                     {":content-type", std::string("application/json")},
                     {":message-type", std::string("event")}},
                    json::serialize(payload));
}

void decorate_bedrock_events(const RequestedFeatures& f, CacheUse cache, std::vector<StreamEvent>& events, ReplyIds ids) {
  std::vector<StreamEvent> out;
  for (auto& e : events) {
    es::Decoder decoder;
    decoder.feed(e.text);
    auto message = decoder.next();
    boost::system::error_code ec;
    auto payload = message ? json::parse(message->payload, ec) : json::value();
    if (!message || ec || !payload.is_object() || message->string_header(":message-type") != "event") {
      out.push_back(std::move(e));
      continue;
    }
    const std::string type(message->string_header(":event-type"));
    auto& p = payload.get_object();
    if (type == "metadata")
      if (auto* u = p.if_contains("usage"); u && u->is_object()) bedrock_usage(u->get_object(), cache);
    if (f.thinking && p.contains("contentBlockIndex") && p["contentBlockIndex"].is_int64())
      p["contentBlockIndex"] = p["contentBlockIndex"].get_int64() + 1;
    out.push_back({bedrock_frame(type, p), e.kind});
    if (type == "messageStart" && f.thinking) {
      out.push_back({bedrock_frame("contentBlockDelta", {{"contentBlockIndex", 0}, {"delta", {{"reasoningContent", {{"text", kThought}}}}}}),
                     EventKind::content});
      out.push_back({bedrock_frame("contentBlockDelta",
                                   {{"contentBlockIndex", 0}, {"delta", {{"reasoningContent", {{"signature", signature(ids)}}}}}}),
                     EventKind::other});
      out.push_back({bedrock_frame("contentBlockStop", {{"contentBlockIndex", 0}}), EventKind::other});
    }
  }
  events = std::move(out);
}

std::mutex cache_mutex;
std::unordered_set<std::string> cached_prefixes;  // guarded by cache_mutex

}  // namespace

// Whether the last message (OpenAI: a `tool` message; Anthropic: tool_result blocks; Converse:
// toolResult; Gemini: functionResponse parts) hands back tool results.
bool last_turn_has_tool_result(const json::object& body) {
  const auto* messages = array_of(body, "messages");
  if (!messages) messages = array_of(body, "contents");
  if (!messages || messages->empty() || !messages->back().is_object()) return false;
  const auto& last = messages->back().get_object();
  if (str(last, "role") == "tool") return true;
  const auto* blocks = array_of(last, "content");
  if (!blocks) blocks = array_of(last, "parts");
  if (!blocks) return false;
  for (const auto& b : *blocks)
    if (b.is_object() && (str(b.get_object(), "type") == "tool_result" || b.get_object().contains("toolResult") ||
                          b.get_object().contains("functionResponse")))
      return true;
  return false;
}

std::optional<RequestedFeatures> requested_features(WireFormat format, const json::object& body) {
  RequestedFeatures f;
  if (format == WireFormat::anthropic || format == WireFormat::vertex_anthropic) anthropic_features(body, f);
  else if (format == WireFormat::bedrock) bedrock_features(body, f);
  else if (format == WireFormat::gemini || format == WireFormat::vertex_gemini) gemini_features(body, f);
  f.answers_tool_result = last_turn_has_tool_result(body);
  return f;
}

CacheUse use_prompt_cache(const RequestedFeatures& f) {
  if (f.cached_prefix_key.empty()) return {};
  std::lock_guard lock(cache_mutex);
  if (cached_prefixes.insert(f.cached_prefix_key).second) return {0, f.cached_prefix_words};
  return {f.cached_prefix_words, 0};
}

std::string decorate_reply(WireFormat format, const RequestedFeatures& f, CacheUse cache, std::string body, ReplyIds ids) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return body;
  auto& o = v.get_object();
  if (format == WireFormat::anthropic || format == WireFormat::vertex_anthropic) {
    if (auto* u = o.if_contains("usage"); u && u->is_object()) anthropic_usage(u->get_object(), cache);
    if (auto* content = o.if_contains("content"); f.thinking && content && content->is_array()) {
      auto& blocks = content->get_array();
      blocks.insert(blocks.begin(), json::object{{"type", "thinking"}, {"thinking", kThought}, {"signature", signature(ids)}});
    }
  } else if (format == WireFormat::bedrock) {
    if (auto* u = o.if_contains("usage"); u && u->is_object()) bedrock_usage(u->get_object(), cache);
    if (auto* output = o.if_contains("output"); f.thinking && output && output->is_object())
      if (auto* m = output->get_object().if_contains("message"); m && m->is_object())
        if (auto* content = m->get_object().if_contains("content"); content && content->is_array()) {
          auto& blocks = content->get_array();
          blocks.insert(blocks.begin(), json::object{{"reasoningContent", {{"reasoningText", {{"text", kThought}, {"signature", signature(ids)}}}}}});
        }
  } else if (f.thinking && (format == WireFormat::gemini || format == WireFormat::vertex_gemini)) {  // Gemini: a thought part first, its tokens in thoughtsTokenCount
    if (auto* candidates = o.if_contains("candidates"); candidates && candidates->is_array() && !candidates->get_array().empty())
      if (auto* c = candidates->get_array()[0].if_object())
        if (auto* content = c->if_contains("content"); content && content->is_object())
          if (auto* parts = content->get_object().if_contains("parts"); parts && parts->is_array())
            parts->get_array().insert(parts->get_array().begin(), json::object{{"text", kThought}, {"thought", true}});
    if (auto* u = o.if_contains("usageMetadata"); u && u->is_object()) u->get_object()["thoughtsTokenCount"] = kThoughtWords;
  }
  return json::serialize(o);
}

std::optional<std::string> count_tokens_answer(WireFormat format, std::string_view body, std::string& error) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    error = "the request body is not a JSON object";
    return std::nullopt;
  }
  const auto& o = v.get_object();
  if (format == WireFormat::bedrock) {
    const auto* input = o.if_contains("input");
    const auto* converse = input && input->is_object() ? input->get_object().if_contains("converse") : nullptr;
    if (!converse || !converse->is_object()) {
      error = "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null";
      return std::nullopt;
    }
    return json::serialize(json::object{{"inputTokens", request_words(converse->get_object())}});
  }
  for (const auto* refused : {"max_tokens", "stream", "temperature"})
    if (o.contains(refused)) {
      error = std::string(refused) + ": Extra inputs are not permitted";
      return std::nullopt;
    }
  if (!o.contains("model") || !o.contains("messages")) {
    error = "model and messages: Field required";
    return std::nullopt;
  }
  return json::serialize(json::object{{"input_tokens", request_words(o)}});
}

void decorate_events(WireFormat format, const RequestedFeatures& f, CacheUse cache, std::vector<StreamEvent>& events,
                     ReplyIds ids) {
  if (format == WireFormat::anthropic || format == WireFormat::vertex_anthropic) {
    decorate_anthropic_events(f, cache, events, ids);
  } else if (format == WireFormat::bedrock) {
    decorate_bedrock_events(f, cache, events, ids);
  } else if (f.thinking && !events.empty() && (format == WireFormat::gemini || format == WireFormat::vertex_gemini)) {  // Gemini: a first event holding only the thought
    json::object thought{{"candidates", json::array{{{"content", {{"role", "model"},
                                                                  {"parts", json::array{{{"text", kThought}, {"thought", true}}}}}},
                                                     {"index", 0}}}}};
    events.insert(events.begin(), StreamEvent{"data: " + json::serialize(thought) + "\r\n\r\n", EventKind::content});
  }
}

}  // namespace switchyard::mock
