#include "providers/translate.h"

#include "providers/json_fields.h"
#include "providers/turns.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::integer;
using json_fields::object_at;
using json_fields::str;

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
    if (type == "text") blocks.push_back({{"type", "text"}, {"text", str(p, "text")}});
    else if (type == "image_url") blocks.push_back(openai_image_to_anthropic(p));
  }
  return blocks;
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
  for (const auto& b : content->get_array()) {
    if (!b.is_object()) continue;
    const auto& block = b.get_object();
    const auto type = str(block, "type");
    if (type == "text") {
      parts.push_back({{"type", "text"}, {"text", str(block, "text")}});
    } else if (type == "image") {
      parts.push_back(anthropic_image_to_openai(block));
    } else if (type == "tool_use") {
      const auto* input = block.if_contains("input");
      tool_calls.push_back({{"id", str(block, "id")},
                            {"type", "function"},
                            {"function", {{"name", str(block, "name")},
                                          {"arguments", input ? json::serialize(*input) : std::string("{}")}}}});
    } else if (type == "tool_result") {
      // Tool results are separate `tool` messages in OpenAI's format.
      out.push_back({{"role", "tool"}, {"tool_call_id", str(block, "tool_use_id")}, {"content", tool_result_text(block)}});
    }
  }
  if (role == "assistant") {
    json::object msg{{"role", "assistant"}};
    std::string text;
    for (const auto& p : parts)
      if (str(p.as_object(), "type") == "text") text += str(p.as_object(), "text");
    msg["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!tool_calls.empty()) msg["tool_calls"] = std::move(tool_calls);
    out.push_back(std::move(msg));
  } else if (!parts.empty()) {
    out.push_back({{"role", role}, {"content", std::move(parts)}});
  }
}

}  // namespace

json::object openai_request_to_anthropic(const json::object& in) {
  json::object out;
  std::string system;
  json::array messages;
  if (const auto* msgs = in.if_contains("messages"); msgs && msgs->is_array()) {
    for (const auto& mv : msgs->get_array()) {
      if (!mv.is_object()) continue;
      const auto& m = mv.get_object();
      const auto role = str(m, "role");
      const auto* content = m.if_contains("content");
      if (role == "system" || role == "developer") {
        if (content) {
          if (!system.empty()) system += "\n";
          system += flatten_text(*content);
        }
      } else if (role == "tool") {
        json::array blocks;
        blocks.push_back({{"type", "tool_result"},
                          {"tool_use_id", str(m, "tool_call_id")},
                          {"content", content ? flatten_text(*content) : std::string()}});
        append_turn(messages, "user", std::move(blocks));
      } else if (role == "assistant") {
        json::array blocks = content ? openai_content_to_blocks(*content) : json::array{};
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
        append_turn(messages, "assistant", std::move(blocks));
      } else {
        append_turn(messages, "user", content ? openai_content_to_blocks(*content) : json::array{});
      }
    }
  }
  if (!system.empty()) out["system"] = system;
  out["messages"] = std::move(messages);
  std::int64_t max_tokens = integer(in, "max_completion_tokens");
  if (max_tokens <= 0) max_tokens = integer(in, "max_tokens");
  out["max_tokens"] = max_tokens > 0 ? max_tokens : kDefaultAnthropicMaxTokens;
  copy_if_present(in, "temperature", out, "temperature");
  copy_if_present(in, "top_p", out, "top_p");
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
      converted.push_back(std::move(tool));
    }
    out["tools"] = std::move(converted);
  }
  if (const auto* tc = in.if_contains("tool_choice")) out["tool_choice"] = openai_tool_choice_to_anthropic(*tc);
  if (const auto* user = in.if_contains("user"); user && user->is_string())
    out["metadata"] = {{"user_id", user->get_string()}};
  if (const auto* s = in.if_contains("stream"); s && s->is_bool()) out["stream"] = s->get_bool();
  return out;
}

