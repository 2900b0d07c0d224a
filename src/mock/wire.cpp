#include "mock/responses_wire.h"
#include "mock/wire.h"

#include <boost/json.hpp>

#include "mock/cloud_bedrock.h"
#include "mock/cloud_google.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace {

constexpr std::string_view kAnthropicPathSuffix = "/v1/messages";
constexpr std::string_view kOpenAiPathSuffix = "/chat/completions";
constexpr std::string_view kAzureDeployments = "/deployments/";

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }


std::string azure_deployment(std::string_view path) {
  const auto at = path.find(kAzureDeployments);
  if (at == std::string_view::npos) return {};
  auto rest = path.substr(at + kAzureDeployments.size());
  return std::string(rest.substr(0, rest.find('/')));
}

// The reply cut at word boundaries into pieces that concatenate back: kMaxStreamTextChunks of
// them, more when that would put over kMaxWordsPerChunk words in one.
std::vector<std::string_view> split_reply_words(std::string_view reply) {
  std::vector<std::string_view> words;  // each word with the whitespace before it
  std::size_t start = 0;
  for (std::size_t i = 1; i <= reply.size(); ++i) {
    if (i == reply.size() || (is_space(reply[i]) && !is_space(reply[i - 1]))) {
      words.push_back(reply.substr(start, i - start));
      start = i;
    }
  }
  std::vector<std::string_view> chunks;
  if (words.empty()) return chunks;
  const std::size_t per_chunk =
      std::min((words.size() + kMaxStreamTextChunks - 1) / kMaxStreamTextChunks, kMaxWordsPerChunk);
  for (std::size_t i = 0; i < words.size(); i += per_chunk) {
    const std::size_t last = std::min(words.size(), i + per_chunk) - 1;
    const auto begin = static_cast<std::size_t>(words[i].data() - reply.data());
    const auto end = static_cast<std::size_t>(words[last].data() - reply.data()) + words[last].size();
    chunks.push_back(reply.substr(begin, end - begin));
  }
  return chunks;
}

// Tool arguments (JSON text) cut into at most kMaxStreamTextChunks fragments, never inside a
// UTF-8 sequence, as providers stream them: pieces of JSON that only parse once reassembled.
std::vector<std::string_view> split_json_text(std::string_view json_text) {
  std::vector<std::string_view> out;
  const std::size_t size = (json_text.size() + kMaxStreamTextChunks - 1) / kMaxStreamTextChunks;
  std::size_t start = 0;
  while (start < json_text.size()) {
    std::size_t end = std::min(json_text.size(), start + std::max<std::size_t>(size, 1));
    while (end < json_text.size() && (static_cast<unsigned char>(json_text[end]) & 0xC0) == 0x80) ++end;
    out.push_back(json_text.substr(start, end - start));
    start = end;
  }
  return out;
}


std::string sse(std::string_view event, const json::value& data) {
  std::string out;
  if (!event.empty()) out.append("event: ").append(event).append("\n");
  out.append("data: ").append(json::serialize(data)).append("\n\n");
  return out;
}

json::object openai_usage(const Call& call, std::int64_t output) {
  return {{"prompt_tokens", call.input_tokens},
          {"completion_tokens", output},
          {"total_tokens", call.input_tokens + output}};
}

// Chunk shapes from https://platform.openai.com/docs/api-reference/chat-streaming.
class OpenAiChunks {
 public:
  OpenAiChunks(const Call& call, ReplyIds ids) : call_(call), ids_(ids), id_("chatcmpl-mock-" + std::to_string(ids.sequence)) {}

