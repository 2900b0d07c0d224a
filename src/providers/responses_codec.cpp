#include "providers/responses_codec.h"

#include <array>
#include <utility>

#include "http/sse.h"
#include "providers/json_fields.h"
#include "providers/translate.h"
#include "providers/wire_errors.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::array_at;
using json_fields::integer;
using json_fields::object_at;
using json_fields::parse_object;
using json_fields::str;

// Request fields with no chat equivalent whose presence changes what the client gets: refused.
struct UnsupportedField {
  std::string_view name;
  std::string_view why;
};
constexpr std::array kRefusedFields{
    UnsupportedField{"background", "background mode needs OpenAI's servers"},
    UnsupportedField{"conversation", "OpenAI conversation objects live on OpenAI's servers"},
    UnsupportedField{"prompt", "reusable prompt templates live on OpenAI's servers"},
    UnsupportedField{"top_logprobs", "log probabilities are not carried through the pivot"},
    UnsupportedField{"max_tool_calls", "max_tool_calls has no chat completions equivalent"},
};

// Fields that only tune OpenAI's own serving (caching, routing, tracing): no effect elsewhere.
// They are accepted and not forwarded: prompt_cache_key, safety_identifier, service_tier,
// client_metadata, metadata (echoed), store and previous_response_id (the gateway's own store).

ResponsesRefusal refuse(std::string message) { return ResponsesRefusal{std::move(message)}; }

std::string text_of_parts(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string text;
  if (!content.is_array()) return text;
  for (const auto& p : content.get_array()) {
    if (!p.is_object()) continue;
    const auto& part = p.get_object();
    const auto type = str(part, "type");
    if (type == "input_text" || type == "output_text" || type == "text") text += str(part, "text");
    else if (type == "refusal") text += str(part, "refusal");
  }
  return text;
}

// A user/system/developer message's content as chat content (string or parts).
std::variant<json::value, ResponsesRefusal> chat_content(const json::value& content) {
  if (content.is_string()) return json::value(content.get_string());
  if (!content.is_array()) return refuse("message content must be a string or an array of parts");
  json::array parts;
  for (const auto& p : content.get_array()) {
    if (!p.is_object()) return refuse("message content parts must be objects");
    const auto& part = p.get_object();
    const auto type = str(part, "type");
    if (type == "input_text" || type == "output_text" || type == "text") {
      parts.push_back({{"type", "text"}, {"text", str(part, "text")}});
    } else if (type == "input_image") {
      const auto url = str(part, "image_url");
      if (url.empty())
        return refuse("input_image by file_id needs OpenAI's file store; send image_url (a URL or a data: URL)");
      json::object image{{"url", url}};
      if (const auto detail = str(part, "detail"); !detail.empty()) image["detail"] = detail;
      parts.push_back({{"type", "image_url"}, {"image_url", std::move(image)}});
    } else {
      return refuse("input part type '" + std::string(type) + "' cannot be carried to this provider");
    }
  }
  return json::value(std::move(parts));
}

std::string_view chat_role(std::string_view role) {
  if (role == "developer") return "system";
  return role;
}

bool is_function_tool(const json::object& tool) { return str(tool, "type") == "function"; }

