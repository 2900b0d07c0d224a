#include "providers/translate.h"

#include <optional>

#include "providers/features.h"
#include "providers/json_fields.h"
#include "providers/turns.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::array_at;
using json_fields::integer;
using json_fields::object_at;
using json_fields::str;

void copy_cache_control(const json::object& from, json::object& to) {
  if (features::has_cache_control(from)) to["cache_control"] = from.at("cache_control");
}

void copy_if_present(const json::object& from, std::string_view key, json::object& to, std::string_view as) {
  if (const auto* v = from.if_contains(key); v && !v->is_null()) to[as] = *v;
}

// Text of an OpenAI content value (string or array of parts), for places that take text only.
std::string flatten_text(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string out;
  if (content.is_array())
    for (const auto& part : content.get_array())
      if (part.is_object()) {
        const auto& p = part.get_object();
        if (str(p, "type") == "text") {
          if (!out.empty()) out += "\n";
          out += str(p, "text");
        }
      }
  return out;
}

json::value parse_arguments(std::string_view arguments) {
  boost::system::error_code ec;
  auto v = json::parse(arguments, ec);
  if (ec || !v.is_object()) return json::object{};  // Anthropic requires an object for tool input
  return v;
}

// ---- OpenAI → Anthropic ---------------------------------------------------------------------

json::object openai_image_to_anthropic(const json::object& part) {
  std::string_view url;
  if (const auto* iu = part.if_contains("image_url")) {
    if (iu->is_string()) url = iu->get_string();
    else if (iu->is_object()) url = str(iu->get_object(), "url");
  }
  json::object source;
  if (url.starts_with("data:")) {
    // data:image/png;base64,AAAA
    const auto semi = url.find(';');
    const auto comma = url.find(',');
    source["type"] = "base64";
    source["media_type"] = std::string(url.substr(5, semi == std::string_view::npos ? 0 : semi - 5));
    source["data"] = comma == std::string_view::npos ? std::string() : std::string(url.substr(comma + 1));
  } else {
    source["type"] = "url";
    source["url"] = std::string(url);
  }
  return {{"type", "image"}, {"source", std::move(source)}};
}

// OpenAI's file part {file: {file_data: "data:application/pdf;base64,…", filename}} → a document.
json::object openai_file_to_document(const json::object& part) {
  const auto* file = object_at(part, "file");
  if (!file) return {{"type", "text"}, {"text", ""}};
  json::object block{{"type", "document"}};
  const auto data = str(*file, "file_data");
  if (data.starts_with("data:")) {
    const auto semi = data.find(';');
    const auto comma = data.find(',');
    block["source"] = {{"type", "base64"},
                       {"media_type", data.substr(5, semi == std::string_view::npos ? 0 : semi - 5)},
                       {"data", comma == std::string_view::npos ? std::string_view() : data.substr(comma + 1)}};
  } else {
    block["source"] = {{"type", "file"}, {"file_id", str(*file, "file_id")}};
  }
  if (const auto name = str(*file, "filename"); !name.empty()) block["title"] = name;
  return block;
}

json::array openai_content_to_blocks(const json::value& content) {
  json::array blocks;
  if (content.is_string()) {
    if (!content.get_string().empty()) blocks.push_back({{"type", "text"}, {"text", content.get_string()}});
    return blocks;
  }
  if (!content.is_array()) return blocks;
  for (const auto& part : content.get_array()) {
    if (!part.is_object()) continue;
    const auto& p = part.get_object();
    const auto type = str(p, "type");
    json::object block;
    if (type == "text") block = {{"type", "text"}, {"text", str(p, "text")}};
    else if (type == "image_url") block = openai_image_to_anthropic(p);
    else if (type == "file") block = openai_file_to_document(p);
    else continue;
    copy_cache_control(p, block);
    blocks.push_back(std::move(block));
  }
  return blocks;
}

// LiteLLM's message-level cache_control marks the message's last block.
void apply_message_cache_control(const json::object& message, json::array& blocks) {
  if (features::has_cache_control(message) && !blocks.empty() && blocks.back().is_object())
    blocks.back().as_object()["cache_control"] = message.at("cache_control");
}

