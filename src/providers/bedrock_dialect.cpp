// OpenAI chat ⇄ Bedrock runtime Converse / ConverseStream
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
//  https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html).
// The model id travels in the URL (/model/{modelId}/converse[-stream]), so the body has neither
// `model` nor `stream`. ConverseStream answers in the binary event stream (aws/eventstream.h):
// each message's `:event-type` header names the event and its payload is that event's JSON.
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <random>
#include <set>

#include "providers/aws/eventstream.h"
#include "providers/chunk_queue.h"
#include "providers/features.h"
#include "providers/ids.h"
#include "providers/json_fields.h"
#include "providers/native_dialect.h"
#include "providers/turns.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::array_at;
using json_fields::integer;
using json_fields::object_at;
using json_fields::parse_object;
using json_fields::str;

// ---- OpenAI request → Converse ----------------------------------------------------------------

constexpr std::int64_t kDefaultMaxTokens = 4096;

// Converse's ImageBlock formats (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ImageBlock.html).
struct ImageFormat {
  std::string_view mime_type;
  std::string_view format;
};
constexpr ImageFormat kImageFormats[] = {
    {"image/png", "png"}, {"image/jpeg", "jpeg"}, {"image/jpg", "jpeg"}, {"image/gif", "gif"}, {"image/webp", "webp"}};

// A data: URL becomes an inline image. Converse takes images only inline (or from S3), never by
// http(s) URL, and the gateway does not fetch URLs on a client's behalf: such an image becomes a
// text block saying it was left out, so the model at least knows one was there.
json::object image_block(std::string_view url) {
  constexpr std::string_view kDataPrefix = "data:";
  constexpr std::string_view kBase64Marker = ";base64,";
  if (url.starts_with(kDataPrefix)) {
    const auto marker = url.find(kBase64Marker);
    const auto mime = url.substr(kDataPrefix.size(), marker == std::string_view::npos ? 0 : marker - kDataPrefix.size());
    for (const auto& f : kImageFormats)
      if (marker != std::string_view::npos && mime == f.mime_type)
        return {{"image", {{"format", f.format}, {"source", {{"bytes", url.substr(marker + kBase64Marker.size())}}}}}};
    return {{"text", "[image omitted: Bedrock accepts only base64 png, jpeg, gif or webp images]"}};
  }
  return {{"text", "[image omitted: Bedrock cannot fetch image URLs (" + std::string(url.substr(0, 200)) + ")]"}};
}