std::variant<json::array, ResponsesRefusal> chat_messages(const json::object& req) {
  json::array messages;
  if (const auto instructions = str(req, "instructions"); !instructions.empty())
    messages.push_back({{"role", "system"}, {"content", instructions}});
  const auto* input = req.if_contains("input");
  if (!input) return refuse("'input' is required");
  if (input->is_string()) {
    messages.push_back({{"role", "user"}, {"content", input->get_string()}});
    return messages;
  }
  if (!input->is_array()) return refuse("'input' must be a string or an array of items");
  // Consecutive function_call items (and the assistant text just before them) are one assistant
  // chat message with several tool_calls.
  json::object* open_assistant = nullptr;
  // Thinking carried back in a reasoning item (kThinkingCarrier) belongs to the assistant message
  // of the same turn, the next one made.
  json::array pending_thinking;
  const auto new_assistant = [&](json::value content) {
    messages.push_back({{"role", "assistant"}, {"content", std::move(content)}});
    open_assistant = &messages.back().get_object();
    if (!pending_thinking.empty()) (*open_assistant)["thinking_blocks"] = std::exchange(pending_thinking, {});
  };
  for (const auto& v : input->get_array()) {
    if (!v.is_object()) return refuse("'input' items must be objects");
    const auto& item = v.get_object();
    auto type = str(item, "type");
    if (type.empty() && item.contains("role")) type = "message";
    if (type == "message") {
      const auto role = str(item, "role");
      const auto* content = item.if_contains("content");
      if (!content) return refuse("a message item needs 'content'");
      if (role == "assistant") {
        new_assistant(json::value(text_of_parts(*content)));
        continue;
      }
      if (role != "user" && role != "system" && role != "developer")
        return refuse("message role '" + std::string(role) + "' is not one of user, system, developer, assistant");
      auto converted = chat_content(*content);
      if (auto* r = std::get_if<ResponsesRefusal>(&converted)) return *r;
      messages.push_back({{"role", chat_role(role)}, {"content", std::move(std::get<json::value>(converted))}});
      open_assistant = nullptr;
      pending_thinking.clear();  // reasoning with no answer of its own: it belongs to no turn
    } else if (type == "function_call") {
      if (!open_assistant) {
        new_assistant(nullptr);
      }
      auto& calls = (*open_assistant)["tool_calls"];
      if (!calls.is_array()) calls = json::array{};
      calls.get_array().push_back({{"id", str(item, "call_id")},
                                   {"type", "function"},
                                   {"function", {{"name", str(item, "name")}, {"arguments", str(item, "arguments")}}}});
    } else if (type == "function_call_output") {
      const auto* output = item.if_contains("output");
      if (output && output->is_array())
        for (const auto& part : output->get_array())
          if (const auto* p = part.if_object(); p && str(*p, "type") != "input_text" && str(*p, "type") != "output_text")
            return refuse("a function_call_output part of type '" + std::string(str(*p, "type")) +
                          "' cannot be carried to this provider (tool results are text there)");
      messages.push_back({{"role", "tool"},
                          {"tool_call_id", str(item, "call_id")},
                          {"content", output ? text_of_parts(*output) : std::string()}});
      open_assistant = nullptr;
      pending_thinking.clear();
    } else if (type == "reasoning") {
      // A previous turn's reasoning: the thinking blocks this gateway carried (signed, for Claude),
      // else context a chat model cannot read (OpenAI's own encrypted reasoning): skipped.
      if (const auto carried = str(item, "encrypted_content"); carried.starts_with(kThinkingCarrier)) {
        boost::system::error_code ec;
        auto blocks = json::parse(carried.substr(kThinkingCarrier.size()), ec);
        if (!ec && blocks.is_array())
          for (auto& block : blocks.get_array()) pending_thinking.push_back(std::move(block));
      }
      continue;
    } else {
      return refuse("input item type '" + std::string(type) +
                    "' cannot be carried to this provider (only OpenAI/Azure deployments take it)");
    }
  }
  return messages;
}

std::variant<json::value, ResponsesRefusal> chat_tool_choice(const json::value& choice) {
  if (choice.is_string()) return json::value(choice.get_string());
  if (!choice.is_object()) return refuse("'tool_choice' must be a string or an object");
  const auto& o = choice.get_object();
  const auto type = str(o, "type");
  if (type == "function")
    return json::value(json::object{{"type", "function"}, {"function", {{"name", str(o, "name")}}}});
  return refuse("tool_choice type '" + std::string(type) + "' forces a tool only OpenAI/Azure deployments run");
}

}  // namespace

std::vector<std::string> offered_tools_not_carried(const json::object& request) {
  std::vector<std::string> names;
  if (const auto* tools = array_at(request, "tools"))
    for (const auto& t : *tools)
      if (t.is_object() && !is_function_tool(t.get_object())) {
        const auto& tool = t.get_object();
        std::string name(str(tool, "type"));
        if (const auto n = str(tool, "name"); !n.empty()) {
          name += ':';  // appended, not ":" + string: GCC 12 -O3 false -Wrestrict (PR105329)
          name += n;
        }
        names.push_back(std::move(name));
      }
  return names;
}