// The assistant's earlier thinking, sent back so a tool-using turn keeps its reasoning (the
// signed blocks only: features::is_signed_thinking_block).
void append_thinking_blocks(const json::object& message, json::array& blocks) {
  const auto* thinking = array_at(message, "thinking_blocks");
  if (!thinking) return;
  for (const auto& tv : *thinking) {
    if (!tv.is_object() || !features::is_signed_thinking_block(tv.get_object())) continue;
    const auto& t = tv.get_object();
    if (str(t, "type") == "redacted_thinking") blocks.push_back({{"type", "redacted_thinking"}, {"data", str(t, "data")}});
    else blocks.push_back({{"type", "thinking"}, {"thinking", str(t, "thinking")}, {"signature", str(t, "signature")}});
  }
}

json::value openai_tool_choice_to_anthropic(const json::value& choice) {
  if (choice.is_string()) {
    const auto c = choice.get_string();
    if (c == "required") return {{"type", "any"}};
    if (c == "none") return {{"type", "none"}};
    return {{"type", "auto"}};
  }
  if (choice.is_object())
    if (const auto* fn = choice.get_object().if_contains("function"); fn && fn->is_object())
      return {{"type", "tool"}, {"name", str(fn->get_object(), "name")}};
  return {{"type", "auto"}};
}

// ---- Anthropic → OpenAI ---------------------------------------------------------------------

json::object anthropic_image_to_openai(const json::object& block) {
  std::string url;
  if (const auto* s = block.if_contains("source"); s && s->is_object()) {
    const auto& src = s->get_object();
    if (str(src, "type") == "base64")
      url = "data:" + std::string(str(src, "media_type")) + ";base64," + std::string(str(src, "data"));
    else
      url = std::string(str(src, "url"));
  }
  return {{"type", "image_url"}, {"image_url", {{"url", url}}}};
}

std::string tool_result_text(const json::object& block) {
  const auto* c = block.if_contains("content");
  if (!c) return {};
  if (c->is_string()) return std::string(c->get_string());
  std::string out;
  if (c->is_array())
    for (const auto& part : c->get_array())
      if (part.is_object() && str(part.get_object(), "type") == "text") {
        if (!out.empty()) out += "\n";
        out += str(part.get_object(), "text");
      }
  return out;
}

// An Anthropic document block → OpenAI's file part (PDF and other base64 data), or text.
json::object anthropic_document_to_openai(const json::object& block) {
  const auto* source = object_at(block, "source");
  if (!source) return {{"type", "text"}, {"text", ""}};
  const auto type = str(*source, "type");
  if (type == "text") return {{"type", "text"}, {"text", str(*source, "data")}};
  json::object file;
  if (type == "base64")
    file["file_data"] = "data:" + std::string(str(*source, "media_type")) + ";base64," + std::string(str(*source, "data"));
  else if (type == "file")
    file["file_id"] = str(*source, "file_id");
  else
    file["file_data"] = str(*source, "url");
  if (const auto title = str(block, "title"); !title.empty()) file["filename"] = title;
  return {{"type", "file"}, {"file", std::move(file)}};
}

