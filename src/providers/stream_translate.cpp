#include "providers/stream_translate.h"

#include <boost/json.hpp>
#include <cstring>
#include <initializer_list>
#include <optional>

#include "core/utf8.h"
#include "providers/features.h"
#include "providers/json_fields.h"
#include "providers/translate.h"
#include "providers/wire_errors.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::integer;
using json_fields::object_at;
using json_fields::str;

void read_openai_usage(const json::object& chunk, core::Usage& u) {
  if (const auto* usage = openai_usage_object(chunk)) u = usage_from(core::WireFormat::openai, *usage);
}

void read_anthropic_usage(const json::object& usage, core::Usage& u) {
  if (usage.contains("input_tokens"))
    u.input_tokens = integer(usage, "input_tokens") + integer(usage, "cache_read_input_tokens") +
                     integer(usage, "cache_creation_input_tokens");
  if (usage.contains("cache_read_input_tokens")) u.cached_tokens = integer(usage, "cache_read_input_tokens");
  if (usage.contains("cache_creation_input_tokens")) u.cache_creation_tokens = integer(usage, "cache_creation_input_tokens");
  if (usage.contains("output_tokens")) u.output_tokens = integer(usage, "output_tokens");
}

bool openai_chunk_has_content(const json::object& chunk) {
  const auto* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return false;
  for (const auto& c : choices->get_array()) {
    if (!c.is_object()) continue;
    const auto* delta = object_at(c.get_object(), "delta");
    if (!delta) continue;
    if (!str(*delta, "content").empty() || !str(*delta, "refusal").empty() || !openai_reasoning_text(*delta).empty())
      return true;
    if (const auto* blocks = delta->if_contains("thinking_blocks"); blocks && blocks->is_array() && !blocks->get_array().empty())
      return true;
    if (const auto* calls = delta->if_contains("tool_calls"); calls && calls->is_array() && !calls->get_array().empty())
      return true;
  }
  return false;
}

// ---- same format ------------------------------------------------------------------------------

// Same-format events are forwarded as they came. Their JSON is parsed only while it can tell
// the gateway something: until the first content token (which ends the held-back prelude), and
// afterwards only for an event that mentions a field the gateway reads (usage, an error, the end
// of an Anthropic stream). A `\u` escape could spell such a name, so it is parsed too. Any other
// event is only checked for valid UTF-8: what does not parse is forwarded as it came, but never as
// invalid UTF-8 (issue 11, 5c), so for valid bytes parsing would not change what is written.
// Whether `data` has a `\u` escape or one of `names` as a quoted string ("usage", ...): one
// memchr walk over the quotes (memmem per name cost more than the rest of the event's handling).
// Whether `data` has a `\u` escape (an escaped backslash is skipped with its escape). Bounded by
// find(): a backslash as the last byte must not send a scan past the end (found by fuzz_stream).
bool has_unicode_escape(std::string_view data) {
  for (auto i = data.find('\\'); i != std::string_view::npos; i = data.find('\\', i + 2))
    if (i + 1 < data.size() && data[i + 1] == 'u') return true;
  return false;
}

bool worth_parsing(const http::SseEvent& e, std::initializer_list<std::string_view> names) {
  const char* const end = e.data.data() + e.data.size();
  if (has_unicode_escape(e.data)) return true;
  for (const char* p = e.data.data(); (p = static_cast<const char*>(std::memchr(p, '"', end - p)));) {
    ++p;
    for (const auto name : names)
      if (static_cast<std::size_t>(end - p) > name.size() && *p == name.front() &&
          std::memcmp(p, name.data(), name.size()) == 0 && p[name.size()] == '"')
        return true;
  }
  return false;
}