std::variant<json::object, ResponsesRefusal> responses_request_to_chat(const json::object& req) {
  for (const auto& f : kRefusedFields) {
    const auto* v = req.if_contains(f.name);
    if (v && !v->is_null() && !(v->is_bool() && !v->get_bool()))
      return refuse("'" + std::string(f.name) + "' cannot be carried to this provider: " + std::string(f.why));
  }
  if (const auto truncation = str(req, "truncation"); !truncation.empty() && truncation != "disabled")
    return refuse("truncation '" + std::string(truncation) + "' needs OpenAI's servers (use 'disabled')");
  if (const auto* include = array_at(req, "include"))
    for (const auto& i : *include)
      if (i.is_string() && i.get_string() == "message.output_text.logprobs")
        return refuse("'include: message.output_text.logprobs': log probabilities are not carried through the pivot");

  json::object chat;
  chat["model"] = str(req, "model");
  auto messages = chat_messages(req);
  if (auto* r = std::get_if<ResponsesRefusal>(&messages)) return *r;
  chat["messages"] = std::move(std::get<json::array>(messages));

  json::array tools;
  if (const auto* list = array_at(req, "tools")) {
    for (const auto& t : *list) {
      if (!t.is_object()) return refuse("'tools' entries must be objects");
      const auto& tool = t.get_object();
      if (!is_function_tool(tool)) continue;  // offered built-in tools: offered_tools_not_carried()
      json::object fn{{"name", str(tool, "name")}};
      if (const auto* d = tool.if_contains("description"); d && d->is_string()) fn["description"] = *d;
      if (const auto* p = tool.if_contains("parameters"); p && p->is_object()) fn["parameters"] = *p;
      if (const auto* s = tool.if_contains("strict"); s && s->is_bool()) fn["strict"] = *s;
      tools.push_back({{"type", "function"}, {"function", std::move(fn)}});
    }
  }
  const bool has_tools = !tools.empty();
  if (has_tools) chat["tools"] = std::move(tools);
  if (const auto* choice = req.if_contains("tool_choice"); choice && !choice->is_null()) {
    auto converted = chat_tool_choice(*choice);
    if (auto* r = std::get_if<ResponsesRefusal>(&converted)) return *r;
    if (has_tools) chat["tool_choice"] = std::move(std::get<json::value>(converted));
    else if (choice->is_string() && choice->get_string() == "required")
      return refuse("tool_choice 'required' with no function tool this provider can run");
  }
  if (has_tools)
    if (const auto* p = req.if_contains("parallel_tool_calls"); p && p->is_bool()) chat["parallel_tool_calls"] = *p;

  for (const auto* name : {"temperature", "top_p", "user"})
    if (const auto* v = req.if_contains(name); v && !v->is_null()) chat[name] = *v;
  if (const auto max = integer(req, "max_output_tokens"); max > 0) chat["max_tokens"] = max;
  if (const auto* reasoning = object_at(req, "reasoning"))
    if (const auto effort = str(*reasoning, "effort"); !effort.empty()) chat["reasoning_effort"] = effort;
  if (const auto* text = object_at(req, "text")) {
    if (const auto* format = object_at(*text, "format")) {
      const auto type = str(*format, "type");
      if (type == "json_object") {
        chat["response_format"] = {{"type", "json_object"}};
      } else if (type == "json_schema") {
        json::object schema{{"name", str(*format, "name")}};
        if (const auto* s = format->if_contains("schema")) schema["schema"] = *s;
        if (const auto* s = format->if_contains("strict"); s && s->is_bool()) schema["strict"] = *s;
        if (const auto* d = format->if_contains("description"); d && d->is_string()) schema["description"] = *d;
        chat["response_format"] = {{"type", "json_schema"}, {"json_schema", std::move(schema)}};
      } else if (!type.empty() && type != "text") {
        return refuse("text.format type '" + std::string(type) + "' is not one of text, json_object, json_schema");
      }
    }
  }
  if (const auto* s = req.if_contains("stream"); s && s->is_bool() && s->get_bool()) {
    chat["stream"] = true;
    chat["stream_options"] = {{"include_usage", true}};
  }
  return chat;
}

bool response_format_as_forced_tool(json::object& chat) {
  const auto* format = object_at(chat, "response_format");
  if (!format) return true;
  if (chat.contains("tools")) return false;
  json::value schema = json::object{{"type", "object"}};
  if (const auto* js = object_at(*format, "json_schema"))
    if (const auto* s = js->if_contains("schema"); s && s->is_object()) schema = *s;
  json::object fn{{"name", kJsonOutputTool},
                  {"description", "Give the answer as JSON that matches this schema."},
                  {"parameters", std::move(schema)}};
  chat["tools"] = json::array{{{"type", "function"}, {"function", std::move(fn)}}};
  chat["tool_choice"] = {{"type", "function"}, {"function", {{"name", kJsonOutputTool}}}};
  chat.erase("response_format");
  return true;
}

json::object responses_usage(const core::Usage& u) {
  return {{"input_tokens", u.input_tokens},
          {"input_tokens_details", {{"cached_tokens", u.cached_tokens}}},
          {"output_tokens", u.output_tokens},
          {"output_tokens_details", {{"reasoning_tokens", 0}}},
          {"total_tokens", u.input_tokens + u.output_tokens}};
}

core::Usage usage_of_response(const json::object& response) {
  core::Usage u;
  if (const auto* usage = object_at(response, "usage")) {
    u.input_tokens = integer(*usage, "input_tokens");
    u.output_tokens = integer(*usage, "output_tokens");
    if (const auto* d = object_at(*usage, "input_tokens_details")) u.cached_tokens = integer(*d, "cached_tokens");
  }
  return u;
}