void anthropic_message_to_openai(const json::object& m, json::array& out) {
  const auto role = str(m, "role");
  const auto* content = m.if_contains("content");
  if (!content) return;
  if (content->is_string()) {
    out.push_back({{"role", role}, {"content", content->get_string()}});
    return;
  }
  if (!content->is_array()) return;
  json::array parts;
  json::array tool_calls;
  json::array thinking_blocks;
  std::string reasoning;
  bool cached = false;
  for (const auto& b : content->get_array()) {
    if (!b.is_object()) continue;
    const auto& block = b.get_object();
    const auto type = str(block, "type");
    json::object part;
    if (type == "text") {
      part = {{"type", "text"}, {"text", str(block, "text")}};
    } else if (type == "image") {
      part = anthropic_image_to_openai(block);
    } else if (type == "document") {
      part = anthropic_document_to_openai(block);
    } else if (type == "thinking") {
      reasoning += str(block, "thinking");
      thinking_blocks.push_back({{"type", "thinking"}, {"thinking", str(block, "thinking")}, {"signature", str(block, "signature")}});
    } else if (type == "redacted_thinking") {
      thinking_blocks.push_back({{"type", "redacted_thinking"}, {"data", str(block, "data")}});
    } else if (type == "tool_use") {
      const auto* input = block.if_contains("input");
      tool_calls.push_back({{"id", str(block, "id")},
                            {"type", "function"},
                            {"function", {{"name", str(block, "name")},
                                          {"arguments", input ? json::serialize(*input) : std::string("{}")}}}});
    } else if (type == "tool_result") {
      // Tool results are separate `tool` messages in OpenAI's format; a cache breakpoint on one
      // stays on its (then array) content.
      json::value result(tool_result_text(block));
      if (features::has_cache_control(block))
        result = json::array{{{"type", "text"}, {"text", result.get_string()}, {"cache_control", block.at("cache_control")}}};
      out.push_back({{"role", "tool"}, {"tool_call_id", str(block, "tool_use_id")}, {"content", std::move(result)}});
    }
    if (!part.empty()) {
      if (features::has_cache_control(block)) {
        part["cache_control"] = block.at("cache_control");
        cached = true;
      }
      parts.push_back(std::move(part));
    }
  }
  if (role == "assistant") {
    json::object msg{{"role", "assistant"}};
    std::string text;
    for (const auto& p : parts)
      if (str(p.as_object(), "type") == "text") text += str(p.as_object(), "text");
    if (cached) msg["content"] = std::move(parts);
    else msg["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!tool_calls.empty()) msg["tool_calls"] = std::move(tool_calls);
    if (!thinking_blocks.empty()) {
      msg["reasoning_content"] = reasoning;
      msg["thinking_blocks"] = std::move(thinking_blocks);
    }
    out.push_back(std::move(msg));
  } else if (!parts.empty()) {
    out.push_back({{"role", role}, {"content", std::move(parts)}});
  }
}

}  // namespace

namespace {

// System messages → Anthropic's system: a string, or blocks when any part carries cache_control.
json::value anthropic_system(const json::array& system_blocks) {
  bool cached = false;
  for (const auto& b : system_blocks) cached = cached || features::has_cache_control(b.as_object());
  if (cached) return system_blocks;
  std::string text;
  for (const auto& b : system_blocks) {
    if (!text.empty()) text += "\n";
    text += str(b.as_object(), "text");
  }
  return json::value(text);
}

// Thinking for an OpenAI client: LiteLLM's `thinking` param as given, else reasoning_effort as a
// budget (LiteLLM's defaults). Anthropic wants max_tokens above the budget: when the client's
// max_tokens leaves no room, the answer's share is added on top of the budget.
void add_thinking(const json::object& in, json::object& out) {
  if (const auto* thinking = object_at(in, "thinking")) {
    out["thinking"] = *thinking;
    return;
  }
  const auto budget = features::requested_thinking_budget(in);
  if (!budget) return;
  const auto b = std::max(*budget, features::kAnthropicMinThinkingBudget);
  out["thinking"] = {{"type", "enabled"}, {"budget_tokens", b}};
  if (const auto max_tokens = integer(out, "max_tokens"); max_tokens <= b) out["max_tokens"] = b + max_tokens;
}

// response_format → a forced tool whose input is the answer (LiteLLM's json_tool_call). With
// thinking on, Anthropic refuses a forced tool, so the choice stays auto.
void add_json_tool(const json::object& in, json::object& out) {
  auto schema = features::response_schema(in);
  if (!schema) return;
  json::array tools = out.contains("tools") ? out["tools"].as_array() : json::array{};
  tools.push_back({{"name", features::kJsonToolName},
                   {"description", "Respond with the answer as this tool's input, a JSON object."},
                   {"input_schema", std::move(*schema)}});
  out["tools"] = std::move(tools);
  if (out.contains("thinking")) out["tool_choice"] = {{"type", "auto"}};
  else out["tool_choice"] = {{"type", "tool"}, {"name", features::kJsonToolName}};
}

}  // namespace