// Before the first content token, whether an OpenAI chunk may say anything the gateway reads:
// content (a non-empty `content`, `refusal`, `reasoning_content`/`reasoning`, `thinking_blocks`,
// `tool_calls`), usage or an error. Conservative: it is parsed unless every such name it quotes
// is followed by an empty value ("", null, []) and "error" is not quoted at all (a chunk with an
// "error" key of any value is an error) and no `\u` escape could spell a name. The opening chunk
// (`"delta":{"role":"assistant","content":""}`) needs no parse: one DOM less before the first
// token reaches the client.
bool openai_chunk_may_matter(std::string_view data) {
  const char* const end = data.data() + data.size();
  if (has_unicode_escape(data)) return true;
  // Whether the quoted string at `p` is `name` and, unless it may be any value, an empty one.
  const auto quoted = [end](const char* p, std::string_view name) {
    return static_cast<std::size_t>(end - p) > name.size() && std::memcmp(p, name.data(), name.size()) == 0 &&
           p[name.size()] == '"';
  };
  const auto non_empty_value = [end](const char* v) {
    while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n' || *v == ':')) ++v;
    const auto rest = std::string_view(v, static_cast<std::size_t>(end - v));
    return !rest.starts_with("\"\"") && !rest.starts_with("null") && !rest.starts_with("[]");
  };
  const auto matters = [&](const char* p, std::string_view name) {
    return quoted(p, name) && non_empty_value(p + name.size() + 1);
  };
  for (const char* p = data.data(); (p = static_cast<const char*>(std::memchr(p, '"', end - p)));) {
    ++p;
    if (p == end) break;
    switch (*p) {  // one comparison per quote for most strings: names by their first letter
      case 'c':
        if (matters(p, "content")) return true;
        break;
      case 'r':
        if (matters(p, "refusal") || matters(p, "reasoning_content") || matters(p, "reasoning")) return true;
        break;
      case 't':
        if (matters(p, "thinking_blocks") || matters(p, "tool_calls")) return true;
        break;
      case 'u':
        if (matters(p, "usage")) return true;
        break;
      case 'e':
        if (quoted(p, "error")) return true;  // any value: a chunk with an "error" key is an error
        break;
      default:
        break;
    }
  }
  return false;
}

// An event's JSON, parsed into an arena on the translator's own buffer: a stream's parses need no
// heap allocation while an event's DOM fits the buffer. The arena is made anew for every event
// (a monotonic_resource only grows: rewound with release(), its next block size keeps doubling).
class EventParser {
 public:
  json::object* parse(std::string_view text) {
    value_.reset();  // its nodes live in the arena replaced next
    arena_.emplace(initial_, sizeof initial_);
    boost::system::error_code ec;
    value_.emplace(json::parse(text, ec, json::storage_ptr(&*arena_)));
    if (ec || !value_->is_object()) return nullptr;
    return &value_->get_object();
  }

 private:
  alignas(16) unsigned char initial_[4096];
  std::optional<json::monotonic_resource> arena_;
  std::optional<json::value> value_;  // declared after arena_: destroyed before it
};

void forward_unparsed(const http::SseEvent& e, TranslatedChunk& out) {
  if (core::is_valid_utf8(e.event) && core::is_valid_utf8(e.data)) http::append_sse(out.bytes, e.event, e.data);
  else http::append_sse(out.bytes, core::valid_utf8(e.event), core::valid_utf8(e.data));
}

// Whether a chunk may carry `delta.content` as a list of parts (Databricks' Claude reasoning).
bool may_have_content_parts(std::string_view data) {
  return data.find("\"content\":[") != std::string_view::npos || data.find("\"content\": [") != std::string_view::npos;
}