json::object response_skeleton(const ResponsesEcho& echo, std::string_view status) {
  static const json::object kEmpty;
  const auto& req = echo.request ? *echo.request : kEmpty;
  const auto pick = [&](std::string_view key, json::value fallback) {
    const auto* v = req.if_contains(key);
    return v ? *v : fallback;
  };
  json::object reasoning{{"effort", nullptr}, {"summary", nullptr}};
  if (const auto* r = object_at(req, "reasoning")) {
    if (const auto* e = r->if_contains("effort")) reasoning["effort"] = *e;
    if (const auto* s = r->if_contains("summary")) reasoning["summary"] = *s;
  }
  json::object text{{"format", {{"type", "text"}}}};
  if (const auto* t = object_at(req, "text")) text = *t;
  return {{"id", echo.response_id},
          {"object", "response"},
          {"created_at", echo.created_at},
          {"status", status},
          {"error", nullptr},
          {"incomplete_details", nullptr},
          {"instructions", pick("instructions", nullptr)},
          {"max_output_tokens", pick("max_output_tokens", nullptr)},
          {"model", echo.model},
          {"output", json::array{}},
          {"parallel_tool_calls", pick("parallel_tool_calls", true)},
          {"previous_response_id", pick("previous_response_id", nullptr)},
          {"reasoning", std::move(reasoning)},
          {"store", pick("store", true)},
          {"temperature", pick("temperature", 1.0)},
          {"text", std::move(text)},
          {"tool_choice", pick("tool_choice", "auto")},
          {"tools", pick("tools", json::array{})},
          {"top_p", pick("top_p", 1.0)},
          {"truncation", pick("truncation", "disabled")},
          {"usage", nullptr},
          {"user", pick("user", nullptr)},
          {"metadata", pick("metadata", json::object{})}};
}

namespace {

json::object message_item(const std::string& id, std::string_view status, json::array content) {
  return {{"id", id}, {"type", "message"}, {"status", status}, {"role", "assistant"}, {"content", std::move(content)}};
}

json::object text_part(std::string_view text) {
  return {{"type", "output_text"}, {"text", text}, {"annotations", json::array{}}, {"logprobs", json::array{}}};
}

// The provider's thinking, as the chat pivot carries it (reasoning_content: Claude, Gemini; or
// `reasoning`: OpenRouter, Groq, Ollama, vLLM >= 0.10), is a reasoning item whose summary is that
// text, as LiteLLM maps it: what a Responses client asking for reasoning (LangChain, the AI SDK,
// Codex) shows. Its thinking blocks (Claude's signed ones) ride in encrypted_content behind
// kThinkingCarrier, so that a reasoning item sent back reaches Claude as the turn's thinking
// (chat_messages).
json::object summary_part(std::string_view text) { return {{"type", "summary_text"}, {"text", text}}; }

json::object reasoning_item(const std::string& id, std::string_view text, const json::array& thinking_blocks = {}) {
  json::array summary;
  if (!text.empty()) summary.push_back(summary_part(text));
  json::object item{{"id", id}, {"type", "reasoning"}, {"summary", std::move(summary)}};
  if (!thinking_blocks.empty()) item["encrypted_content"] = std::string(kThinkingCarrier) + json::serialize(thinking_blocks);
  return item;
}

// The id of an output item of a kind that is usually alone in a response: `prefix` + suffix for
// the first, then `_1`, `_2`… (appended piece by piece: GCC 12's -Wrestrict misfires on
// "_" + std::to_string(n) in Release).
std::string numbered_item_id(std::string_view prefix, const std::string& suffix, int n) {
  std::string id(prefix);
  id += suffix;
  if (n > 0) {
    id += '_';
    id += std::to_string(n);
  }
  return id;
}

json::object function_call_item(const std::string& id, std::string_view call_id, std::string_view name,
                                std::string_view arguments, std::string_view status) {
  return {{"id", id}, {"type", "function_call"}, {"status", status},
          {"arguments", arguments}, {"call_id", call_id}, {"name", name}};
}

// The suffix of resp_X, shared by the ids of its items (msg_X, fc_X_N).
std::string id_suffix(const std::string& response_id) {
  return response_id.starts_with("resp_") ? response_id.substr(5) : response_id;
}

// finish_reason "length"/"content_filter" make an incomplete Response.
void set_status(json::object& response, std::string_view finish_reason) {
  if (finish_reason == "length" || finish_reason == "content_filter") {
    response["status"] = "incomplete";
    response["incomplete_details"] = {
        {"reason", finish_reason == "length" ? "max_output_tokens" : "content_filter"}};
  } else {
    response["status"] = "completed";
  }
}

}  // namespace