json::object openai_request_to_anthropic(const json::object& in) {
  json::object out;
  json::array system;
  json::array messages;
  if (const auto* msgs = in.if_contains("messages"); msgs && msgs->is_array()) {
    for (const auto& mv : msgs->get_array()) {
      if (!mv.is_object()) continue;
      const auto& m = mv.get_object();
      const auto role = str(m, "role");
      const auto* content = m.if_contains("content");
      if (role == "system" || role == "developer") {
        if (!content) continue;
        auto blocks = openai_content_to_blocks(*content);
        apply_message_cache_control(m, blocks);
        for (auto& b : blocks)
          if (str(b.as_object(), "type") == "text") system.push_back(std::move(b));
      } else if (role == "tool") {
        json::object result{{"type", "tool_result"},
                            {"tool_use_id", str(m, "tool_call_id")},
                            {"content", content ? flatten_text(*content) : std::string()}};
        if (content && content->is_array())
          for (const auto& part : content->get_array())
            if (part.is_object()) copy_cache_control(part.get_object(), result);
        copy_cache_control(m, result);
        append_turn(messages, "user", json::array{std::move(result)});
      } else if (role == "assistant") {
        json::array blocks;
        append_thinking_blocks(m, blocks);
        if (content)
          for (auto& b : openai_content_to_blocks(*content)) blocks.push_back(std::move(b));
        if (const auto* calls = m.if_contains("tool_calls"); calls && calls->is_array())
          for (const auto& cv : calls->get_array()) {
            if (!cv.is_object()) continue;
            const auto& call = cv.get_object();
            const auto* fn = call.if_contains("function");
            if (!fn || !fn->is_object()) continue;
            blocks.push_back({{"type", "tool_use"},
                              {"id", str(call, "id")},
                              {"name", str(fn->get_object(), "name")},
                              {"input", parse_arguments(str(fn->get_object(), "arguments"))}});
          }
        apply_message_cache_control(m, blocks);
        append_turn(messages, "assistant", std::move(blocks));
      } else {
        auto blocks = content ? openai_content_to_blocks(*content) : json::array{};
        apply_message_cache_control(m, blocks);
        append_turn(messages, "user", std::move(blocks));
      }
    }
  }
  if (!system.empty()) out["system"] = anthropic_system(system);
  out["messages"] = std::move(messages);
  std::int64_t max_tokens = integer(in, "max_completion_tokens");
  if (max_tokens <= 0) max_tokens = integer(in, "max_tokens");
  out["max_tokens"] = max_tokens > 0 ? max_tokens : kDefaultAnthropicMaxTokens;
  copy_if_present(in, "temperature", out, "temperature");
  copy_if_present(in, "top_p", out, "top_p");
  copy_if_present(in, "top_k", out, "top_k");
  if (const auto* stop = in.if_contains("stop")) {
    if (stop->is_string()) out["stop_sequences"] = json::array{stop->get_string()};
    else if (stop->is_array()) out["stop_sequences"] = *stop;
  }
  if (const auto* tools = in.if_contains("tools"); tools && tools->is_array()) {
    json::array converted;
    for (const auto& tv : tools->get_array()) {
      if (!tv.is_object()) continue;
      const auto* fn = tv.get_object().if_contains("function");
      if (!fn || !fn->is_object()) continue;
      const auto& f = fn->get_object();
      json::object tool{{"name", str(f, "name")}};
      if (const auto* d = f.if_contains("description")) tool["description"] = *d;
      const auto* params = f.if_contains("parameters");
      tool["input_schema"] = params ? *params : json::value{{"type", "object"}, {"properties", json::object{}}};
      copy_cache_control(tv.get_object(), tool);
      converted.push_back(std::move(tool));
    }
    out["tools"] = std::move(converted);
  }
  if (const auto* tc = in.if_contains("tool_choice")) out["tool_choice"] = openai_tool_choice_to_anthropic(*tc);
  if (const auto* ptc = in.if_contains("parallel_tool_calls"); ptc && ptc->is_bool() && !ptc->get_bool() && out.contains("tools")) {
    if (!out.contains("tool_choice")) out["tool_choice"] = {{"type", "auto"}};
    out["tool_choice"].as_object()["disable_parallel_tool_use"] = true;
  }
  add_thinking(in, out);
  add_json_tool(in, out);
  if (const auto* user = in.if_contains("user"); user && user->is_string())
    out["metadata"] = {{"user_id", user->get_string()}};
  if (const auto* s = in.if_contains("stream"); s && s->is_bool()) out["stream"] = s->get_bool();
  return out;
}