// Converse DocumentBlock formats by media type.
struct DocumentFormat {
  std::string_view mime_type;
  std::string_view format;
};
constexpr DocumentFormat kDocumentFormats[] = {
    {"application/pdf", "pdf"}, {"text/csv", "csv"},   {"application/msword", "doc"}, {"text/html", "html"},
    {"text/plain", "txt"},      {"text/markdown", "md"}, {"application/vnd.ms-excel", "xls"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"}};

// OpenAI's file part (file_data as a base64 data: URL) → a Converse document. Converse wants a
// name of letters, digits, spaces, hyphens and brackets, unique in the request: "document-N".
json::object document_block(const json::object& part, int number) {
  const auto* file = object_at(part, "file");
  const auto data = file ? str(*file, "file_data") : std::string_view();
  constexpr std::string_view kBase64Marker = ";base64,";
  const auto marker = data.find(kBase64Marker);
  if (!data.starts_with("data:") || marker == std::string_view::npos)
    return {{"text", "[document omitted: Bedrock accepts documents only as base64 data]"}};
  const auto mime = data.substr(5, marker - 5);
  std::string_view format = "pdf";
  for (const auto& f : kDocumentFormats)
    if (f.mime_type == mime) format = f.format;
  return {{"document", {{"format", format},
                        {"name", "document-" + std::to_string(number)},
                        {"source", {{"bytes", data.substr(marker + kBase64Marker.size())}}}}}};
}

// OpenAI content (a string, or an array of text / image_url parts) → Converse content blocks.
// Blank text is dropped: Converse rejects empty text blocks.
json::object cache_point();
json::object document_block(const json::object& part, int number);

json::array content_blocks(const json::value* content) {
  json::array blocks;
  int documents = 0;
  if (!content) return blocks;
  if (content->is_string()) {
    if (!content->get_string().empty()) blocks.push_back(json::object{{"text", content->get_string()}});
    return blocks;
  }
  if (!content->is_array()) return blocks;
  for (const auto& p : content->get_array()) {
    if (!p.is_object()) continue;
    const auto& part = p.get_object();
    const auto type = str(part, "type");
    if (type == "text") {
      if (const auto text = str(part, "text"); !text.empty()) blocks.push_back(json::object{{"text", text}});
    } else if (type == "image_url") {
      const auto* image = part.if_contains("image_url");
      if (image && image->is_string()) blocks.push_back(image_block(image->get_string()));
      else if (image && image->is_object()) blocks.push_back(image_block(str(image->get_object(), "url")));
    } else if (type == "file") {
      blocks.push_back(document_block(part, ++documents));
    }
    if (features::has_cache_control(part) && !blocks.empty()) blocks.push_back(cache_point());
  }
  return blocks;
}

// Converse marks a prompt-cache breakpoint with a block of its own after the cached content
// (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
json::object cache_point() { return {{"cachePoint", {{"type", "default"}}}}; }

std::string text_of(const json::value* content) {
  std::string text;
  for (const auto& b : content_blocks(content))
    if (b.is_object()) text += str(b.get_object(), "text");
  return text;
}

// Converse wants a JSON object as toolUse.input; OpenAI sends the arguments as a string. Anything
// that is not an object (empty, truncated) becomes {} rather than failing the whole request.
json::object tool_input(std::string_view arguments) {
  auto parsed = parse_object(arguments);
  return parsed ? std::move(*parsed) : json::object{};
}

// Earlier thinking, first in the assistant turn, as Converse's reasoningContent.
json::array reasoning_blocks(const json::object& m) {
  json::array blocks;
  if (const auto* thinking = array_at(m, "thinking_blocks"))
    for (const auto& tv : *thinking) {
      if (!tv.is_object() || !features::is_signed_thinking_block(tv.get_object())) continue;
      const auto& t = tv.get_object();
      if (str(t, "type") == "redacted_thinking")
        blocks.push_back(json::object{{"reasoningContent", {{"redactedContent", str(t, "data")}}}});
      else
        blocks.push_back(json::object{
            {"reasoningContent", {{"reasoningText", {{"text", str(t, "thinking")}, {"signature", str(t, "signature")}}}}}});
    }
  return blocks;
}

void message_cache_point(const json::object& m, json::array& blocks) {
  if (features::has_cache_control(m) && !blocks.empty()) blocks.push_back(cache_point());
}

json::array assistant_blocks(const json::object& m) {
  auto blocks = reasoning_blocks(m);
  for (auto& b : content_blocks(m.if_contains("content"))) blocks.push_back(std::move(b));
  if (const auto* calls = array_at(m, "tool_calls"))
    for (const auto& c : *calls) {
      if (!c.is_object()) continue;
      const auto* fn = object_at(c.get_object(), "function");
      blocks.push_back(json::object{{"toolUse",
                         {{"toolUseId", str(c.get_object(), "id")},
                          {"name", fn ? str(*fn, "name") : std::string_view()},
                          {"input", tool_input(fn ? str(*fn, "arguments") : std::string_view())}}}});
    }
  message_cache_point(m, blocks);
  return blocks;
}

// A tool message → its toolResult, and a cache point after it when it carries a breakpoint.
json::array tool_result_blocks(const json::object& m) {
  json::array blocks{json::object{{"toolResult", {{"toolUseId", str(m, "tool_call_id")},
                                                   {"content", json::array{{{"text", text_of(m.if_contains("content"))}}}}}}}};
  bool cached = features::has_cache_control(m);
  if (const auto* parts = array_at(m, "content"))
    for (const auto& p : *parts) cached = cached || (p.is_object() && features::has_cache_control(p.get_object()));
  if (cached) blocks.push_back(cache_point());
  return blocks;
}

bool is_claude(std::string_view model) { return model.find("claude") != std::string_view::npos; }
bool is_nova(std::string_view model) { return model.find("amazon.nova") != std::string_view::npos; }

// What Converse has no field for goes to the model itself: Claude's thinking, top_k
// (https://docs.aws.amazon.com/bedrock/latest/userguide/claude-messages-extended-thinking.html),
// Nova's topK. Anthropic's rule that max_tokens exceed the budget holds here too.
json::object additional_fields(const json::object& openai, std::string_view model, json::object& inference) {
  json::object fields;
  const auto* top_k = openai.if_contains("top_k");
  if (is_claude(model)) {
    if (const auto* thinking = object_at(openai, "thinking"); thinking && str(*thinking, "type") == "adaptive") {
      fields["thinking"] = *thinking;
    } else if (const auto budget = features::requested_thinking_budget(openai)) {
      const auto b = std::max(*budget, features::kAnthropicMinThinkingBudget);
      fields["thinking"] = {{"type", "enabled"}, {"budget_tokens", b}};
      if (const auto max_tokens = integer(inference, "maxTokens"); max_tokens <= b)
        inference["maxTokens"] = b + (max_tokens > 0 ? max_tokens : kDefaultMaxTokens);
    }
    if (top_k && top_k->is_number()) fields["top_k"] = *top_k;
  } else if (is_nova(model) && top_k && top_k->is_number()) {
    fields["inferenceConfig"] = {{"topK", *top_k}};
  }
  return fields;
}

json::object inference_config(const json::object& openai) {
  json::object config;
  const auto max_tokens = openai.contains("max_completion_tokens") ? integer(openai, "max_completion_tokens")
                                                                   : integer(openai, "max_tokens");
  if (max_tokens > 0) config["maxTokens"] = max_tokens;
  if (const auto* t = openai.if_contains("temperature"); t && t->is_number()) config["temperature"] = *t;
  if (const auto* p = openai.if_contains("top_p"); p && p->is_number()) config["topP"] = *p;
  if (const auto* stop = openai.if_contains("stop")) {
    json::array sequences;
    if (stop->is_string()) sequences.push_back(stop->get_string());
    if (stop->is_array())
      for (const auto& s : stop->get_array())
        if (s.is_string()) sequences.push_back(s);
    if (!sequences.empty()) config["stopSequences"] = std::move(sequences);
  }
  return config;
}

json::array tool_specs(const json::array& tools) {
  json::array specs;
  for (const auto& t : tools) {
    if (!t.is_object()) continue;
    const auto* fn = object_at(t.get_object(), "function");
    if (!fn) continue;
    json::object spec{{"name", str(*fn, "name")}};
    if (const auto description = str(*fn, "description"); !description.empty()) spec["description"] = description;
    const auto* parameters = object_at(*fn, "parameters");
    spec["inputSchema"] = {{"json", parameters ? json::value(*parameters)
                                               : json::value(json::object{{"type", "object"}, {"properties", json::object{}}})}};
    specs.push_back(json::object{{"toolSpec", std::move(spec)}});
    if (features::has_cache_control(t.get_object())) specs.push_back(cache_point());
  }
  return specs;
}

bool mentions_tools(const json::array& messages) {
  for (const auto& m : messages)
    for (const auto& b : m.as_object().at("content").as_array())
      if (b.as_object().contains("toolUse") || b.as_object().contains("toolResult")) return true;
  return false;
}

// Converse's ToolChoice has auto, any and tool, but no "none". For "none" the tools are left out,
// unless the history holds toolUse/toolResult blocks: Converse then requires toolConfig, so the
// tools stay (with no toolChoice) and the model could still call one.
std::optional<json::object> tool_config(const json::object& openai, const json::array& messages, bool thinking) {
  const auto* tools = array_at(openai, "tools");
  auto specs = tools ? tool_specs(*tools) : json::array{};
  if (auto schema = features::response_schema(openai)) {
    // Structured output through a forced tool, as LiteLLM does for Converse; its input comes back
    // as the answer's text. Thinking refuses a forced tool: the choice is left to the model then.
    specs.push_back(json::object{{"toolSpec", {{"name", features::kJsonToolName},
                                               {"description", "Respond with the answer as this tool's input."},
                                               {"inputSchema", {{"json", std::move(*schema)}}}}}});
    json::object config{{"tools", std::move(specs)}};
    if (!thinking) config["toolChoice"] = {{"tool", {{"name", features::kJsonToolName}}}};
    return config;
  }
  if (specs.empty()) return std::nullopt;
  json::object config{{"tools", std::move(specs)}};
  const auto* choice = openai.if_contains("tool_choice");
  if (choice && choice->is_string()) {
    const auto c = std::string_view(choice->get_string());
    if (c == "none" && !mentions_tools(messages)) return std::nullopt;
    if (c == "auto") config["toolChoice"] = {{"auto", json::object{}}};
    if (c == "required") config["toolChoice"] = {{"any", json::object{}}};
  } else if (choice && choice->is_object()) {
    if (const auto* fn = object_at(choice->get_object(), "function"))
      config["toolChoice"] = {{"tool", {{"name", str(*fn, "name")}}}};
  }
  return config;
}

// ---- Converse answer → OpenAI -----------------------------------------------------------------

struct FinishReason {
  std::string_view stop_reason;  // Converse stopReason
  std::string_view finish_reason;
};
constexpr FinishReason kFinishReasons[] = {
    {"end_turn", "stop"},
    {"stop_sequence", "stop"},
    {"max_tokens", "length"},
    {"model_context_window_exceeded", "length"},
    {"tool_use", "tool_calls"},
    {"guardrail_intervened", "content_filter"},
    {"content_filtered", "content_filter"},
};

std::string_view finish_reason(std::string_view stop_reason) {
  for (const auto& r : kFinishReasons)
    if (r.stop_reason == stop_reason) return r.finish_reason;
  return "stop";
}

// Converse's inputTokens leaves out tokens read from or written to the prompt cache; OpenAI's
// prompt_tokens counts every prompt token, with the cached ones repeated in prompt_tokens_details.
json::object openai_usage(const json::object& usage) {
  const auto cache_read = integer(usage, "cacheReadInputTokens");
  const auto prompt = integer(usage, "inputTokens") + cache_read + integer(usage, "cacheWriteInputTokens");
  const auto completion = integer(usage, "outputTokens");
  const auto total = usage.contains("totalTokens") ? integer(usage, "totalTokens") : prompt + completion;
  return {{"prompt_tokens", prompt},
          {"completion_tokens", completion},
          {"total_tokens", total},
          {"prompt_tokens_details", {{"cached_tokens", cache_read}}},
          {"cache_read_input_tokens", cache_read},
          {"cache_creation_input_tokens", integer(usage, "cacheWriteInputTokens")}};
}

json::object tool_call(std::string_view id, std::string_view name, std::string arguments) {
  return {{"id", id}, {"type", "function"}, {"function", {{"name", name}, {"arguments", std::move(arguments)}}}};
}

// ---- ConverseStream → OpenAI chunks ------------------------------------------------------------

std::string exception_json(std::string_view type, std::string_view message) {
  return json::serialize(json::object{{"__type", type}, {"message", message}});
}

// Stream exceptions arrive as "throttlingException"; Bedrock's error bodies (and so the
// classifier's rules) spell the type "ThrottlingException".
std::string exception_type(std::string_view stream_name) {
  if (stream_name.empty()) return "InternalServerException";
  std::string type(stream_name);
  if (type[0] >= 'a' && type[0] <= 'z') type[0] = static_cast<char>(type[0] - 'a' + 'A');
  return type;
}

class BedrockStreamDecoder final : public NativeStreamDecoder {
 public:
  BedrockStreamDecoder(std::string_view model, bool include_usage)
      : chunks_(model, random_id("chatcmpl-"), unix_seconds()), include_usage_(include_usage) {}

  void feed(std::string_view bytes) override {
    if (!error_ && !ended_) frames_.feed(bytes);
  }

  std::optional<http::SseEvent> next() override {
    while (chunks_.empty() && !error_ && !done_) {
      auto message = frames_.next();
      if (!message) {
        if (frames_.error()) error_ = exception_json("InternalServerException", "event stream: " + *frames_.error());
        break;
      }
      on_message(*message);
    }
    return chunks_.pop();
  }

  // Converse sends metadata after messageStop; a body that ends after messageStop without it is
  // still a complete answer (only the usage is unknown).
  void end_of_body() override {
    if (ended_) return;
    while (!error_ && !done_)
      if (auto message = frames_.next()) on_message(*message);
      else break;
    if (!error_ && frames_.error()) error_ = exception_json("InternalServerException", "event stream: " + *frames_.error());
    ended_ = true;
    if (!error_ && stopped_ && !done_) finish();
  }

  const std::optional<std::string>& error() const override { return error_; }

 private:
  void on_message(const aws::eventstream::Message& m) {
    const auto message_type = m.string_header(":message-type");
    if (message_type == "exception") {
      const auto body = parse_object(m.payload);
      error_ = exception_json(exception_type(m.string_header(":exception-type")),
                              body ? str(*body, "message") : std::string_view(m.payload));
      return;
    }
    if (message_type == "error") {  // protocol-level error: code and message in headers
      error_ = exception_json(exception_type(m.string_header(":error-code")), m.string_header(":error-message"));
      return;
    }
    const auto event_type = m.string_header(":event-type");
    const auto payload = parse_object(m.payload);
    if (!payload) {
      error_ = exception_json("InternalServerException",
                              "event stream: unparseable " + std::string(event_type) + " payload");
      return;
    }
    if (event_type == "messageStart") start();
    else if (event_type == "contentBlockStart") on_block_start(*payload);
    else if (event_type == "contentBlockDelta") on_block_delta(*payload);
    else if (event_type == "messageStop") on_stop(*payload);
    else if (event_type == "metadata") on_metadata(*payload);
    // contentBlockStop and unknown events carry nothing an OpenAI client needs.
  }

  void start() {
    if (started_) return;
    started_ = true;
    emit_delta({{"role", "assistant"}, {"content", ""}});
  }

  void on_block_start(const json::object& event) {
    const auto* start_block = object_at(event, "start");
    const auto* tool = start_block ? object_at(*start_block, "toolUse") : nullptr;
    if (!tool) return;
    start();
    if (str(*tool, "name") == features::kJsonToolName) {
      json_blocks_.insert(integer(event, "contentBlockIndex"));  // a response_format answer: streams as text
      return;
    }
    const auto index = tool_index(integer(event, "contentBlockIndex"));
    auto call = tool_call(str(*tool, "toolUseId"), str(*tool, "name"), "");
    call["index"] = index;
    emit_delta({{"tool_calls", json::array{std::move(call)}}});
  }

  void on_block_delta(const json::object& event) {
    const auto* delta = object_at(event, "delta");
    if (!delta) return;
    start();
    if (const auto* text = delta->if_contains("text"); text && text->is_string()) {
      if (!text->get_string().empty()) emit_delta({{"content", text->get_string()}});
    } else if (const auto* reasoning = object_at(*delta, "reasoningContent")) {
      on_reasoning_delta(*reasoning);
    } else if (const auto* json_tool = object_at(*delta, "toolUse");
               json_tool && json_blocks_.contains(integer(event, "contentBlockIndex"))) {
      if (const auto input = str(*json_tool, "input"); !input.empty()) emit_delta({{"content", input}});
    } else if (const auto* tool = object_at(*delta, "toolUse")) {
      const auto index = tool_index(integer(event, "contentBlockIndex"));
      emit_delta({{"tool_calls", json::array{{{"index", index}, {"function", {{"arguments", str(*tool, "input")}}}}}}});
    }
  }

  // Converse streams reasoning as text pieces, then its signature; a redacted block whole.
  void on_reasoning_delta(const json::object& reasoning) {
    if (const auto text = str(reasoning, "text"); !text.empty())
      emit_delta({{"reasoning_content", text}, {"thinking_blocks", json::array{{{"type", "thinking"}, {"thinking", text}}}}});
    if (const auto signature = str(reasoning, "signature"); !signature.empty())
      emit_delta({{"thinking_blocks", json::array{{{"type", "thinking"}, {"thinking", ""}, {"signature", signature}}}}});
    if (const auto data = str(reasoning, "redactedContent"); !data.empty())
      emit_delta({{"thinking_blocks", json::array{{{"type", "redacted_thinking"}, {"data", data}}}}});
  }

  void on_stop(const json::object& event) {
    start();
    std::string_view reason = finish_reason(str(event, "stopReason"));
    if (!json_blocks_.empty() && next_tool_index_ == 0 && reason == "tool_calls") reason = "stop";
    chunks_.choice(0, json::object{}, json::value(reason));
    stopped_ = true;
    if (usage_) finish();
  }

  void on_metadata(const json::object& event) {
    const auto* usage = object_at(event, "usage");
    usage_ = openai_usage(usage ? *usage : json::object{});
    if (stopped_) finish();
  }

  // The usage chunk only when Converse reported usage: zeros would be counted as real.
  void finish() {
    if (include_usage_ && usage_) chunks_.usage(*usage_);
    chunks_.done();
    done_ = true;
  }

  // OpenAI numbers tool calls 0, 1, 2…; Converse numbers every content block, text included.
  std::int64_t tool_index(std::int64_t content_block_index) {
    const auto [it, fresh] = tool_indexes_.try_emplace(content_block_index, next_tool_index_);
    if (fresh) ++next_tool_index_;
    return it->second;
  }

  void emit_delta(json::object delta) { chunks_.choice(0, std::move(delta)); }

  OpenAiChunkQueue chunks_;
  bool include_usage_;
  aws::eventstream::Decoder frames_;
  std::map<std::int64_t, std::int64_t> tool_indexes_;
  std::set<std::int64_t> json_blocks_;  // content blocks of the json_tool_call
  std::int64_t next_tool_index_ = 0;
  std::optional<json::object> usage_;
  bool started_ = false;
  bool stopped_ = false;
  bool done_ = false;
  bool ended_ = false;
  std::optional<std::string> error_;
};

class BedrockDialect final : public NativeDialect {
 public:
  json::object request_from_openai(const json::object& openai, std::string_view model) const override {
    json::array system;
    json::array messages;
    if (const auto* list = array_at(openai, "messages"))
      for (const auto& v : *list) {
        if (!v.is_object()) continue;
        const auto& m = v.get_object();
        const auto role = str(m, "role");
        if (role == "system" || role == "developer") {
          auto blocks = content_blocks(m.if_contains("content"));
          message_cache_point(m, blocks);
          for (auto& b : blocks) system.push_back(std::move(b));
        } else if (role == "assistant") {
          append_turn(messages, "assistant", assistant_blocks(m));
        } else if (role == "tool") {
          append_turn(messages, "user", tool_result_blocks(m));
        } else {
          auto blocks = content_blocks(m.if_contains("content"));
          message_cache_point(m, blocks);
          append_turn(messages, "user", std::move(blocks));
        }
      }
    json::object out{{"messages", messages}};
    if (!system.empty()) out["system"] = std::move(system);
    auto config = inference_config(openai);
    auto fields = additional_fields(openai, model, config);
    const bool thinking = fields.contains("thinking");
    if (!config.empty()) out["inferenceConfig"] = std::move(config);
    if (!fields.empty()) out["additionalModelRequestFields"] = std::move(fields);
    if (auto tools = tool_config(openai, messages, thinking)) out["toolConfig"] = std::move(*tools);
    return out;
  }

  std::optional<json::object> response_to_openai(const json::object& native, std::string_view model) const override {
    const auto* output = object_at(native, "output");
    const auto* message = output ? object_at(*output, "message") : nullptr;
    if (!message) return std::nullopt;
    std::string text;
    std::string reasoning;
    json::array tool_calls;
    json::array thinking_blocks;
    bool json_tool = false;
    if (const auto* content = array_at(*message, "content"))
      for (const auto& b : *content) {
        if (!b.is_object()) continue;
        const auto& block = b.get_object();
        if (const auto* t = block.if_contains("text"); t && t->is_string()) text += t->get_string();
        if (const auto* r = object_at(block, "reasoningContent")) {
          if (const auto* rt = object_at(*r, "reasoningText")) {
            reasoning += str(*rt, "text");
            thinking_blocks.push_back({{"type", "thinking"}, {"thinking", str(*rt, "text")}, {"signature", str(*rt, "signature")}});
          } else if (r->contains("redactedContent")) {
            thinking_blocks.push_back({{"type", "redacted_thinking"}, {"data", str(*r, "redactedContent")}});
          }
        }
        if (const auto* tool = object_at(block, "toolUse")) {
          const auto* input = tool->if_contains("input");
          auto arguments = input ? json::serialize(*input) : std::string("{}");
          if (str(*tool, "name") == features::kJsonToolName) {
            text += arguments;
            json_tool = true;
          } else {
            tool_calls.push_back(tool_call(str(*tool, "toolUseId"), str(*tool, "name"), std::move(arguments)));
          }
        }
      }
    json::object reply{{"role", "assistant"}};
    reply["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!tool_calls.empty()) reply["tool_calls"] = std::move(tool_calls);
    if (!thinking_blocks.empty()) {
      reply["reasoning_content"] = reasoning;
      reply["thinking_blocks"] = std::move(thinking_blocks);
    }
    std::string_view finish = finish_reason(str(native, "stopReason"));
    if (json_tool && !reply.contains("tool_calls") && finish == "tool_calls") finish = "stop";
    const auto* usage = object_at(native, "usage");
    return json::object{{"id", random_id("chatcmpl-")},
                        {"object", "chat.completion"},
                        {"created", unix_seconds()},
                        {"model", model},
                        {"choices", json::array{{{"index", 0},
                                                 {"message", std::move(reply)},
                                                 {"logprobs", nullptr},
                                                 {"finish_reason", finish}}}},
                        {"usage", openai_usage(usage ? *usage : json::object{})}};
  }

  std::unique_ptr<NativeStreamDecoder> stream_decoder(std::string_view model, bool include_usage) const override {
    return std::make_unique<BedrockStreamDecoder>(model, include_usage);
  }
};

}  // namespace

const NativeDialect& bedrock_dialect() {
  static const BedrockDialect dialect;
  return dialect;
}

}  // namespace switchyard::providers
