#include "api/sse_replay.h"

#include <boost/json.hpp>

namespace switchyard::api {
namespace json = boost::json;
namespace {

std::string data_line(const json::value& v) { return "data: " + json::serialize(v) + "\n\n"; }
std::string event(std::string_view type, const json::value& v) {
  return "event: " + std::string(type) + "\n" + data_line(v);
}

const json::object& first_choice_message(const json::object& c, json::object& empty, std::string& finish) {
  const auto* choices = c.if_contains("choices");
  if (!choices || !choices->is_array() || choices->get_array().empty() || !choices->get_array()[0].is_object()) return empty;
  const auto& choice = choices->get_array()[0].get_object();
  if (const auto* f = choice.if_contains("finish_reason"); f && f->is_string()) finish = std::string(f->get_string());
  const auto* m = choice.if_contains("message");
  return m && m->is_object() ? m->get_object() : empty;
}

std::string openai_stream(const json::object& c, bool include_usage) {
  json::object empty;
  std::string finish = "stop";
  const auto& message = first_choice_message(c, empty, finish);
  json::object base{{"id", c.contains("id") ? c.at("id") : json::value("chatcmpl-switchyard")},
                    {"object", "chat.completion.chunk"},
                    {"created", c.contains("created") ? c.at("created") : json::value(0)},
                    {"model", c.contains("model") ? c.at("model") : json::value("")}};
  auto chunk = [&](json::object delta, json::value finish_reason) {
    json::object o = base;
    o["choices"] = json::array{{{"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", finish_reason}}};
    return data_line(o);
  };
  std::string out = chunk({{"role", "assistant"}, {"content", ""}}, nullptr);
  if (const auto* content = message.if_contains("content"); content && content->is_string() && !content->get_string().empty())
    out += chunk({{"content", content->get_string()}}, nullptr);
  if (const auto* calls = message.if_contains("tool_calls"); calls && calls->is_array()) {
    std::int64_t index = 0;
    for (const auto& call : calls->get_array()) {
      if (!call.is_object()) continue;
      json::object tc = call.get_object();
      tc["index"] = index++;
      out += chunk({{"tool_calls", json::array{tc}}}, nullptr);
    }
  }
  out += chunk({}, json::value(finish));
  if (include_usage && c.contains("usage")) {
    json::object o = base;
    o["choices"] = json::array{};
    o["usage"] = c.at("usage");
    out += data_line(o);
  }
  return out + "data: [DONE]\n\n";
}

std::string anthropic_stream(const json::object& m) {
  json::object start = m;
  start["content"] = json::array{};
  start["stop_reason"] = nullptr;
  start["stop_sequence"] = nullptr;
  json::object usage = m.contains("usage") && m.at("usage").is_object() ? m.at("usage").get_object() : json::object{};
  json::object start_usage = usage;
  start_usage["output_tokens"] = 1;
  start["usage"] = start_usage;
  std::string out = event("message_start", {{"type", "message_start"}, {"message", start}});
  std::int64_t index = 0;
  if (const auto* content = m.if_contains("content"); content && content->is_array())
    for (const auto& b : content->get_array()) {
      if (!b.is_object()) continue;
      const auto& block = b.get_object();
      const auto type = block.contains("type") && block.at("type").is_string() ? block.at("type").get_string() : "";
      if (type == "text") {
        out += event("content_block_start", {{"type", "content_block_start"}, {"index", index},
                                             {"content_block", {{"type", "text"}, {"text", ""}}}});
        out += event("content_block_delta", {{"type", "content_block_delta"}, {"index", index},
                                             {"delta", {{"type", "text_delta"}, {"text", block.at("text")}}}});
      } else if (type == "tool_use") {
        json::object head = block;
        head["input"] = json::object{};
        out += event("content_block_start", {{"type", "content_block_start"}, {"index", index}, {"content_block", head}});
        const auto input = block.contains("input") ? json::serialize(block.at("input")) : std::string("{}");
        out += event("content_block_delta", {{"type", "content_block_delta"}, {"index", index},
                                             {"delta", {{"type", "input_json_delta"}, {"partial_json", input}}}});
      } else {
        continue;
      }
      out += event("content_block_stop", {{"type", "content_block_stop"}, {"index", index}});
      ++index;
    }
  out += event("message_delta",
               {{"type", "message_delta"},
                {"delta", {{"stop_reason", m.contains("stop_reason") ? m.at("stop_reason") : json::value("end_turn")},
                           {"stop_sequence", m.contains("stop_sequence") ? m.at("stop_sequence") : json::value(nullptr)}}},
                {"usage", {{"output_tokens", usage.contains("output_tokens") ? usage.at("output_tokens") : json::value(0)}}}});
  out += event("message_stop", {{"type", "message_stop"}});
  return out;
}

}  // namespace

std::string replay_as_sse(const core::ChatResponse& response, bool include_usage) {
  return response.format == core::WireFormat::anthropic ? anthropic_stream(response.body)
                                                        : openai_stream(response.body, include_usage);
}

}  // namespace switchyard::api
