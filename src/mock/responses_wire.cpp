#include "mock/responses_wire.h"

#include <boost/json.hpp>

namespace switchyard::mock {
namespace json = boost::json;
namespace {

std::string text_of(const json::value& content) {
  if (content.is_string()) return std::string(content.get_string());
  std::string text;
  if (content.is_array())
    for (const auto& part : content.get_array())
      if (const auto* o = part.if_object())
        if (const auto* t = o->if_contains("text"); t && t->is_string()) text += t->get_string();
  return text;
}

json::object usage(const Call& call, std::int64_t output) {
  return {{"input_tokens", call.input_tokens},
          {"input_tokens_details", {{"cached_tokens", 0}}},
          {"output_tokens", output},
          {"output_tokens_details", {{"reasoning_tokens", 0}}},
          {"total_tokens", call.input_tokens + output}};
}

std::string resp_id(ReplyIds ids) { return "resp_mock_" + std::to_string(ids.sequence); }
std::string msg_id(ReplyIds ids) { return "msg_mock_" + std::to_string(ids.sequence); }
std::string fc_id(ReplyIds ids) { return "fc_mock_" + std::to_string(ids.sequence); }
std::string call_id(ReplyIds ids) { return "call_mock_" + std::to_string(ids.sequence); }

json::object response(const Call& call, ReplyIds ids, std::string_view status, json::array output, json::value use) {
  return {{"id", resp_id(ids)},       {"object", "response"},      {"created_at", ids.created},
          {"status", status},         {"error", nullptr},          {"incomplete_details", nullptr},
          {"instructions", nullptr},  {"max_output_tokens", nullptr}, {"model", call.model},
          {"output", std::move(output)}, {"parallel_tool_calls", true}, {"previous_response_id", nullptr},
          {"reasoning", {{"effort", nullptr}, {"summary", nullptr}}}, {"store", false},
          {"temperature", 1.0},       {"text", {{"format", {{"type", "text"}}}}}, {"tool_choice", "auto"},
          {"tools", json::array{}},   {"top_p", 1.0},              {"truncation", "disabled"},
          {"usage", std::move(use)},  {"user", nullptr},           {"metadata", json::object{}}};
}

json::object text_part(std::string_view text) {
  return {{"type", "output_text"}, {"text", text}, {"annotations", json::array{}}, {"logprobs", json::array{}}};
}

json::object message(ReplyIds ids, std::string_view status, json::array content) {
  return {{"id", msg_id(ids)}, {"type", "message"}, {"status", status}, {"role", "assistant"}, {"content", std::move(content)}};
}

json::object function_call(ReplyIds ids, const ToolCall& tool, std::string_view arguments, std::string_view status) {
  return {{"id", fc_id(ids)},   {"type", "function_call"}, {"status", status},
          {"arguments", arguments}, {"call_id", call_id(ids)}, {"name", tool.name}};
}

// Events with their sequence numbers, as OpenAI streams them.
class Events {
 public:
  void add(std::string_view type, json::object data, EventKind kind) {
    data["type"] = type;
    data["sequence_number"] = sequence_++;
    std::string text = "event: ";
    text.append(type).append("\ndata: ").append(json::serialize(data)).append("\n\n");
    events_.push_back({std::move(text), kind});
  }
  std::vector<StreamEvent> take() { return std::move(events_); }

 private:
  std::int64_t sequence_ = 0;
  std::vector<StreamEvent> events_;
};

}  // namespace

void read_responses_input(const json::object& body, Call& call) {
  if (const auto* i = body.if_contains("instructions")) call.input_tokens += content_words(*i);
  const auto* input = body.if_contains("input");
  if (!input) return;
  if (input->is_string()) {
    call.input_tokens += count_words(input->get_string());
    return;
  }
  if (!input->is_array()) return;
  for (const auto& item : input->get_array())
    if (const auto* o = item.if_object()) {
      if (const auto* c = o->if_contains("content")) call.input_tokens += content_words(*c);
      if (const auto* c = o->if_contains("output")) call.input_tokens += content_words(*c);
    }
}

std::optional<std::string> trailing_tool_result(const json::object& body) {
  if (const auto* input = body.if_contains("input"); input && input->is_array() && !input->get_array().empty()) {
    const auto* last = input->get_array().back().if_object();
    if (last && last->contains("type") && last->at("type") == "function_call_output")
      if (const auto* out = last->if_contains("output")) return text_of(*out);
    return std::nullopt;
  }
  const auto* messages = body.if_contains("messages");
  if (!messages || !messages->is_array() || messages->get_array().empty()) return std::nullopt;
  const auto* last = messages->get_array().back().if_object();
  if (!last) return std::nullopt;
  const auto* role = last->if_contains("role");
  const auto* content = last->if_contains("content");
  if (!role || !content) return std::nullopt;
  if (*role == "tool") return text_of(*content);
  if (*role == "user" && content->is_array())
    for (const auto& block : content->get_array())
      if (const auto* b = block.if_object(); b && b->contains("type") && b->at("type") == "tool_result")
        if (const auto* c = b->if_contains("content")) return text_of(*c);
  return std::nullopt;
}

std::string responses_reply_body(const Call& call, std::string_view reply, ReplyIds ids) {
  return json::serialize(response(call, ids, "completed", json::array{message(ids, "completed", json::array{text_part(reply)})},
                                  usage(call, count_words(reply))));
}

std::string responses_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids) {
  return json::serialize(response(call, ids, "completed", json::array{function_call(ids, tool, tool.arguments_json, "completed")},
                                  usage(call, tool_call_tokens(tool))));
}

