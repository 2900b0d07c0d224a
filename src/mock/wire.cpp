#include "mock/wire.h"

#include <boost/json.hpp>

namespace switchyard::mock {
namespace json = boost::json;
namespace {

constexpr std::string_view kAnthropicPathSuffix = "/v1/messages";
constexpr std::string_view kOpenAiPathSuffix = "/chat/completions";
constexpr std::string_view kAzureDeployments = "/deployments/";

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Words in a message `content`: a string, or a list of parts of which the text ones count.
std::int64_t content_words(const json::value& content) {
  if (content.is_string()) return count_words(content.get_string());
  std::int64_t n = 0;
  if (content.is_array())
    for (const auto& part : content.get_array())
      if (const auto* o = part.if_object())
        if (const auto* t = o->if_contains("text"); t && t->is_string()) n += count_words(t->get_string());
  return n;
}

std::string azure_deployment(std::string_view path) {
  const auto at = path.find(kAzureDeployments);
  if (at == std::string_view::npos) return {};
  auto rest = path.substr(at + kAzureDeployments.size());
  return std::string(rest.substr(0, rest.find('/')));
}

// The reply cut at word boundaries into at most kMaxStreamTextChunks pieces that concatenate back.
std::vector<std::string_view> split_reply(std::string_view reply) {
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
  const std::size_t per_chunk = (words.size() + kMaxStreamTextChunks - 1) / kMaxStreamTextChunks;
  for (std::size_t i = 0; i < words.size(); i += per_chunk) {
    const std::size_t last = std::min(words.size(), i + per_chunk) - 1;
    const auto begin = static_cast<std::size_t>(words[i].data() - reply.data());
    const auto end = static_cast<std::size_t>(words[last].data() - reply.data()) + words[last].size();
    chunks.push_back(reply.substr(begin, end - begin));
  }
  return chunks;
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

std::vector<std::string> openai_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  const std::string id = "chatcmpl-mock-" + std::to_string(ids.sequence);
  const auto chunk = [&](json::object delta, json::value finish) {
    json::object c{{"id", id},
                   {"object", "chat.completion.chunk"},
                   {"created", ids.created},
                   {"model", call.model},
                   {"choices", json::array{json::object{
                                   {"index", 0}, {"delta", std::move(delta)}, {"logprobs", nullptr},
                                   {"finish_reason", std::move(finish)}}}}};
    if (call.include_usage) c["usage"] = nullptr;  // as OpenAI does on every chunk but the last
    return sse({}, c);
  };
  std::vector<std::string> events;
  events.push_back(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
  for (const auto piece : split_reply(reply)) events.push_back(chunk({{"content", piece}}, nullptr));
  events.push_back(chunk({}, "stop"));
  if (call.include_usage) {
    events.push_back(sse({}, json::object{{"id", id},
                                          {"object", "chat.completion.chunk"},
                                          {"created", ids.created},
                                          {"model", call.model},
                                          {"choices", json::array{}},
                                          {"usage", openai_usage(call, count_words(reply))}}));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

// Event shapes from https://docs.anthropic.com/en/docs/build-with-claude/streaming.
std::vector<std::string> anthropic_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  std::vector<std::string> events;
  events.push_back(sse("message_start",
                       json::object{{"type", "message_start"},
                                    {"message", json::object{{"id", "msg_mock_" + std::to_string(ids.sequence)},
                                                             {"type", "message"},
                                                             {"role", "assistant"},
                                                             {"content", json::array{}},
                                                             {"model", call.model},
                                                             {"stop_reason", nullptr},
                                                             {"stop_sequence", nullptr},
                                                             {"usage", json::object{{"input_tokens", call.input_tokens},
                                                                                    {"output_tokens", 1}}}}}}));
  events.push_back(sse("content_block_start", json::object{{"type", "content_block_start"},
                                                            {"index", 0},
                                                            {"content_block", {{"type", "text"}, {"text", ""}}}}));
  events.push_back(sse("ping", json::object{{"type", "ping"}}));
  for (const auto piece : split_reply(reply))
    events.push_back(sse("content_block_delta", json::object{{"type", "content_block_delta"},
                                                              {"index", 0},
                                                              {"delta", {{"type", "text_delta"}, {"text", piece}}}}));
  events.push_back(sse("content_block_stop", json::object{{"type", "content_block_stop"}, {"index", 0}}));
  events.push_back(sse("message_delta",
                       json::object{{"type", "message_delta"},
                                    {"delta", {{"stop_reason", "end_turn"}, {"stop_sequence", nullptr}}},
                                    {"usage", {{"output_tokens", count_words(reply)}}}}));
  events.push_back(sse("message_stop", json::object{{"type", "message_stop"}}));
  return events;
}

}  // namespace

std::optional<WireFormat> format_for_path(std::string_view path) {
  if (path.ends_with(kAnthropicPathSuffix)) return WireFormat::anthropic;
  if (path.ends_with(kOpenAiPathSuffix)) return WireFormat::openai;
  return std::nullopt;
}

std::int64_t count_words(std::string_view text) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (!is_space(text[i]) && (i == 0 || is_space(text[i - 1]))) ++n;
  return n;
}

std::optional<Call> parse_call(WireFormat format, std::string_view path, std::string_view body, std::string& error) {
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
  if (call.model.empty()) {
    error = "model: field required";
    return std::nullopt;
  }
  if (const auto* s = o.if_contains("stream"); s && s->is_bool()) call.stream = s->get_bool();
  if (const auto* so = o.if_contains("stream_options"); so && so->is_object())
    if (const auto* u = so->get_object().if_contains("include_usage"); u && u->is_bool())
      call.include_usage = u->get_bool();
  if (const auto* sys = o.if_contains("system")) call.input_tokens += content_words(*sys);
  if (const auto* msgs = o.if_contains("messages"); msgs && msgs->is_array())
    for (const auto& msg : msgs->get_array())
      if (const auto* mo = msg.if_object())
        if (const auto* c = mo->if_contains("content")) call.input_tokens += content_words(*c);
  return call;
}

std::string reply_body(const Call& call, std::string_view reply, ReplyIds ids) {
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

std::vector<std::string> reply_stream(const Call& call, std::string_view reply, ReplyIds ids) {
  return call.format == WireFormat::anthropic ? anthropic_stream(call, reply, ids) : openai_stream(call, reply, ids);
}

std::string invalid_request_body(WireFormat format, std::string_view message) {
  if (format == WireFormat::anthropic)
    return json::serialize(json::object{{"type", "error"},
                                        {"error", {{"type", "invalid_request_error"}, {"message", message}}}});
  return json::serialize(json::object{
      {"error", {{"message", message}, {"type", "invalid_request_error"}, {"param", nullptr}, {"code", nullptr}}}});
}

}  // namespace switchyard::mock