  std::string chunk(json::object delta, json::value finish) const {
    json::object c = base();
    c["choices"] = json::array{json::object{
        {"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr}, {"finish_reason", std::move(finish)}}};
    if (call_.include_usage) c["usage"] = nullptr;  // as OpenAI does on every chunk but the last
    return sse({}, c);
  }
  // The finish chunk, the usage chunk when asked for, and [DONE].
  void finish(std::vector<StreamEvent>& events, std::string_view reason, std::int64_t output) const {
    events.push_back({chunk({}, json::string(reason)), EventKind::other});
    if (call_.include_usage) {
      json::object c = base();
      c["choices"] = json::array{};
      c["usage"] = openai_usage(call_, output);
      events.push_back({sse({}, c), EventKind::other});
    }
    events.push_back({"data: [DONE]\n\n", EventKind::other});
  }

 private:
  json::object base() const {
    return {{"id", id_}, {"object", "chat.completion.chunk"}, {"created", ids_.created}, {"model", call_.model}};
  }
  const Call& call_;
  ReplyIds ids_;
  std::string id_;
};

std::vector<StreamEvent> openai_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  const OpenAiChunks c(call, ids);
  std::vector<StreamEvent> events;
  events.push_back({c.chunk({{"role", "assistant"}, {"content", ""}}, nullptr), EventKind::opening});
  for (const auto piece : split_reply_words(reply)) events.push_back({c.chunk({{"content", piece}}, nullptr), EventKind::content});
  c.finish(events, "stop", count_words(reply));
  return events;
}

std::vector<StreamEvent> openai_tool_stream(const Call& call, const ToolCall& tool, ReplyIds ids) {
  const OpenAiChunks c(call, ids);
  std::vector<StreamEvent> events;
  // The first chunk carries the role and the call's id, type and name together.
  json::object first_call{{"index", 0},
                          {"id", "call_mock_" + std::to_string(ids.sequence)},
                          {"type", "function"},
                          {"function", {{"name", tool.name}, {"arguments", ""}}}};
  events.push_back({c.chunk({{"role", "assistant"},
                             {"content", nullptr},
                             {"tool_calls", json::array{std::move(first_call)}},
                             {"refusal", nullptr}},
                            nullptr),
                    EventKind::content});
  for (const auto piece : split_json_text(tool.arguments_json)) {
    json::object fragment{{"index", 0}, {"function", {{"arguments", piece}}}};
    events.push_back({c.chunk({{"tool_calls", json::array{std::move(fragment)}}}, nullptr), EventKind::content});
  }
  c.finish(events, "tool_calls", tool_call_tokens(tool));
  return events;
}

// Event shapes from https://docs.anthropic.com/en/docs/build-with-claude/streaming.
StreamEvent anthropic_message_start(const Call& call, ReplyIds ids) {
  return {sse("message_start",
              json::object{{"type", "message_start"},
                           {"message", json::object{{"id", "msg_mock_" + std::to_string(ids.sequence)},
                                                    {"type", "message"},
                                                    {"role", "assistant"},
                                                    {"content", json::array{}},
                                                    {"model", call.model},
                                                    {"stop_reason", nullptr},
                                                    {"stop_sequence", nullptr},
                                                    {"usage", json::object{{"input_tokens", call.input_tokens},
                                                                           {"output_tokens", 1}}}}}}),
          EventKind::opening};
}

StreamEvent anthropic_delta(json::object delta, EventKind kind) {
  return {sse("content_block_delta",
              json::object{{"type", "content_block_delta"}, {"index", 0}, {"delta", std::move(delta)}}),
          kind};
}

void anthropic_finish(std::vector<StreamEvent>& events, std::string_view stop_reason, std::int64_t output) {
  events.push_back({sse("content_block_stop", json::object{{"type", "content_block_stop"}, {"index", 0}}), EventKind::other});
  events.push_back({sse("message_delta", json::object{{"type", "message_delta"},
                                                      {"delta", {{"stop_reason", stop_reason}, {"stop_sequence", nullptr}}},
                                                      {"usage", {{"output_tokens", output}}}}),
                    EventKind::other});
  events.push_back({sse("message_stop", json::object{{"type", "message_stop"}}), EventKind::other});
}

std::vector<StreamEvent> anthropic_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  std::vector<StreamEvent> events;
  events.push_back(anthropic_message_start(call, ids));
  events.push_back({sse("content_block_start", json::object{{"type", "content_block_start"},
                                                            {"index", 0},
                                                            {"content_block", {{"type", "text"}, {"text", ""}}}}),
                    EventKind::other});
  events.push_back({sse("ping", json::object{{"type", "ping"}}), EventKind::other});
  for (const auto piece : split_reply_words(reply))
    events.push_back(anthropic_delta({{"type", "text_delta"}, {"text", piece}}, EventKind::content));
  anthropic_finish(events, "end_turn", count_words(reply));
  return events;
}

std::vector<StreamEvent> anthropic_tool_stream(const Call& call, const ToolCall& tool, ReplyIds ids) {
  std::vector<StreamEvent> events;
  events.push_back(anthropic_message_start(call, ids));
  json::object block{{"type", "tool_use"},
                     {"id", "toolu_mock_" + std::to_string(ids.sequence)},
                     {"name", tool.name},
                     {"input", json::object{}}};
  events.push_back({sse("content_block_start",
                        json::object{{"type", "content_block_start"}, {"index", 0}, {"content_block", std::move(block)}}),
                    EventKind::content});
  events.push_back({sse("ping", json::object{{"type", "ping"}}), EventKind::other});
  events.push_back(anthropic_delta({{"type", "input_json_delta"}, {"partial_json", ""}}, EventKind::other));
  for (const auto piece : split_json_text(tool.arguments_json))
    events.push_back(anthropic_delta({{"type", "input_json_delta"}, {"partial_json", piece}}, EventKind::content));
  anthropic_finish(events, "tool_use", tool_call_tokens(tool));
  return events;
}

// "none" (OpenAI) or {"type":"none"} (Anthropic): the model must not call a tool.
bool tool_choice_none(const json::value* choice) {
  if (!choice) return false;
  if (choice->is_string()) return choice->get_string() == "none";
  if (const auto* o = choice->if_object())
    if (const auto* t = o->if_contains("type"); t && t->is_string()) return t->get_string() == "none";
  return false;
}

}  // namespace