json::object anthropic_request_to_openai(const json::object& in) {
  json::object out;
  json::array messages;
  if (const auto* system = in.if_contains("system")) {
    std::string text;
    if (system->is_string()) text = std::string(system->get_string());
    else if (system->is_array())
      for (const auto& b : system->get_array())
        if (b.is_object() && str(b.get_object(), "type") == "text") {
          if (!text.empty()) text += "\n";
          text += str(b.get_object(), "text");
        }
    if (!text.empty()) messages.push_back({{"role", "system"}, {"content", text}});
  }
  if (const auto* msgs = in.if_contains("messages"); msgs && msgs->is_array())
    for (const auto& m : msgs->get_array())
      if (m.is_object()) anthropic_message_to_openai(m.get_object(), messages);
  out["messages"] = std::move(messages);
  copy_if_present(in, "max_tokens", out, "max_tokens");
  copy_if_present(in, "temperature", out, "temperature");
  copy_if_present(in, "top_p", out, "top_p");
  copy_if_present(in, "stop_sequences", out, "stop");
  if (const auto* tools = in.if_contains("tools"); tools && tools->is_array()) {
    json::array converted;
    for (const auto& tv : tools->get_array()) {
      if (!tv.is_object()) continue;
      const auto& t = tv.get_object();
      json::object fn{{"name", str(t, "name")}};
      if (const auto* d = t.if_contains("description")) fn["description"] = *d;
      if (const auto* schema = t.if_contains("input_schema")) fn["parameters"] = *schema;
      converted.push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
    out["tools"] = std::move(converted);
  }
  if (const auto* tc = in.if_contains("tool_choice"); tc && tc->is_object()) {
    const auto type = str(tc->get_object(), "type");
    if (type == "any") out["tool_choice"] = "required";
    else if (type == "none") out["tool_choice"] = "none";
    else if (type == "tool") out["tool_choice"] = {{"type", "function"}, {"function", {{"name", str(tc->get_object(), "name")}}}};
    else out["tool_choice"] = "auto";
  }
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

json::object anthropic_response_to_openai(const json::object& m) {
  std::string text;
  json::array tool_calls;
  if (const auto* content = m.if_contains("content"); content && content->is_array())
    for (const auto& b : content->get_array()) {
      if (!b.is_object()) continue;
      const auto& block = b.get_object();
      const auto type = str(block, "type");
      if (type == "text") text += str(block, "text");
      else if (type == "tool_use") {
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
  const auto usage = usage_of(core::WireFormat::anthropic, m);
  json::object u{{"prompt_tokens", usage.input_tokens},
                 {"completion_tokens", usage.output_tokens},
                 {"total_tokens", usage.input_tokens + usage.output_tokens}};
  if (usage.cached_tokens > 0) u["prompt_tokens_details"] = {{"cached_tokens", usage.cached_tokens}};
  return {{"id", "chatcmpl-" + std::string(str(m, "id"))},
          {"object", "chat.completion"},
          {"created", 0},
          {"model", str(m, "model")},
          {"choices", json::array{{{"index", 0},
                                   {"message", std::move(message)},
                                   {"logprobs", nullptr},
                                   {"finish_reason", anthropic_stop_to_openai_finish(str(m, "stop_reason"))}}}},
          {"usage", std::move(u)}};
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
        if (const auto* text = m.if_contains("content"); text && !text->is_null()) {
          const auto t = flatten_text(*text);
          if (!t.empty()) content.push_back({{"type", "text"}, {"text", t}});
        }
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
  const auto usage = usage_of(core::WireFormat::openai, c);
  json::object u{{"input_tokens", usage.input_tokens - usage.cached_tokens}, {"output_tokens", usage.output_tokens}};
  if (usage.cached_tokens > 0) u["cache_read_input_tokens"] = usage.cached_tokens;
  std::string id(str(c, "id"));
  return {{"id", id.starts_with("msg_") ? id : "msg_" + id},
          {"type", "message"},
          {"role", "assistant"},
          {"model", str(c, "model")},
          {"content", std::move(content)},
          {"stop_reason", openai_finish_to_anthropic_stop(finish)},
          {"stop_sequence", nullptr},
          {"usage", std::move(u)}};
}

core::Usage usage_of(core::WireFormat format, const json::object& body) {
  core::Usage u;
  const auto* uv = body.if_contains("usage");
  if (!uv || !uv->is_object()) return u;
  const auto& usage = uv->get_object();
  if (format == core::WireFormat::anthropic) {
    const auto cache_read = integer(usage, "cache_read_input_tokens");
    u.input_tokens = integer(usage, "input_tokens") + cache_read + integer(usage, "cache_creation_input_tokens");
    u.output_tokens = integer(usage, "output_tokens");
    u.cached_tokens = cache_read;
  } else {
    u.input_tokens = integer(usage, "prompt_tokens");
    u.output_tokens = integer(usage, "completion_tokens");
    if (const auto* d = usage.if_contains("prompt_tokens_details"); d && d->is_object())
      u.cached_tokens = integer(d->get_object(), "cached_tokens");
  }
  return u;
}

}  // namespace switchyard::providers