json::object chat_response_to_responses(const json::object& completion, const ResponsesEcho& echo) {
  auto response = response_skeleton(echo, "completed");
  json::array output;
  std::string finish = "stop";
  const auto suffix = id_suffix(echo.response_id);
  if (const auto* choices = array_at(completion, "choices"); choices && !choices->empty() && choices->front().is_object()) {
    const auto& choice = choices->front().get_object();
    finish = std::string(str(choice, "finish_reason"));
    if (const auto* message = object_at(choice, "message")) {
      const auto* thinking_blocks = array_at(*message, "thinking_blocks");
      if (const auto thought = openai_reasoning_text(*message); !thought.empty() || thinking_blocks)
        output.push_back(reasoning_item("rs_" + suffix, thought, thinking_blocks ? *thinking_blocks : json::array{}));
      json::array content;
      std::string text(str(*message, "content"));
      if (const auto* calls = array_at(*message, "tool_calls"))  // structured output (forced tool)
        for (const auto& c : *calls)
          if (const auto* fn = c.is_object() ? object_at(c.get_object(), "function") : nullptr;
              fn && str(*fn, "name") == kJsonOutputTool)
            text += str(*fn, "arguments");
      if (!text.empty()) content.push_back(text_part(text));
      if (const auto refusal = str(*message, "refusal"); !refusal.empty())
        content.push_back({{"type", "refusal"}, {"refusal", refusal}});
      if (!content.empty()) output.push_back(message_item("msg_" + suffix, "completed", std::move(content)));
      if (const auto* calls = array_at(*message, "tool_calls")) {
        int n = 0;
        for (const auto& c : *calls) {
          if (!c.is_object()) continue;
          const auto* fn = object_at(c.get_object(), "function");
          if (!fn || str(*fn, "name") == kJsonOutputTool) continue;
          output.push_back(function_call_item("fc_" + suffix + "_" + std::to_string(n++), str(c.get_object(), "id"),
                                              str(*fn, "name"), str(*fn, "arguments"), "completed"));
        }
      }
    }
  }
  response["output"] = std::move(output);
  set_status(response, finish);
  core::Usage usage;
  if (const auto* u = object_at(completion, "usage")) {
    usage.input_tokens = integer(*u, "prompt_tokens");
    usage.output_tokens = integer(*u, "completion_tokens");
    if (const auto* d = object_at(*u, "prompt_tokens_details")) usage.cached_tokens = integer(*d, "cached_tokens");
  }
  response["usage"] = responses_usage(usage);
  return response;
}

json::array conversation_items(const json::object& request, const json::object& response) {
  json::array items;
  if (const auto* input = request.if_contains("input")) {
    if (input->is_string())
      items.push_back({{"type", "message"}, {"role", "user"}, {"content", input->get_string()}});
    else if (input->is_array())
      for (const auto& i : input->get_array()) items.push_back(i);
  }
  // Output items without their ids: ours mean nothing to an upstream the next turn may go to.
  if (const auto* output = array_at(response, "output"))
    for (const auto& o : *output) {
      items.push_back(o);
      if (auto* item = items.back().if_object()) item->erase("id");
    }
  return items;
}

bool looks_like_response(const json::object& body) {
  const auto* error = body.if_contains("error");
  return array_at(body, "output") != nullptr && (!error || error->is_null());
}

std::string responses_failed_event(const ResponsesEcho& echo, std::int64_t sequence_number, errors::ErrorClass cls,
                                   std::string_view message) {
  auto response = response_skeleton(echo, "failed");
  response["error"] = {{"code", errors::to_string(cls)}, {"message", message}};
  json::object event{{"type", "response.failed"}, {"sequence_number", sequence_number}, {"response", std::move(response)}};
  return http::format_sse("response.failed", json::serialize(event));
}

namespace {

// Chat chunks (OpenAI SSE events) in, the Responses event sequence out.
class ChatToResponses final : public StreamTranslator {
 public:
  explicit ChatToResponses(ResponsesEcho echo)
      : echo_(std::move(echo)), suffix_(id_suffix(echo_.response_id)), response_(response_skeleton(echo_, "in_progress")) {}

  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    if (done_) return;
    open(out);
    if (e.data == "[DONE]") {
      complete(out);
      return;
    }
    auto chunk = parse_object(e.data);
    if (!chunk) return;
    if (chunk->contains("error")) {
      out.error_body = e.data;
      return;
    }
    normalize_delta_content_parts(*chunk);  // Databricks' Claude: delta.content as a list of parts
    if (const auto* u = openai_usage_object(*chunk)) {
      usage_.input_tokens = integer(*u, "prompt_tokens");
      usage_.output_tokens = integer(*u, "completion_tokens");
      if (const auto* d = object_at(*u, "prompt_tokens_details")) usage_.cached_tokens = integer(*d, "cached_tokens");
    }
    const auto* choices = array_at(*chunk, "choices");
    if (!choices) return;
    for (const auto& c : *choices) {
      if (!c.is_object()) continue;
      const auto& choice = c.get_object();
      if (const auto finish = str(choice, "finish_reason"); !finish.empty()) finish_ = std::string(finish);
      const auto* delta = object_at(choice, "delta");
      if (!delta) continue;
      if (const auto thought = openai_reasoning_text(*delta); !thought.empty()) {
        reasoning_delta(thought, out);
        out.content = true;
      }
      if (const auto* blocks = array_at(*delta, "thinking_blocks")) {
        for (const auto& block : *blocks)
          if (block.is_object()) thinking_block_delta(block.get_object(), out);
      }
      if (const auto text = str(*delta, "content"); !text.empty()) {
        text_delta(text, out);
        out.content = true;
      }
      if (const auto* calls = array_at(*delta, "tool_calls")) {
        for (const auto& call : *calls) {
          if (!call.is_object()) continue;
          tool_delta(call.get_object(), out);
          out.content = true;
        }
      }
    }
  }