class OpenAiPassThrough final : public StreamTranslator {
 public:
  // `content_parts`: the upstream may stream delta.content as a list of parts (Databricks); such
  // chunks are reshaped (content string, reasoning_content, thinking_blocks), the rest pass.
  explicit OpenAiPassThrough(bool content_parts = false) : content_parts_(content_parts) {}

  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    if (e.data == "[DONE]") {
      out.bytes += "data: [DONE]\n\n";
      out.done = done_ = true;
      return;
    }
    json::object* chunk = nullptr;
    bool parsed = false;
    if (content_parts_ && may_have_content_parts(e.data)) {
      chunk = parser_.parse(e.data);
      parsed = true;
      if (chunk && normalize_delta_content_parts(*chunk)) {
        read_chunk(*chunk, out);
        http::append_sse(out.bytes, e.event, json::serialize(*chunk));
        return;
      }
    }
    if (content_seen_ ? !worth_parsing(e, {"usage", "error"}) : !openai_chunk_may_matter(e.data)) {
      forward_unparsed(e, out);
      return;
    }
    if (!parsed) chunk = parser_.parse(e.data);
    if (chunk && chunk->contains("error")) {
      out.error_body = e.data;
      return;
    }
    if (chunk) {
      read_chunk(*chunk, out);
      http::append_sse(out.bytes, e.event, e.data);  // parsed, so valid UTF-8
    } else {
      forward_unparsed(e, out);
    }
  }
  bool on_end(TranslatedChunk&) override { return done_; }

 private:
  // What the gateway reads from a parsed chunk: whether it holds content, and usage.
  void read_chunk(const json::object& chunk, TranslatedChunk& out) {
    const bool content = openai_chunk_has_content(chunk);
    content_seen_ = content_seen_ || content;
    out.content = out.content || content;
    read_openai_usage(chunk, usage_);
  }

  EventParser parser_;
  bool content_parts_;
  bool done_ = false;
  bool content_seen_ = false;  // from then on `out.content` is not reported (nobody needs it)
};

class AnthropicPassThrough final : public StreamTranslator {
 public:
  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    // Without parsing, the type is the event's name: "error" and "message_stop" need the parse.
    if (content_seen_ && e.event != "error" && e.event != "message_stop" &&
        !worth_parsing(e, {"usage", "error", "message_stop"})) {
      forward_unparsed(e, out);
      return;
    }
    const auto* msg = parser_.parse(e.data);
    const auto type = msg ? str(*msg, "type") : std::string_view(e.event);
    if (type == "error") {
      out.error_body = e.data;
      return;
    }
    if (msg && type == "message_start")
      if (const auto* m = object_at(*msg, "message"))
        if (const auto* u = object_at(*m, "usage")) read_anthropic_usage(*u, usage_);
    if (msg && type == "message_delta")
      if (const auto* u = object_at(*msg, "usage")) read_anthropic_usage(*u, usage_);
    if (type == "content_block_delta" || (type == "content_block_start" && msg && is_tool_start(*msg))) {
      out.content = true;
      content_seen_ = true;
    }
    if (msg) http::append_sse(out.bytes, e.event, e.data);  // parsed, so valid UTF-8
    else forward_unparsed(e, out);
    if (type == "message_stop") out.done = done_ = true;
  }
  bool on_end(TranslatedChunk&) override { return done_; }

 private:
  static bool is_tool_start(const json::object& msg) {
    const auto* block = object_at(msg, "content_block");
    return block && str(*block, "type") == "tool_use";
  }
  EventParser parser_;
  bool done_ = false;
  bool content_seen_ = false;  // from then on `out.content` is not reported (nobody needs it)
};

// ---- Anthropic upstream → OpenAI client -------------------------------------------------------