std::vector<std::string_view> split_reply(std::string_view reply) { return split_reply_words(reply); }
std::vector<std::string_view> split_arguments(std::string_view json_text) { return split_json_text(json_text); }

json::object tool_arguments(const ToolCall& tool) {
  boost::system::error_code ec;
  auto v = json::parse(tool.arguments_json, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.get_object());
}

std::int64_t tool_call_tokens(const ToolCall& tool) { return 1 + count_words(tool.arguments_json); }

std::optional<WireFormat> format_for_path(std::string_view path) {
  if (path.ends_with(kAnthropicPathSuffix)) return WireFormat::anthropic;
  if (path.ends_with(kOpenAiPathSuffix)) return WireFormat::openai;
  if (path.ends_with(kResponsesPathSuffix)) return WireFormat::openai_responses;
  return std::nullopt;
}

std::int64_t count_words(std::string_view text) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!is_space(text[i]) && (i == 0 || is_space(text[i - 1]))) ++n;
  return n;
}

std::int64_t content_words(const json::value& content) {
  if (content.is_string()) return count_words(content.get_string());
  std::int64_t n = 0;
  if (content.is_array())
    for (const auto& part : content.get_array())
      if (const auto* o = part.if_object())
        if (const auto* t = o->if_contains("text"); t && t->is_string()) n += count_words(t->get_string());
  return n;
}

std::optional<Call> parse_call(WireFormat format, std::string_view path, std::string_view body, std::string& error,
                               std::string_view url_model) {
  boost::system::error_code ec;
  const auto parsed = json::parse(body, ec);
  if (ec || !parsed.is_object()) {
    error = "the request body is not a JSON object";
    return std::nullopt;
  }
  const auto& o = parsed.get_object();
  Call call;
  call.format = format;
  if (const auto* m = o.if_contains("model"); m && m->is_string()) call.model = m->get_string();
  if (call.model.empty() && format == WireFormat::openai) call.model = azure_deployment(path);
  if (call.model.empty()) call.model = url_model;
  if (call.model.empty()) {
    error = "model: field required";
    return std::nullopt;
  }
  if (const auto* s = o.if_contains("stream"); s && s->is_bool()) call.stream = s->get_bool();
  if (const auto* so = o.if_contains("stream_options"); so && so->is_object())
    if (const auto* u = so->get_object().if_contains("include_usage"); u && u->is_bool())
      call.include_usage = u->get_bool();
  if (const auto* tools = o.if_contains("tools"); tools && tools->is_array() && !tools->get_array().empty())
    call.has_tools = !tool_choice_none(o.if_contains("tool_choice"));
  if (const auto* sys = o.if_contains("system")) call.input_tokens += content_words(*sys);
  if (const auto* msgs = o.if_contains("messages"); msgs && msgs->is_array())
    for (const auto& msg : msgs->get_array())
      if (const auto* mo = msg.if_object())
        if (const auto* c = mo->if_contains("content")) call.input_tokens += content_words(*c);
  if (format == WireFormat::openai_responses) read_responses_input(o, call);
  call.tool_result = trailing_tool_result(o);
  return call;
}

std::string reply_body(const Call& call, std::string_view reply, ReplyIds ids) {
  if (call.format == WireFormat::gemini) return gemini_reply_body(call, reply, ids);
  if (call.format == WireFormat::bedrock) return bedrock_reply_body(call, reply, ids);
  if (call.format == WireFormat::openai_responses) return responses_reply_body(call, reply, ids);
  const auto output = count_words(reply);
  if (call.format == WireFormat::anthropic) {
    return json::serialize(json::object{
        {"id", "msg_mock_" + std::to_string(ids.sequence)},
        {"type", "message"},
        {"role", "assistant"},
        {"model", call.model},
        {"content", json::array{json::object{{"type", "text"}, {"text", reply}}}},
        {"stop_reason", "end_turn"},
        {"stop_sequence", nullptr},
        {"usage", {{"input_tokens", call.input_tokens}, {"output_tokens", output}}}});
  }
  return json::serialize(json::object{
      {"id", "chatcmpl-mock-" + std::to_string(ids.sequence)},
      {"object", "chat.completion"},
      {"created", ids.created},
      {"model", call.model},
      {"choices", json::array{json::object{{"index", 0},
                                           {"message", {{"role", "assistant"}, {"content", reply}}},
                                           {"finish_reason", "stop"}}}},
      {"usage", openai_usage(call, output)}});
}