  bool on_end(TranslatedChunk&) override { return done_; }

  std::string failure_event(core::WireFormat, errors::ErrorClass cls, std::string_view message) override {
    return responses_failed_event(echo_, sequence_++, cls, message);
  }
  const json::object* final_response() const override { return done_ ? &response_ : nullptr; }

 private:
  void emit(std::string_view type, json::object event, TranslatedChunk& out) {
    event["type"] = type;
    event["sequence_number"] = sequence_++;
    out.bytes += http::format_sse(type, json::serialize(event));
  }

  void open(TranslatedChunk& out) {
    if (opened_) return;
    opened_ = true;
    emit("response.created", {{"response", response_}}, out);
    emit("response.in_progress", {{"response", response_}}, out);
  }

  // A reasoning item with one summary part, streamed as OpenAI streams a reasoning summary. Each
  // burst of thinking (before the answer, between tool calls) is an item of its own.
  void reasoning_delta(std::string_view text, TranslatedChunk& out) {
    open_reasoning(out);
    reasoning_text_ += text;
    emit("response.reasoning_summary_text.delta",
         {{"item_id", reasoning_id_}, {"output_index", reasoning_index_}, {"summary_index", 0}, {"delta", text}}, out);
  }

  // The thinking blocks of this burst, rebuilt from the chat chunks (LiteLLM's streamed shape: a
  // thinking block per text delta, one with only the signature, redacted blocks whole), for the
  // reasoning item's encrypted_content.
  void thinking_block_delta(const json::object& block, TranslatedChunk& out) {
    open_reasoning(out);
    auto* last = blocks_.empty() ? nullptr : &blocks_.back().get_object();
    const bool last_open = last && str(*last, "type") == "thinking" && str(*last, "signature").empty();
    if (str(block, "type") == "redacted_thinking") {
      blocks_.push_back(block);
      return;
    }
    // A piece of text, the signature, or both (the closing piece): text before the signature.
    const auto text = str(block, "thinking");
    const auto signature = str(block, "signature");
    if (text.empty() && signature.empty()) return;
    if (!last_open) {
      blocks_.push_back({{"type", "thinking"}, {"thinking", text}});
      last = &blocks_.back().get_object();
    } else if (!text.empty()) {
      (*last)["thinking"] = std::string(str(*last, "thinking")) + std::string(text);
    }
    if (!signature.empty()) (*last)["signature"] = signature;
  }

  void open_reasoning(TranslatedChunk& out) {
    if (message_open_) close_message(out);
    if (tool_open_) close_tool(out);
    if (!reasoning_open_) {
      reasoning_open_ = true;
      reasoning_id_ = numbered_item_id("rs_", suffix_, reasoning_count_++);
      reasoning_text_.clear();
      blocks_.clear();
      reasoning_index_ = static_cast<std::int64_t>(output_.size());
      output_.push_back(reasoning_item(reasoning_id_, ""));
      emit("response.output_item.added", {{"output_index", reasoning_index_}, {"item", output_.back()}}, out);
      emit("response.reasoning_summary_part.added",
           {{"item_id", reasoning_id_}, {"output_index", reasoning_index_}, {"summary_index", 0}, {"part", summary_part("")}},
           out);
    }
  }

  void close_reasoning(TranslatedChunk& out) {
    reasoning_open_ = false;
    emit("response.reasoning_summary_text.done",
         {{"item_id", reasoning_id_}, {"output_index", reasoning_index_}, {"summary_index", 0}, {"text", reasoning_text_}},
         out);
    emit("response.reasoning_summary_part.done",
         {{"item_id", reasoning_id_}, {"output_index", reasoning_index_}, {"summary_index", 0},
          {"part", summary_part(reasoning_text_)}},
         out);
    auto& item = output_[static_cast<std::size_t>(reasoning_index_)].get_object();
    item = reasoning_item(reasoning_id_, reasoning_text_, blocks_);
    emit("response.output_item.done", {{"output_index", reasoning_index_}, {"item", item}}, out);
  }

