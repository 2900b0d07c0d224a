#include "mock/cloud_bedrock.h"

#include <boost/json.hpp>

#include "providers/aws/eventstream.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace es = providers::aws::eventstream;
namespace {

constexpr std::string_view kPadding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::size_t kMinPaddingChars = 2;
constexpr std::string_view kStreamErrorType = "serviceUnavailableException";
// bedrock_service_unavailable_503 (seen delivered as an exception frame in that issue).
constexpr std::string_view kStreamErrorMessage = "Bedrock is unable to process your request.";

std::int64_t content_words(const json::value* content) {
  std::int64_t n = 0;
  if (content && content->is_array())
    for (const auto& block : content->get_array())
      if (const auto* o = block.if_object())
        if (const auto* t = o->if_contains("text"); t && t->is_string()) n += count_words(t->get_string());
  return n;
}

json::object usage(const Call& call, std::int64_t output) {
  return {{"inputTokens", call.input_tokens}, {"outputTokens", output}, {"totalTokens", call.input_tokens + output}};
}

json::object metrics(ReplyIds ids) { return {{"latencyMs", ids.latency_ms}}; }

// Each event frame: its type header, JSON content, and a payload padded with "p" (real Bedrock
// pads to hide token lengths; the length here varies with the frame's position).
StreamEvent frame(std::string_view event_type, json::object payload, EventKind kind, std::size_t position) {
  payload["p"] = kPadding.substr(0, kMinPaddingChars + position % (kPadding.size() - kMinPaddingChars));
  std::vector<es::Header> headers{{":event-type", std::string(event_type)},
                                  {":content-type", std::string("application/json")},
                                  {":message-type", std::string("event")}};
  return {es::encode(headers, json::serialize(payload)), kind};
}

void finish(std::vector<StreamEvent>& events, const Call& call, std::string_view stop_reason, std::int64_t output,
            ReplyIds ids) {
  events.push_back(frame("contentBlockStop", {{"contentBlockIndex", 0}}, EventKind::other, events.size()));
  events.push_back(frame("messageStop", {{"stopReason", stop_reason}}, EventKind::other, events.size()));
  events.push_back(frame("metadata", {{"usage", usage(call, output)}, {"metrics", metrics(ids)}}, EventKind::other,
                         events.size()));
}

std::string tool_use_id(ReplyIds ids) { return "tooluse_mock_" + std::to_string(ids.sequence); }

std::string converse_body(const Call& call, json::object content_block, std::string_view stop_reason,
                          std::int64_t output, ReplyIds ids) {
  return json::serialize(json::object{
      {"output", {{"message", {{"role", "assistant"}, {"content", json::array{std::move(content_block)}}}}}},
      {"stopReason", stop_reason},
      {"usage", usage(call, output)},
      {"metrics", metrics(ids)}});
}

}  // namespace

std::optional<Call> parse_bedrock_call(const CloudRoute& route, std::string_view body, std::string& error) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    error = "Malformed input request, please reformat your input and try again.";
    return std::nullopt;
  }
  const auto& o = parsed.get_object();
  if (o.contains("model")) {
    error = "Malformed input request: extraneous key [model] is not permitted, please reformat your input and try again.";
    return std::nullopt;
  }
  const auto* messages = o.if_contains("messages");
  if (!messages || !messages->is_array() || messages->get_array().empty()) {
    error = "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
    return std::nullopt;
  }
  Call call;
  call.format = WireFormat::bedrock;
  call.model = route.model;
  call.stream = route.stream;
  for (const auto& m : messages->get_array())
    if (const auto* mo = m.if_object()) call.input_tokens += content_words(mo->if_contains("content"));
  call.input_tokens += content_words(o.if_contains("system"));
  if (const auto* config = o.if_contains("toolConfig"); config && config->is_object())
    if (const auto* tools = config->get_object().if_contains("tools"); tools && tools->is_array())
      call.has_tools = !tools->get_array().empty();
  return call;
}

std::string bedrock_reply_body(const Call& call, std::string_view reply, ReplyIds ids) {
  return converse_body(call, {{"text", reply}}, "end_turn", count_words(reply), ids);
}

std::string bedrock_tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids) {
  json::object block{
      {"toolUse", {{"toolUseId", tool_use_id(ids)}, {"name", tool.name}, {"input", tool_arguments(tool)}}}};
  return converse_body(call, std::move(block), "tool_use", tool_call_tokens(tool), ids);
}

std::vector<StreamEvent> bedrock_reply_events(const Call& call, std::string_view reply, ReplyIds ids) {
  std::vector<StreamEvent> events;
  events.push_back(frame("messageStart", {{"role", "assistant"}}, EventKind::opening, 0));
  for (const auto piece : split_reply(reply))
    events.push_back(
        frame("contentBlockDelta", {{"contentBlockIndex", 0}, {"delta", {{"text", piece}}}}, EventKind::content,
              events.size()));
  finish(events, call, "end_turn", count_words(reply), ids);
  return events;
}

std::vector<StreamEvent> bedrock_tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids) {
  std::vector<StreamEvent> events;
  events.push_back(frame("messageStart", {{"role", "assistant"}}, EventKind::opening, 0));
  events.push_back(frame("contentBlockStart",
                         {{"contentBlockIndex", 0},
                          {"start", {{"toolUse", {{"toolUseId", tool_use_id(ids)}, {"name", tool.name}}}}}},
                         EventKind::content, events.size()));
  for (const auto piece : split_arguments(tool.arguments_json))
    events.push_back(frame("contentBlockDelta", {{"contentBlockIndex", 0}, {"delta", {{"toolUse", {{"input", piece}}}}}},
                           EventKind::content, events.size()));
  finish(events, call, "tool_use", tool_call_tokens(tool), ids);
  return events;
}

std::string bedrock_stream_error_frame() {
  std::vector<es::Header> headers{{":exception-type", std::string(kStreamErrorType)},
                                  {":content-type", std::string("application/json")},
                                  {":message-type", std::string("exception")}};
  return es::encode(headers, json::serialize(json::object{{"message", kStreamErrorMessage}}));
}

}  // namespace switchyard::mock