namespace {

// Anthropic's system (a string or text blocks) → one system message; array content when a block
// carries cache_control.
void add_openai_system(const json::value& system, json::array& messages) {
  if (system.is_string()) {
    if (!system.get_string().empty()) messages.push_back({{"role", "system"}, {"content", system.get_string()}});
    return;
  }
  if (!system.is_array()) return;
  json::array parts;
  std::string text;
  bool cached = false;
  for (const auto& b : system.get_array()) {
    if (!b.is_object() || str(b.get_object(), "type") != "text") continue;
    json::object part{{"type", "text"}, {"text", str(b.get_object(), "text")}};
    if (features::has_cache_control(b.get_object())) {
      part["cache_control"] = b.get_object().at("cache_control");
      cached = true;
    }
    if (!text.empty()) text += "\n";
    text += str(b.get_object(), "text");
    parts.push_back(std::move(part));
  }
  if (cached) messages.push_back({{"role", "system"}, {"content", std::move(parts)}});
  else if (!text.empty()) messages.push_back({{"role", "system"}, {"content", text}});
}

// Anthropic structured outputs (output_format, or output_config.format) → response_format.
void add_response_format(const json::object& in, json::object& out) {
  const json::object* format = object_at(in, "output_format");
  if (!format)
    if (const auto* config = object_at(in, "output_config")) format = object_at(*config, "format");
  if (!format || str(*format, "type") != "json_schema") return;
  const auto* schema = format->if_contains("schema");
  out["response_format"] = {{"type", "json_schema"},
                            {"json_schema", {{"name", "response"},
                                             {"schema", schema ? *schema : json::value(json::object{{"type", "object"}})},
                                             {"strict", true}}}};
}

// thinking → the pivot keeps Anthropic's object (an exact budget for Claude elsewhere) and adds
// reasoning_effort for OpenAI models (LiteLLM's thresholds); output_config.effort wins.
void add_reasoning(const json::object& in, json::object& out) {
  const auto* thinking = object_at(in, "thinking");
  if (!thinking || str(*thinking, "type") == "disabled") return;
  out["thinking"] = *thinking;
  std::string_view effort;
  if (const auto* config = object_at(in, "output_config")) effort = str(*config, "effort");
  if (effort.empty()) effort = features::effort_for_budget(features::requested_thinking_budget(in).value_or(0));
  out["reasoning_effort"] = effort;
}

}  // namespace

json::object anthropic_request_to_openai(const json::object& in) {
  json::object out;
  json::array messages;
  if (const auto* system = in.if_contains("system")) add_openai_system(*system, messages);
  if (const auto* msgs = in.if_contains("messages"); msgs && msgs->is_array())
    for (const auto& m : msgs->get_array())
      if (m.is_object()) anthropic_message_to_openai(m.get_object(), messages);
  out["messages"] = std::move(messages);
  copy_if_present(in, "max_tokens", out, "max_tokens");
  copy_if_present(in, "temperature", out, "temperature");
  copy_if_present(in, "top_p", out, "top_p");
  copy_if_present(in, "top_k", out, "top_k");
  copy_if_present(in, "stop_sequences", out, "stop");
  if (const auto* tools = in.if_contains("tools"); tools && tools->is_array()) {
    json::array converted;
    for (const auto& tv : tools->get_array()) {
      if (!tv.is_object()) continue;
      const auto& t = tv.get_object();
      if (const auto type = str(t, "type"); !type.empty() && type != "custom") continue;  // server tools: see param_support
      json::object fn{{"name", str(t, "name")}};
      if (const auto* d = t.if_contains("description")) fn["description"] = *d;
      if (const auto* schema = t.if_contains("input_schema")) fn["parameters"] = *schema;
      json::object tool{{"type", "function"}, {"function", std::move(fn)}};
      copy_cache_control(t, tool);
      converted.push_back(std::move(tool));
    }
    out["tools"] = std::move(converted);
  }
  if (const auto* tc = in.if_contains("tool_choice"); tc && tc->is_object()) {
    const auto& choice = tc->get_object();
    const auto type = str(choice, "type");
    if (type == "any") out["tool_choice"] = "required";
    else if (type == "none") out["tool_choice"] = "none";
    else if (type == "tool") out["tool_choice"] = {{"type", "function"}, {"function", {{"name", str(choice, "name")}}}};
    else out["tool_choice"] = "auto";
    if (const auto* dp = choice.if_contains("disable_parallel_tool_use"); dp && dp->is_bool() && dp->get_bool())
      out["parallel_tool_calls"] = false;
  }
  add_reasoning(in, out);
  add_response_format(in, out);
  if (const auto* md = in.if_contains("metadata"); md && md->is_object())
    if (const auto uid = str(md->get_object(), "user_id"); !uid.empty()) out["user"] = uid;
  if (const auto* s = in.if_contains("stream"); s && s->is_bool() && s->get_bool()) {
    out["stream"] = true;
    out["stream_options"] = {{"include_usage", true}};
  }
  return out;
}