std::vector<StreamEvent> responses_reply_events(const Call& call, std::string_view reply, ReplyIds ids) {
  Events e;
  const auto in_progress = response(call, ids, "in_progress", json::array{}, nullptr);
  e.add("response.created", {{"response", in_progress}}, EventKind::opening);
  e.add("response.in_progress", {{"response", in_progress}}, EventKind::opening);
  e.add("response.output_item.added", {{"output_index", 0}, {"item", message(ids, "in_progress", {})}}, EventKind::opening);
  const json::object where{{"item_id", msg_id(ids)}, {"output_index", 0}, {"content_index", 0}};
  auto with = [&](json::object extra) {
    json::object o = where;
    for (auto& kv : extra) o[kv.key()] = std::move(kv.value());
    return o;
  };
  e.add("response.content_part.added", with({{"part", text_part("")}}), EventKind::opening);
  for (const auto piece : split_reply(reply))
    e.add("response.output_text.delta", with({{"delta", piece}, {"logprobs", json::array{}}}), EventKind::content);
  e.add("response.output_text.done", with({{"text", reply}, {"logprobs", json::array{}}}), EventKind::other);
  e.add("response.content_part.done", with({{"part", text_part(reply)}}), EventKind::other);
  auto item = message(ids, "completed", json::array{text_part(reply)});
  e.add("response.output_item.done", {{"output_index", 0}, {"item", item}}, EventKind::other);
  e.add("response.completed",
        {{"response", response(call, ids, "completed", json::array{item}, usage(call, count_words(reply)))}},
        EventKind::other);
  return e.take();
}

std::vector<StreamEvent> responses_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids) {
  Events e;
  const auto in_progress = response(call, ids, "in_progress", json::array{}, nullptr);
  e.add("response.created", {{"response", in_progress}}, EventKind::opening);
  e.add("response.in_progress", {{"response", in_progress}}, EventKind::opening);
  e.add("response.output_item.added", {{"output_index", 0}, {"item", function_call(ids, tool, "", "in_progress")}},
        EventKind::content);
  for (const auto piece : split_arguments(tool.arguments_json))
    e.add("response.function_call_arguments.delta", {{"item_id", fc_id(ids)}, {"output_index", 0}, {"delta", piece}},
          EventKind::content);
  e.add("response.function_call_arguments.done",
        {{"item_id", fc_id(ids)}, {"output_index", 0}, {"arguments", tool.arguments_json}}, EventKind::other);
  auto item = function_call(ids, tool, tool.arguments_json, "completed");
  e.add("response.output_item.done", {{"output_index", 0}, {"item", item}}, EventKind::other);
  e.add("response.completed",
        {{"response", response(call, ids, "completed", json::array{item}, usage(call, tool_call_tokens(tool)))}},
        EventKind::other);
  return e.take();
}

std::string responses_stream_error_event() {
  json::object r{{"id", "resp_mock_failed"},
                 {"object", "response"},
                 {"status", "failed"},
                 {"output", json::array{}},
                 {"error",
                  {{"code", "server_error"},
                   {"message", "The server had an error while processing your request. Sorry about that!"}}}};
  json::object data{{"type", "response.failed"}, {"sequence_number", 99}, {"response", std::move(r)}};
  return "event: response.failed\ndata: " + json::serialize(data) + "\n\n";
}

}  // namespace switchyard::mock