  void text_delta(std::string_view text, TranslatedChunk& out) {
    if (reasoning_open_) close_reasoning(out);
    if (tool_open_) close_tool(out);
    if (!message_open_) {
      // Text after a tool call (Anthropic: text, server tool, text) is a new message item: its
      // own id and text.
      message_open_ = true;
      message_id_ = numbered_item_id("msg_", suffix_, message_count_++);
      text_.clear();
      message_index_ = static_cast<std::int64_t>(output_.size());
      output_.push_back(message_item(message_id_, "in_progress", {}));
      emit("response.output_item.added", {{"output_index", message_index_}, {"item", output_.back()}}, out);
      emit("response.content_part.added",
           {{"item_id", message_id_}, {"output_index", message_index_}, {"content_index", 0}, {"part", text_part("")}},
           out);
    }
    text_ += text;
    emit("response.output_text.delta",
         {{"item_id", message_id_}, {"output_index", message_index_}, {"content_index", 0}, {"delta", text},
          {"logprobs", json::array{}}},
         out);
  }

  void close_message(TranslatedChunk& out) {
    message_open_ = false;
    const std::string& id = message_id_;
    emit("response.output_text.done",
         {{"item_id", id}, {"output_index", message_index_}, {"content_index", 0}, {"text", text_}, {"logprobs", json::array{}}},
         out);
    emit("response.content_part.done",
         {{"item_id", id}, {"output_index", message_index_}, {"content_index", 0}, {"part", text_part(text_)}}, out);
    auto& item = output_[static_cast<std::size_t>(message_index_)].get_object();
    item["status"] = "completed";
    item["content"] = json::array{text_part(text_)};
    emit("response.output_item.done", {{"output_index", message_index_}, {"item", item}}, out);
  }

  void tool_delta(const json::object& call, TranslatedChunk& out) {
    const auto index = call.contains("index") ? integer(call, "index") : tool_chat_index_;
    const auto* fn = object_at(call, "function");
    // The forced structured-output tool: its arguments are the answer's text.
    if (fn && str(*fn, "name") == kJsonOutputTool) json_tool_index_ = index;
    if (index == json_tool_index_) {
      if (const auto args = fn ? str(*fn, "arguments") : std::string_view(); !args.empty()) text_delta(args, out);
      return;
    }
    if (!tool_open_ || index != tool_chat_index_) {
      if (reasoning_open_) close_reasoning(out);
      if (message_open_) close_message(out);
      if (tool_open_) close_tool(out);
      tool_open_ = true;
      tool_chat_index_ = index;
      tool_id_ = "fc_" + suffix_ + "_" + std::to_string(tool_count_++);
      tool_call_id_ = std::string(str(call, "id"));
      tool_name_ = fn ? std::string(str(*fn, "name")) : std::string();
      arguments_.clear();
      tool_index_ = static_cast<std::int64_t>(output_.size());
      output_.push_back(function_call_item(tool_id_, tool_call_id_, tool_name_, "", "in_progress"));
      emit("response.output_item.added", {{"output_index", tool_index_}, {"item", output_.back()}}, out);
    }
    if (!fn) return;
    if (const auto args = str(*fn, "arguments"); !args.empty()) {
      arguments_ += args;
      emit("response.function_call_arguments.delta",
           {{"item_id", tool_id_}, {"output_index", tool_index_}, {"delta", args}}, out);
    }
  }

  void close_tool(TranslatedChunk& out) {
    tool_open_ = false;
    emit("response.function_call_arguments.done",
         {{"item_id", tool_id_}, {"output_index", tool_index_}, {"name", tool_name_}, {"arguments", arguments_}}, out);
    auto& item = output_[static_cast<std::size_t>(tool_index_)].get_object();
    item = function_call_item(tool_id_, tool_call_id_, tool_name_, arguments_, "completed");
    emit("response.output_item.done", {{"output_index", tool_index_}, {"item", item}}, out);
  }

  void complete(TranslatedChunk& out) {
    if (reasoning_open_) close_reasoning(out);
    if (message_open_) close_message(out);
    if (tool_open_) close_tool(out);
    response_["output"] = output_;
    set_status(response_, finish_);
    response_["usage"] = responses_usage(usage_);
    const auto type = response_.at("status") == "incomplete" ? "response.incomplete" : "response.completed";
    emit(type, {{"response", response_}}, out);
    out.done = done_ = true;
  }