std::string anthropic_stop_to_openai_finish(std::string_view stop) {
  if (stop == "max_tokens") return "length";
  if (stop == "tool_use") return "tool_calls";
  if (stop == "refusal") return "content_filter";
  return "stop";  // end_turn, stop_sequence, pause_turn
}

std::string openai_finish_to_anthropic_stop(std::string_view finish) {
  if (finish == "length") return "max_tokens";
  if (finish == "tool_calls" || finish == "function_call") return "tool_use";
  if (finish == "content_filter") return "refusal";
  return "end_turn";
}

json::object openai_usage_from(const core::Usage& usage) {
  json::object u{{"prompt_tokens", usage.input_tokens},
                 {"completion_tokens", usage.output_tokens},
                 {"total_tokens", usage.input_tokens + usage.output_tokens}};
  if (usage.cached_tokens > 0 || usage.cache_creation_tokens > 0) {
    u["prompt_tokens_details"] = {{"cached_tokens", usage.cached_tokens}};
    // LiteLLM's names, so an Anthropic client behind the pivot gets both figures back.
    u["cache_read_input_tokens"] = usage.cached_tokens;
    u["cache_creation_input_tokens"] = usage.cache_creation_tokens;
  }
  return u;
}

json::object anthropic_usage_from(const core::Usage& usage) {
  json::object u{{"input_tokens", usage.input_tokens - usage.cached_tokens - usage.cache_creation_tokens},
                 {"output_tokens", usage.output_tokens}};
  if (usage.cached_tokens > 0 || usage.cache_creation_tokens > 0) {
    u["cache_read_input_tokens"] = usage.cached_tokens;
    u["cache_creation_input_tokens"] = usage.cache_creation_tokens;
  }
  return u;
}

