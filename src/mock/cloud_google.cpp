#include "mock/cloud_google.h"

#include <boost/json.hpp>

namespace switchyard::mock {
namespace json = boost::json;
namespace {

constexpr std::string_view kFinishStop = "STOP";

std::string gemini_sse(const json::value& data) { return "data: " + json::serialize(data) + "\r\n\r\n"; }

std::int64_t parts_words(const json::value* parts) {
  std::int64_t n = 0;
  if (parts && parts->is_array())
    for (const auto& part : parts->get_array())
      if (const auto* o = part.if_object())
        if (const auto* t = o->if_contains("text"); t && t->is_string()) n += count_words(t->get_string());
  return n;
}

bool declares_functions(const json::object& body) {
  const auto* tools = body.if_contains("tools");
  if (!tools || !tools->is_array()) return false;
  bool any = false;
  for (const auto& t : tools->get_array())
    if (const auto* o = t.if_object())
      if (const auto* f = o->if_contains("functionDeclarations"); f && f->is_array() && !f->get_array().empty())
        any = true;
  if (!any) return false;
  if (const auto* config = body.if_contains("toolConfig"); config && config->is_object())
    if (const auto* fc = config->get_object().if_contains("functionCallingConfig"); fc && fc->is_object())
      if (const auto* mode = fc->get_object().if_contains("mode"); mode && mode->is_string())
        return mode->get_string() != "NONE";
  return true;
}

json::object usage(const Call& call, std::int64_t output) {
  return {{"promptTokenCount", call.input_tokens},
          {"candidatesTokenCount", output},
          {"totalTokenCount", call.input_tokens + output}};
}

// One GenerateContentResponse; `finish` empty for the chunks before the last.
json::object response(const Call& call, json::array parts, std::string_view finish, std::int64_t output, ReplyIds ids) {
  json::object candidate{{"content", {{"role", "model"}, {"parts", std::move(parts)}}}};
  if (!finish.empty()) candidate["finishReason"] = finish;
  candidate["index"] = 0;
  json::object usage_metadata = usage(call, output);
  if (finish.empty()) usage_metadata = {{"promptTokenCount", call.input_tokens}, {"totalTokenCount", call.input_tokens}};
  return {{"candidates", json::array{std::move(candidate)}},
          {"usageMetadata", std::move(usage_metadata)},
          {"modelVersion", call.model},
          {"responseId", "mock-resp-" + std::to_string(ids.sequence)}};
}

json::array function_call_parts(const ToolCall& tool) {
  return json::array{json::object{{"functionCall", {{"name", tool.name}, {"args", tool_arguments(tool)}}}}};
}

}  // namespace

std::optional<Call> parse_vertex_anthropic_call(const CloudRoute& route, std::string_view path, std::string_view body,
                                                std::string& error) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    error = "the request body is not a JSON object";
    return std::nullopt;
  }
  const auto& o = parsed.get_object();
  if (o.contains("model")) {
    error = "model: Extra inputs are not permitted (on Vertex AI the model is named in the URL)";
    return std::nullopt;
  }
  const auto* version = o.if_contains("anthropic_version");
  if (!version || !version->is_string() || version->get_string() != kVertexAnthropicVersion) {
    error = "anthropic_version: Field required: must be \"" + std::string(kVertexAnthropicVersion) + "\" on Vertex AI";
    return std::nullopt;
  }
  auto call = parse_call(WireFormat::anthropic, path, body, error, route.model);
  if (call) call->stream = route.stream;
  return call;
}

std::optional<Call> parse_gemini_call(const CloudRoute& route, std::string_view body, std::string& error) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    error = "Invalid JSON payload received. Expected an object.";
    return std::nullopt;
  }
  const auto& o = parsed.get_object();
  if (o.contains("model")) {
    error = "Invalid JSON payload received. Unknown name \"model\": Cannot find field.";
    return std::nullopt;
  }
  const auto* contents = o.if_contains("contents");
  if (!contents || !contents->is_array() || contents->get_array().empty()) {
    error = "Unable to submit request because at least one contents field is required.";
    return std::nullopt;
  }
  Call call;
  call.format = WireFormat::gemini;
  call.model = route.model;
  call.stream = route.stream;
  call.has_tools = declares_functions(o);
  for (const auto& c : contents->get_array())
    if (const auto* co = c.if_object()) call.input_tokens += parts_words(co->if_contains("parts"));
  if (const auto* sys = o.if_contains("systemInstruction"); sys && sys->is_object())
    call.input_tokens += parts_words(sys->get_object().if_contains("parts"));
  return call;
}

std::string gemini_reply_body(const Call& call, std::string_view reply, ReplyIds ids) {
  return json::serialize(
      response(call, json::array{json::object{{"text", reply}}}, kFinishStop, count_words(reply), ids));
}

std::string gemini_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids) {
  return json::serialize(response(call, function_call_parts(tool), kFinishStop, tool_call_tokens(tool), ids));
}

std::vector<StreamEvent> gemini_reply_events(const Call& call, std::string_view reply, ReplyIds ids) {
  auto pieces = split_reply(reply);
  if (pieces.empty()) pieces.push_back(reply);
  std::vector<StreamEvent> events;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool last = i + 1 == pieces.size();
    const std::string_view finish = last ? kFinishStop : std::string_view{};
    events.push_back({gemini_sse(response(call, json::array{json::object{{"text", pieces[i]}}}, finish,
                                          count_words(reply), ids)),
                      EventKind::content});
  }
  return events;
}

std::vector<StreamEvent> gemini_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids) {
  return {{gemini_sse(response(call, function_call_parts(tool), kFinishStop, tool_call_tokens(tool), ids)),
           EventKind::content}};
}

std::string gemini_stream_error_event() { return "data: " + std::string(kGeminiOverloaded) + "\r\n\r\n"; }

std::string google_invalid_argument_body(std::string_view message) {
  return json::serialize(
      json::object{{"error", {{"code", 400}, {"message", message}, {"status", "INVALID_ARGUMENT"}}}});
}

}  // namespace switchyard::mock