std::string tool_call_body(const Call& call, const ToolCall& tool, ReplyIds ids) {
  if (call.format == WireFormat::gemini) return gemini_tool_call_body(call, tool, ids);
  if (call.format == WireFormat::bedrock) return bedrock_tool_call_body(call, tool, ids);
  if (call.format == WireFormat::openai_responses) return responses_tool_call_body(call, tool, ids);
  const auto output = tool_call_tokens(tool);
  if (call.format == WireFormat::anthropic) {
    return json::serialize(json::object{
        {"id", "msg_mock_" + std::to_string(ids.sequence)},
        {"type", "message"},
        {"role", "assistant"},
        {"model", call.model},
        {"content", json::array{json::object{{"type", "tool_use"},
                                             {"id", "toolu_mock_" + std::to_string(ids.sequence)},
                                             {"name", tool.name},
                                             {"input", tool_arguments(tool)}}}},
        {"stop_reason", "tool_use"},
        {"stop_sequence", nullptr},
        {"usage", {{"input_tokens", call.input_tokens}, {"output_tokens", output}}}});
  }
  json::object function_call{{"id", "call_mock_" + std::to_string(ids.sequence)},
                             {"type", "function"},
                             {"function", {{"name", tool.name}, {"arguments", tool.arguments_json}}}};
  return json::serialize(json::object{
      {"id", "chatcmpl-mock-" + std::to_string(ids.sequence)},
      {"object", "chat.completion"},
      {"created", ids.created},
      {"model", call.model},
      {"choices", json::array{json::object{{"index", 0},
                                           {"message", {{"role", "assistant"},
                                                        {"content", nullptr},
                                                        {"tool_calls", json::array{std::move(function_call)}},
                                                        {"refusal", nullptr}}},
                                           {"logprobs", nullptr},
                                           {"finish_reason", "tool_calls"}}}},
      {"usage", openai_usage(call, output)}});
}

std::vector<StreamEvent> reply_events(const Call& call, std::string_view reply, ReplyIds ids) {
  if (call.format == WireFormat::gemini) return gemini_reply_events(call, reply, ids);
  if (call.format == WireFormat::bedrock) return bedrock_reply_events(call, reply, ids);
  if (call.format == WireFormat::openai_responses) return responses_reply_events(call, reply, ids);
  if (call.format == WireFormat::anthropic) return anthropic_stream(call, reply, ids);
  return openai_stream(call, reply, ids);
}

std::vector<std::string> reply_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  std::vector<std::string> out;
  for (auto& e : reply_events(call, reply, ids)) out.push_back(std::move(e.text));
  return out;
}

std::vector<StreamEvent> tool_call_events(const Call& call, const ToolCall& tool, ReplyIds ids) {
  if (call.format == WireFormat::gemini) return gemini_tool_call_events(call, tool, ids);
  if (call.format == WireFormat::bedrock) return bedrock_tool_call_events(call, tool, ids);
  if (call.format == WireFormat::openai_responses) return responses_tool_call_events(call, tool, ids);
  if (call.format == WireFormat::anthropic) return anthropic_tool_stream(call, tool, ids);
  return openai_tool_stream(call, tool, ids);
}

std::string stream_error_event(WireFormat format) {
  if (format == WireFormat::gemini || format == WireFormat::vertex_gemini) return gemini_stream_error_event();
  if (format == WireFormat::bedrock) return bedrock_stream_error_frame();
  if (format == WireFormat::openai_responses) return responses_stream_error_event();
  if (format == WireFormat::anthropic || format == WireFormat::vertex_anthropic)
    return sse("error", json::object{{"type", "error"},
                                     {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}});
  return sse({}, json::object{{"error",
                               {{"message", "The server had an error while processing your request. Sorry about that!"},
                                {"type", "server_error"},
                                {"param", nullptr},
                                {"code", nullptr}}}});
}

std::string invalid_request_body(WireFormat format, std::string_view message) {
  if (format == WireFormat::gemini || format == WireFormat::vertex_gemini) return google_invalid_argument_body(message);
  if (format == WireFormat::bedrock) return json::serialize(json::object{{"message", message}});
  if (format == WireFormat::anthropic || format == WireFormat::vertex_anthropic)
    return json::serialize(json::object{{"type", "error"},
                                        {"error", {{"type", "invalid_request_error"}, {"message", message}}}});
  return json::serialize(json::object{
      {"error", {{"message", message}, {"type", "invalid_request_error"}, {"param", nullptr}, {"code", nullptr}}}});
}

}  // namespace switchyard::mock