json::object anthropic_response_to_openai(const json::object& m) {
  std::string text;
  std::string reasoning;
  json::array tool_calls;
  json::array thinking_blocks;
  json::array citations;
  bool json_tool = false;  // the answer to a response_format, forced through json_tool_call
  if (const auto* content = m.if_contains("content"); content && content->is_array())
    for (const auto& b : content->get_array()) {
      if (!b.is_object()) continue;
      const auto& block = b.get_object();
      const auto type = str(block, "type");
      if (type == "text") {
        text += str(block, "text");
        if (const auto* c = array_at(block, "citations"))
          for (const auto& citation : *c) citations.push_back(citation);
      } else if (type == "thinking") {
        reasoning += str(block, "thinking");
        thinking_blocks.push_back({{"type", "thinking"}, {"thinking", str(block, "thinking")}, {"signature", str(block, "signature")}});
      } else if (type == "redacted_thinking") {
        thinking_blocks.push_back({{"type", "redacted_thinking"}, {"data", str(block, "data")}});
      } else if (type == "tool_use" && str(block, "name") == features::kJsonToolName) {
        const auto* input = block.if_contains("input");
        text += input ? json::serialize(*input) : std::string("{}");
        json_tool = true;
      } else if (type == "tool_use") {
        const auto* input = block.if_contains("input");
        tool_calls.push_back({{"id", str(block, "id")},
                              {"type", "function"},
                              {"function", {{"name", str(block, "name")},
                                            {"arguments", input ? json::serialize(*input) : std::string("{}")}}}});
      }
    }
  json::object message{{"role", "assistant"}};
  message["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
  if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
  if (!thinking_blocks.empty()) {
    message["reasoning_content"] = reasoning;
    message["thinking_blocks"] = std::move(thinking_blocks);
  }
  if (!citations.empty()) message["provider_specific_fields"] = {{"citations", std::move(citations)}};
  auto finish = anthropic_stop_to_openai_finish(str(m, "stop_reason"));
  if (json_tool && tool_calls.empty() && finish == "tool_calls") finish = "stop";
  return {{"id", "chatcmpl-" + std::string(str(m, "id"))},
          {"object", "chat.completion"},
          {"created", 0},
          {"model", str(m, "model")},
          {"choices", json::array{{{"index", 0},
                                   {"message", std::move(message)},
                                   {"logprobs", nullptr},
                                   {"finish_reason", finish}}}},
          {"usage", openai_usage_from(usage_of(core::WireFormat::anthropic, m))}};
}

json::object openai_response_to_anthropic(const json::object& c) {
  json::array content;
  std::string_view finish;
  if (const auto* choices = c.if_contains("choices"); choices && choices->is_array() && !choices->get_array().empty()) {
    const auto& first = choices->get_array().front();
    if (first.is_object()) {
      finish = str(first.get_object(), "finish_reason");
      if (const auto* msg = first.get_object().if_contains("message"); msg && msg->is_object()) {
        const auto& m = msg->get_object();
        if (const auto* blocks = array_at(m, "thinking_blocks"); blocks && !blocks->empty()) {
          for (const auto& tb : *blocks) {
            if (!tb.is_object() || !features::is_thinking_block(tb.get_object())) continue;
            auto block = tb.get_object();
            // Anthropic's thinking blocks always carry a signature; a model that signs nothing gives "".
            if (str(block, "type") == "thinking" && !block.contains("signature")) block["signature"] = "";
            content.push_back(std::move(block));
          }
        } else if (const auto reasoning = openai_reasoning_text(m); !reasoning.empty()) {
          content.push_back({{"type", "thinking"}, {"thinking", reasoning}, {"signature", ""}});
        }
        if (const auto* text = m.if_contains("content"); text && !text->is_null()) {
          const auto t = flatten_text(*text);
          if (!t.empty()) content.push_back({{"type", "text"}, {"text", t}});
        }
        // OpenAI's refusal (structured outputs) has no Anthropic field: it is the answer's text.
        if (const auto refusal = str(m, "refusal"); !refusal.empty()) content.push_back({{"type", "text"}, {"text", refusal}});
        if (const auto* calls = m.if_contains("tool_calls"); calls && calls->is_array())
          for (const auto& cv : calls->get_array()) {
            if (!cv.is_object()) continue;
            const auto* fn = cv.get_object().if_contains("function");
            if (!fn || !fn->is_object()) continue;
            content.push_back({{"type", "tool_use"},
                               {"id", str(cv.get_object(), "id")},
                               {"name", str(fn->get_object(), "name")},
                               {"input", parse_arguments(str(fn->get_object(), "arguments"))}});
          }
      }
    }
  }
  std::string id(str(c, "id"));
  return {{"id", id.starts_with("msg_") ? id : "msg_" + id},
          {"type", "message"},
          {"role", "assistant"},
          {"model", str(c, "model")},
          {"content", std::move(content)},
          {"stop_reason", openai_finish_to_anthropic_stop(finish)},
          {"stop_sequence", nullptr},
          {"usage", anthropic_usage_from(usage_of(core::WireFormat::openai, c))}};
}

namespace {
// One content part of an answer's list (Databricks, Mistral) into text, reasoning and thinking blocks.
void read_answer_part(const json::object& part, std::string& text, std::string& reasoning, json::array& blocks) {
  const auto type = str(part, "type");
  if (type == "text") {
    text += str(part, "text");
  } else if (type == "reasoning") {  // Databricks: {type: reasoning, summary: [{summary_text | summary_encrypted_text}]}
    if (const auto* summary = array_at(part, "summary"))
      for (const auto& sv : *summary) {
        if (!sv.is_object()) continue;
        const auto& s = sv.get_object();
        if (str(s, "type") == "summary_encrypted_text") {
          blocks.push_back({{"type", "redacted_thinking"}, {"data", str(s, "data")}});
          continue;
        }
        reasoning += str(s, "text");
        blocks.push_back({{"type", "thinking"}, {"thinking", str(s, "text")}, {"signature", str(s, "signature")}});
      }
  } else if (type == "thinking") {  // Mistral: {type: thinking, thinking: [{type: text, text}]}
    std::string thought;
    if (const auto* pieces = array_at(part, "thinking")) {
      for (const auto& piece : *pieces)
        if (piece.is_object()) thought += str(piece.get_object(), "text");
    } else {
      thought = str(part, "thinking");
    }
    reasoning += thought;
    blocks.push_back({{"type", "thinking"}, {"thinking", thought}});
  }
}

// A message's or delta's content when it is a list of parts, read into the pivot's pieces.
struct ContentParts {
  std::string text, reasoning;
  json::array blocks;
};
std::optional<ContentParts> content_parts(const json::object& m) {
  const auto* content = array_at(m, "content");
  if (!content) return std::nullopt;
  ContentParts parts{{}, {}, json::array(m.storage())};
  for (const auto& part : *content)
    if (part.is_object()) read_answer_part(part.get_object(), parts.text, parts.reasoning, parts.blocks);
  return parts;
}

// `f` on each choice's `field` object (message or delta); true when `f` returned true for any.
template <typename F>
bool for_each_choice(json::object& body, std::string_view field, F&& f) {
  auto* choices = body.if_contains("choices");
  if (!choices || !choices->is_array()) return false;
  bool any = false;
  for (auto& cv : choices->get_array()) {
    auto* v = cv.is_object() ? cv.get_object().if_contains(field) : nullptr;
    if (v && v->is_object() && f(v->get_object())) any = true;
  }
  return any;
}
}  // namespace

void normalize_answer_content_parts(json::object& answer) {
  for_each_choice(answer, "message", [](json::object& m) {
    auto parts = content_parts(m);
    if (!parts) return false;
    const bool has_calls = array_at(m, "tool_calls") && !array_at(m, "tool_calls")->empty();
    m["content"] = parts->text.empty() && has_calls ? json::value(nullptr) : json::value(parts->text);
    if (!parts->blocks.empty() && !m.contains("thinking_blocks")) {
      if (!m.contains("reasoning_content")) m["reasoning_content"] = parts->reasoning;
      m["thinking_blocks"] = std::move(parts->blocks);
    }
    return true;
  });
}

std::string_view openai_reasoning_text(const json::object& m) {
  if (const auto text = str(m, "reasoning_content"); !text.empty()) return text;
  return str(m, "reasoning");
}

bool normalize_delta_content_parts(json::object& chunk) {
  return for_each_choice(chunk, "delta", [](json::object& d) {
    auto parts = content_parts(d);
    if (!parts) return false;
    d["content"] = parts->text;
    if (!parts->blocks.empty()) {
      d["reasoning_content"] = parts->reasoning;
      d["thinking_blocks"] = std::move(parts->blocks);
    }
    return true;
  });
}

const json::object* openai_usage_object(const json::object& body) {
  if (const auto* usage = object_at(body, "usage")) return usage;
  const auto* choices = array_at(body, "choices");
  if (!choices) return nullptr;
  for (const auto& c : *choices)
    if (c.is_object())
      if (const auto* usage = object_at(c.get_object(), "usage")) return usage;
  return nullptr;
}

core::Usage usage_of(core::WireFormat format, const json::object& body) {
  const auto* usage = object_at(body, "usage");
  return usage ? usage_from(format, *usage) : core::Usage{};
}

core::Usage usage_from(core::WireFormat format, const json::object& usage) {
  core::Usage u;
  if (format == core::WireFormat::anthropic) {
    const auto cache_read = integer(usage, "cache_read_input_tokens");
    u.cache_creation_tokens = integer(usage, "cache_creation_input_tokens");
    u.input_tokens = integer(usage, "input_tokens") + cache_read + u.cache_creation_tokens;
    u.output_tokens = integer(usage, "output_tokens");
    u.cached_tokens = cache_read;
  } else {
    u.input_tokens = integer(usage, "prompt_tokens");
    u.output_tokens = integer(usage, "completion_tokens");
    if (const auto* d = usage.if_contains("prompt_tokens_details"); d && d->is_object())
      u.cached_tokens = integer(d->get_object(), "cached_tokens");
    u.cache_creation_tokens = integer(usage, "cache_creation_input_tokens");
  }
  return u;
}

}  // namespace switchyard::providers