  ResponsesEcho echo_;
  std::string suffix_;
  json::object response_;
  json::array output_;
  std::int64_t sequence_ = 0;
  bool opened_ = false;
  bool done_ = false;
  std::string finish_ = "stop";
  bool message_open_ = false;
  std::int64_t message_index_ = 0;
  std::string text_;        // of the open message item
  std::string message_id_;  // of the open message item
  int message_count_ = 0;
  bool tool_open_ = false;
  std::int64_t tool_chat_index_ = -1;
  std::int64_t json_tool_index_ = -2;  // chat index of the structured-output tool, if called
  std::int64_t tool_index_ = 0;
  int tool_count_ = 0;
  std::string tool_id_, tool_call_id_, tool_name_, arguments_;
  bool reasoning_open_ = false;
  std::int64_t reasoning_index_ = 0;
  int reasoning_count_ = 0;
  std::string reasoning_id_, reasoning_text_;
  json::array blocks_;  // this burst's thinking blocks, for encrypted_content
};

// Anthropic Messages events → chat chunks (the existing translator) → Responses events.
class AnthropicToResponses final : public StreamTranslator {
 public:
  explicit AnthropicToResponses(ResponsesEcho echo)
      : to_chat_(make_stream_translator(core::WireFormat::anthropic, core::WireFormat::openai, true)),
        to_responses_(std::move(echo)) {}

  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    TranslatedChunk chat;
    to_chat_->on_event(e, chat);
    if (chat.error_body) {
      out.error_body = std::move(chat.error_body);
      return;
    }
    parser_.feed(chat.bytes);
    while (auto event = parser_.next()) {
      TranslatedChunk piece;
      to_responses_.on_event(*event, piece);
      out.bytes += piece.bytes;
      out.content = out.content || piece.content;
      out.done = out.done || piece.done;
    }
    usage_ = to_chat_->usage();
  }
  bool on_end(TranslatedChunk& out) override { return to_responses_.on_end(out); }
  std::string failure_event(core::WireFormat f, errors::ErrorClass cls, std::string_view message) override {
    return to_responses_.failure_event(f, cls, message);
  }
  const json::object* final_response() const override { return to_responses_.final_response(); }

 private:
  std::unique_ptr<StreamTranslator> to_chat_;
  http::SseParser parser_;
  ChatToResponses to_responses_;
};

// An OpenAI/Azure Responses stream forwarded as is, but under our response id (so a stored
// response and previous_response_id name the same thing), with content and errors noticed.
class ResponsesPassThrough final : public StreamTranslator {
 public:
  explicit ResponsesPassThrough(ResponsesEcho echo) : echo_(std::move(echo)) {}

  void on_event(const http::SseEvent& e, TranslatedChunk& out) override {
    auto event = parse_object(e.data);
    if (!event) return;
    const auto type = std::string(str(*event, "type"));
    if (type == "error" || type == "response.failed") {
      json::object error{{"message", str(*event, "message")}, {"code", str(*event, "code")}};
      if (const auto* inner = object_at(*event, "error")) error = *inner;
      if (const auto* response = object_at(*event, "response"))
        if (const auto* inner = object_at(*response, "error")) error = *inner;
      out.error_body = json::serialize(json::object{{"error", std::move(error)}});
      return;
    }
    if (auto* response = event->if_contains("response"); response && response->is_object()) {
      auto& r = response->get_object();
      r["id"] = echo_.response_id;
      if (type == "response.completed" || type == "response.incomplete") {
        usage_ = usage_of_response(r);
        final_ = r;
        out.done = true;
      }
    }
    if (type == "response.output_text.delta" || type == "response.function_call_arguments.delta" ||
        type == "response.refusal.delta" ||
        (type == "response.output_item.added" && object_at(*event, "item") &&
         str(*object_at(*event, "item"), "type") == "function_call"))
      out.content = true;
    if (event->contains("sequence_number")) sequence_ = integer(*event, "sequence_number") + 1;
    out.bytes += http::format_sse(type, json::serialize(*event));
  }
  bool on_end(TranslatedChunk&) override { return final_.has_value(); }
  std::string failure_event(core::WireFormat, errors::ErrorClass cls, std::string_view message) override {
    return responses_failed_event(echo_, sequence_++, cls, message);
  }
  const json::object* final_response() const override { return final_ ? &*final_ : nullptr; }

 private:
  ResponsesEcho echo_;
  std::int64_t sequence_ = 0;
  std::optional<json::object> final_;
};

}  // namespace

std::unique_ptr<StreamTranslator> make_responses_stream_translator(core::WireFormat upstream, ResponsesEcho echo) {
  if (upstream == core::WireFormat::responses) return std::make_unique<ResponsesPassThrough>(std::move(echo));
  if (upstream == core::WireFormat::anthropic) return std::make_unique<AnthropicToResponses>(std::move(echo));
  return std::make_unique<ChatToResponses>(std::move(echo));
}

}  // namespace switchyard::providers