class AnthropicToOpenAi final : public StreamTranslator {
 public:
  explicit AnthropicToOpenAi(bool include_usage) : include_usage_(include_usage) {}

  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    const auto* msg = parser_.parse(e.data);
    if (!msg) return;
    const auto type = str(*msg, "type");
    if (type == "error") {
      out.error_body = e.data;
    } else if (type == "message_start") {
      if (const auto* m = object_at(*msg, "message")) {
        id_ = "chatcmpl-" + std::string(str(*m, "id"));
        model_ = std::string(str(*m, "model"));
        if (const auto* u = object_at(*m, "usage")) read_anthropic_usage(*u, usage_);
      }
      out.bytes += chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
    } else if (type == "content_block_start") {
      const auto* block = object_at(*msg, "content_block");
      json_block_ = block && str(*block, "type") == "tool_use" && str(*block, "name") == features::kJsonToolName;
      // Only a client tool's input streams as tool-call arguments: a server tool's
      // (server_tool_use: web search, code execution) ran at Anthropic, and its input must not
      // become a nameless OpenAI tool call.
      client_tool_block_ = block && str(*block, "type") == "tool_use" && !json_block_;
      if (json_block_) {
        json_mode_ = true;  // the answer to a response_format: its input streams as content
      } else if (block && str(*block, "type") == "redacted_thinking") {
        out.bytes += chunk({{"thinking_blocks", json::array{{{"type", "redacted_thinking"}, {"data", str(*block, "data")}}}}},
                           nullptr);
        out.content = true;
      } else if (block && str(*block, "type") == "tool_use") {
        ++tool_index_;
        json::object call{{"index", tool_index_},
                          {"id", str(*block, "id")},
                          {"type", "function"},
                          {"function", {{"name", str(*block, "name")}, {"arguments", ""}}}};
        out.bytes += chunk({{"tool_calls", json::array{call}}}, nullptr);
        out.content = true;
      }
    } else if (type == "content_block_delta") {
      const auto* delta = object_at(*msg, "delta");
      if (!delta) return;
      const auto dtype = str(*delta, "type");
      if (dtype == "text_delta") {
        out.bytes += chunk({{"content", str(*delta, "text")}}, nullptr);
        out.content = true;
      } else if (dtype == "thinking_delta") {
        // LiteLLM's streamed shape: the text as reasoning_content and as a thinking block.
        const auto thinking = str(*delta, "thinking");
        out.bytes += chunk({{"reasoning_content", thinking},
                            {"thinking_blocks", json::array{{{"type", "thinking"}, {"thinking", thinking}}}}},
                           nullptr);
        out.content = true;
      } else if (dtype == "signature_delta") {
        out.bytes += chunk({{"thinking_blocks", json::array{{{"type", "thinking"}, {"thinking", ""},
                                                             {"signature", str(*delta, "signature")}}}}},
                           nullptr);
      } else if (dtype == "input_json_delta" && json_block_) {
        out.bytes += chunk({{"content", str(*delta, "partial_json")}}, nullptr);
        out.content = true;
      } else if (dtype == "input_json_delta" && client_tool_block_) {
        json::object call{{"index", tool_index_}, {"function", {{"arguments", str(*delta, "partial_json")}}}};
        out.bytes += chunk({{"tool_calls", json::array{call}}}, nullptr);
        out.content = true;
      }
    } else if (type == "message_delta") {
      if (const auto* delta = object_at(*msg, "delta"))
        if (const auto stop = str(*delta, "stop_reason"); !stop.empty()) {
          finish_ = anthropic_stop_to_openai_finish(stop);
          if (json_mode_ && tool_index_ < 0 && finish_ == "tool_calls") finish_ = "stop";
        }
      if (const auto* u = object_at(*msg, "usage")) read_anthropic_usage(*u, usage_);
    } else if (type == "message_stop") {
      finish(out);
    }
  }

  bool on_end(TranslatedChunk&) override { return done_; }

 private:
  void finish(TranslatedChunk& out) {
    out.bytes += chunk(json::object{}, json::value(finish_));
    if (include_usage_) {
      json::object o = base();
      o["choices"] = json::array{};
      o["usage"] = openai_usage_from(usage_);
      out.bytes += "data: " + json::serialize(o) + "\n\n";
    }
    out.bytes += "data: [DONE]\n\n";
    out.done = done_ = true;
  }
  json::object base() const {
    return {{"id", id_}, {"object", "chat.completion.chunk"}, {"created", 0}, {"model", model_}};
  }
  std::string chunk(json::object delta, json::value finish_reason) const {
    json::object o = base();
    o["choices"] = json::array{{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", finish_reason}}};
    return "data: " + json::serialize(o) + "\n\n";
  }

  EventParser parser_;  // the event's DOM lives until the next event: nothing keeps a part of it
  bool include_usage_;
  std::string id_ = "chatcmpl-switchyard";
  std::string model_;
  std::string finish_ = "stop";
  std::int64_t tool_index_ = -1;
  bool json_block_ = false;  // the open block is the json_tool_call of a response_format
  bool client_tool_block_ = false;  // the open block is a (client) tool_use
  bool json_mode_ = false;
  bool done_ = false;
};

// ---- OpenAI upstream → Anthropic client -------------------------------------------------------

class OpenAiToAnthropic final : public StreamTranslator {
 public:
  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    if (e.data == "[DONE]") {
      finish(out);
      return;
    }
    auto* chunk = parser_.parse(e.data);
    if (!chunk) return;
    if (chunk->contains("error")) {
      out.error_body = e.data;
      return;
    }
    normalize_delta_content_parts(*chunk);  // Databricks' Claude: delta.content as a list of parts
    read_openai_usage(*chunk, usage_);
    if (!started_) start(*chunk, out);
    const auto* choices = chunk->if_contains("choices");
    if (!choices || !choices->is_array()) return;
    for (const auto& c : choices->get_array()) {
      if (!c.is_object()) continue;
      const auto& choice = c.get_object();
      if (const auto f = str(choice, "finish_reason"); !f.empty()) {
        stop_reason_ = openai_finish_to_anthropic_stop(f);
        stop_reason_set_ = true;
      }
      const auto* delta = object_at(choice, "delta");
      if (!delta) continue;
      thinking_delta(*delta, out);
      // A refusal (structured outputs) streams as `refusal` deltas: Anthropic has only text for it.
      for (const auto* field : {"content", "refusal"})
        if (const auto text = str(*delta, field); !text.empty()) {
          open_block("text", json::object{{"type", "text"}, {"text", ""}}, out);
          out.bytes += event("content_block_delta", {{"type", "content_block_delta"},
                                                     {"index", block_index_},
                                                     {"delta", {{"type", "text_delta"}, {"text", text}}}});
          out.content = true;
        }
      if (const auto* calls = delta->if_contains("tool_calls"); calls && calls->is_array())
        for (const auto& tc : calls->get_array()) tool_call_delta(tc, out);
    }
  }

  bool on_end(TranslatedChunk& out) override {
    // Some OpenAI-compatible servers end the body without `data: [DONE]`; a finish_reason seen
    // means the answer is complete.
    if (!done_ && stop_reason_set_) finish(out);
    return done_;
  }

 private:
  void start(const json::object& chunk, TranslatedChunk& out) {
    started_ = true;
    std::string id(str(chunk, "id"));
    json::object message{{"id", "msg_" + id},
                         {"type", "message"},
                         {"role", "assistant"},
                         {"model", str(chunk, "model")},
                         {"content", json::array{}},
                         {"stop_reason", nullptr},
                         {"stop_sequence", nullptr},
                         {"usage", {{"input_tokens", usage_.input_tokens}, {"output_tokens", 0}}}};
    out.bytes += event("message_start", {{"type", "message_start"}, {"message", std::move(message)}});
  }

  // reasoning_content / thinking_blocks deltas → a thinking block (thinking_delta, then the
  // signature_delta), or a redacted_thinking block.
  void thinking_delta(const json::object& delta, TranslatedChunk& out) {
    const auto* blocks = delta.if_contains("thinking_blocks");
    if (blocks && blocks->is_array() && !blocks->get_array().empty()) {
      for (const auto& bv : blocks->get_array()) {
        if (!bv.is_object()) continue;
        const auto& b = bv.get_object();
        if (str(b, "type") == "redacted_thinking") {
          open_block("redacted_thinking", json::object{{"type", "redacted_thinking"}, {"data", str(b, "data")}}, out, true);
          close_block(out);
          out.content = true;
          continue;
        }
        thinking_text(str(b, "thinking"), out);
        if (const auto signature = str(b, "signature"); !signature.empty()) {
          open_block("thinking", json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}, out);
          out.bytes += event("content_block_delta", {{"type", "content_block_delta"},
                                                     {"index", block_index_},
                                                     {"delta", {{"type", "signature_delta"}, {"signature", signature}}}});
        }
      }
      return;
    }
    thinking_text(openai_reasoning_text(delta), out);
  }

  void thinking_text(std::string_view text, TranslatedChunk& out) {
    if (text.empty()) return;
    open_block("thinking", json::object{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}, out);
    out.bytes += event("content_block_delta", {{"type", "content_block_delta"},
                                               {"index", block_index_},
                                               {"delta", {{"type", "thinking_delta"}, {"thinking", text}}}});
    out.content = true;
  }

  void tool_call_delta(const json::value& tc, TranslatedChunk& out) {
    if (!tc.is_object()) return;
    const auto& call = tc.get_object();
    const auto* fn = object_at(call, "function");
    if (const auto id = str(call, "id"); !id.empty()) {
      close_block(out);
      open_block("tool_use",
                 json::object{{"type", "tool_use"}, {"id", id}, {"name", fn ? str(*fn, "name") : ""}, {"input", json::object{}}},
                 out, /*force_new=*/true);
      out.content = true;
    }
    if (fn)
      if (const auto args = str(*fn, "arguments"); !args.empty() && open_type_ == "tool_use") {
        out.bytes += event("content_block_delta", {{"type", "content_block_delta"},
                                                   {"index", block_index_},
                                                   {"delta", {{"type", "input_json_delta"}, {"partial_json", args}}}});
        out.content = true;
      }
  }

  void open_block(std::string_view type, json::object block, TranslatedChunk& out, bool force_new = false) {
    if (open_type_ == type && !force_new) return;
    close_block(out);
    ++block_index_;
    open_type_ = std::string(type);
    out.bytes += event("content_block_start",
                       {{"type", "content_block_start"}, {"index", block_index_}, {"content_block", std::move(block)}});
  }

  void close_block(TranslatedChunk& out) {
    if (open_type_.empty()) return;
    out.bytes += event("content_block_stop", {{"type", "content_block_stop"}, {"index", block_index_}});
    open_type_.clear();
  }

  void finish(TranslatedChunk& out) {
    if (done_) return;
    if (!started_) start(json::object{}, out);
    close_block(out);
    out.bytes += event("message_delta", {{"type", "message_delta"},
                                         {"delta", {{"stop_reason", stop_reason_}, {"stop_sequence", nullptr}}},
                                         // OpenAI reports prompt tokens only at the end; Anthropic
                                         // SDKs take input_tokens from message_delta too.
                                         {"usage", anthropic_usage_from(usage_)}});
    out.bytes += event("message_stop", {{"type", "message_stop"}});
    out.done = done_ = true;
  }

  static std::string event(std::string_view type, const json::object& data) {
    return http::format_sse(type, json::serialize(data));
  }

  EventParser parser_;  // the event's DOM lives until the next event: nothing keeps a part of it
  bool started_ = false;
  bool done_ = false;
  std::string open_type_;
  std::int64_t block_index_ = -1;
  std::string stop_reason_ = "end_turn";
  bool stop_reason_set_ = false;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_stream_translator(core::WireFormat upstream, core::WireFormat client,
                                                         bool include_usage, bool content_parts) {
  using F = core::WireFormat;
  if (upstream == F::openai && client == F::openai) return std::make_unique<OpenAiPassThrough>(content_parts);
  if (upstream == F::anthropic && client == F::anthropic) return std::make_unique<AnthropicPassThrough>();
  if (upstream == F::anthropic) return std::make_unique<AnthropicToOpenAi>(include_usage);
  return std::make_unique<OpenAiToAnthropic>();
}

std::string stream_error_event(core::WireFormat client, errors::ErrorClass cls, std::string_view message) {
  const auto body = error_body(client, cls, message);
  return http::format_sse(client == core::WireFormat::anthropic ? "error" : "", body);
}

}  // namespace switchyard::providers
