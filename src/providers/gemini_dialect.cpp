// OpenAI chat ⇄ Gemini generateContent (https://ai.google.dev/api/generate-content), the same body
// on Vertex AI's publishers/google models. Streams are streamGenerateContent?alt=sse: each event
// is a whole GenerateContentResponse holding only the new parts, with no terminal event.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <random>

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

// Gemini 3 wants each functionCall's thoughtSignature sent back with it on the next turn; OpenAI
// clients only keep the tool call id, so the signature rides in the id (LiteLLM does the same).
constexpr std::string_view kThoughtSignatureSeparator = "__thought__";

// ---- OpenAI request → Gemini ------------------------------------------------------------------

struct MimeByExtension {
  std::string_view extension;
  std::string_view mime_type;
};
// fileData needs a mimeType; URLs rarely say, so guess from the path.
constexpr MimeByExtension kMimeTypes[] = {
    {".png", "image/png"},   {".jpg", "image/jpeg"},      {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
    {".webp", "image/webp"}, {".heic", "image/heic"},     {".heif", "image/heif"}, {".pdf", "application/pdf"},
    {".mp4", "video/mp4"},   {".mp3", "audio/mp3"},       {".wav", "audio/wav"},   {".txt", "text/plain"},
};
constexpr std::string_view kDefaultImageMimeType = "image/jpeg";

std::string_view guess_mime_type(std::string_view url) {
  const auto path = url.substr(0, url.find_first_of("?#"));
  for (const auto& [extension, mime_type] : kMimeTypes) {
    if (path.size() < extension.size()) continue;
    const auto tail = path.substr(path.size() - extension.size());
    bool same = true;
    for (std::size_t i = 0; i < tail.size(); ++i)
      same = same && (tail[i] | 0x20) == extension[i];  // ASCII case-insensitive ('.' | 0x20 == '.')
    if (same) return mime_type;
  }
  return kDefaultImageMimeType;
}

json::object image_part(const json::object& part) {
  std::string_view url;
  if (const auto* iu = part.if_contains("image_url")) {
    if (iu->is_string()) url = iu->get_string();
    else if (iu->is_object()) url = str(iu->get_object(), "url");
  }
  if (url.starts_with("data:")) {
    // data:image/png;base64,AAAA
    const auto semi = url.find(';');
    const auto comma = url.find(',');
    const auto mime_end = std::min(semi, comma);
    return {{"inlineData",
             {{"mimeType", mime_end == std::string_view::npos ? std::string_view() : url.substr(5, mime_end - 5)},
              {"data", comma == std::string_view::npos ? std::string_view() : url.substr(comma + 1)}}}};
  }
  return {{"fileData", {{"mimeType", guess_mime_type(url)}, {"fileUri", url}}}};
}

// OpenAI's file part: a data: URL inline, a file id (a Files API URI) as fileData.
json::object file_part(const json::object& part) {
  const auto* file = object_at(part, "file");
  const auto data = file ? str(*file, "file_data") : std::string_view();
  const auto comma = data.find(',');
  if (data.starts_with("data:") && comma != std::string_view::npos) {
    const auto mime_end = std::min(data.find(';'), comma);
    return {{"inlineData", {{"mimeType", data.substr(5, mime_end - 5)}, {"data", data.substr(comma + 1)}}}};
  }
  return {{"fileData", {{"mimeType", "application/pdf"}, {"fileUri", file ? str(*file, "file_id") : std::string_view()}}}};
}

// Gemini rejects empty text parts ("contents.parts must not be empty").
void push_text(json::array& parts, std::string_view text) {
  if (!text.empty()) parts.push_back(json::object{{"text", text}});
}

json::array content_parts(const json::value* content) {
  json::array parts;
  if (!content) return parts;
  if (content->is_string()) push_text(parts, content->get_string());
  if (!content->is_array()) return parts;
  for (const auto& pv : content->get_array()) {
    if (!pv.is_object()) continue;
    const auto& p = pv.get_object();
    const auto type = str(p, "type");
    if (type == "text") push_text(parts, str(p, "text"));
    else if (type == "image_url") parts.push_back(image_part(p));
    else if (type == "file") parts.push_back(file_part(p));
  }
  return parts;
}

std::string flatten_text(const json::value* content) {
  std::string out;
  for (const auto& part : content_parts(content))
    if (const auto text = str(part.get_object(), "text"); !text.empty()) {
      if (!out.empty()) out += "\n";
      out += text;
    }
  return out;
}

json::object parse_arguments(std::string_view arguments) {
  auto parsed = parse_object(arguments);
  return parsed ? std::move(*parsed) : json::object{};  // functionCall.args must be an object
}

json::array assistant_parts(const json::object& message, std::map<std::string, std::string, std::less<>>& call_names) {
  json::array parts = content_parts(message.if_contains("content"));
  const auto* calls = array_at(message, "tool_calls");
  if (!calls) return parts;
  for (const auto& cv : *calls) {
    if (!cv.is_object()) continue;
    const auto& call = cv.get_object();
    const auto* fn = object_at(call, "function");
    if (!fn) continue;
    const auto id = str(call, "id");
    call_names[std::string(id)] = std::string(str(*fn, "name"));
    json::object part{{"functionCall", {{"name", str(*fn, "name")}, {"args", parse_arguments(str(*fn, "arguments"))}}}};
    if (const auto sep = id.find(kThoughtSignatureSeparator); sep != std::string_view::npos)
      part["thoughtSignature"] = id.substr(sep + kThoughtSignatureSeparator.size());
    parts.push_back(std::move(part));
  }
  return parts;
}

json::object function_response_part(const json::object& message,
                                    const std::map<std::string, std::string, std::less<>>& call_names) {
  // Gemini matches a result to its call by function name; OpenAI tool messages only carry the id.
  std::string name;
  if (const auto it = call_names.find(str(message, "tool_call_id")); it != call_names.end()) name = it->second;
  else name = std::string(str(message, "name"));
  const auto* content = message.if_contains("content");
  std::string text = content && content->is_string() ? std::string(content->get_string()) : flatten_text(content);
  auto as_object = parse_object(text);
  json::object response = as_object ? std::move(*as_object) : json::object{{"content", std::move(text)}};
  return {{"functionResponse", {{"name", std::move(name)}, {"response", std::move(response)}}}};
}

// JSON-schema keywords outside the OpenAPI 3.0 subset Gemini's Schema accepts; sending them is a
// 400 ("Invalid JSON payload received. Unknown name"). $ref/$defs are not inlined: such tools
// still fail upstream.
constexpr std::string_view kUnsupportedSchemaKeys[] = {"$schema", "$id", "$comment", "additionalProperties", "strict"};

json::value clean_schema(const json::value& schema) {
  if (schema.is_array()) {
    json::array out;
    for (const auto& v : schema.get_array()) out.push_back(clean_schema(v));
    return out;
  }
  if (!schema.is_object()) return schema;
  json::object out;
  for (const auto& [key, value] : schema.get_object()) {
    if (std::find(std::begin(kUnsupportedSchemaKeys), std::end(kUnsupportedSchemaKeys), key) !=
        std::end(kUnsupportedSchemaKeys))
      continue;
    if (key == "properties" && value.is_object()) {
      // Property names are data, not keywords: a property may be called "strict".
      json::object properties;
      for (const auto& [name, sub] : value.get_object()) properties[name] = clean_schema(sub);
      out[key] = std::move(properties);
    } else {
      out[key] = clean_schema(value);
    }
  }
  return out;
}

bool has_no_properties(const json::object& schema) {
  const auto* properties = object_at(schema, "properties");
  return str(schema, "type") == "object" && (!properties || properties->empty());
}

json::array function_declarations(const json::array& tools) {
  json::array declarations;
  for (const auto& tv : tools) {
    if (!tv.is_object()) continue;
    const auto* fn = object_at(tv.get_object(), "function");
    if (!fn) continue;
    json::object declaration{{"name", str(*fn, "name")}};
    if (const auto description = str(*fn, "description"); !description.empty()) declaration["description"] = description;
    // Gemini rejects an OBJECT schema without properties; a function without parameters omits it.
    if (const auto* params = object_at(*fn, "parameters"); params && !has_no_properties(*params))
      declaration["parameters"] = clean_schema(*params);
    declarations.push_back(std::move(declaration));
  }
  return declarations;
}

json::object function_calling_config(const json::value& choice) {
  if (choice.is_string()) {
    const auto c = choice.get_string();
    if (c == "none") return {{"mode", "NONE"}};
    if (c == "required") return {{"mode", "ANY"}};
    return {{"mode", "AUTO"}};
  }
  if (choice.is_object())
    if (const auto* fn = object_at(choice.get_object(), "function"))
      return {{"mode", "ANY"}, {"allowedFunctionNames", json::array{str(*fn, "name")}}};
  return {{"mode", "AUTO"}};
}

void copy_number(const json::object& from, std::string_view key, json::object& to, std::string_view as) {
  if (const auto* v = from.if_contains(key); v && v->is_number()) to[as] = *v;
}

json::object generation_config(const json::object& in) {
  json::object config;
  std::int64_t max_tokens = integer(in, "max_completion_tokens");
  if (max_tokens <= 0) max_tokens = integer(in, "max_tokens");
  if (max_tokens > 0) config["maxOutputTokens"] = max_tokens;
  copy_number(in, "temperature", config, "temperature");
  copy_number(in, "top_p", config, "topP");
  copy_number(in, "presence_penalty", config, "presencePenalty");
  copy_number(in, "frequency_penalty", config, "frequencyPenalty");
  copy_number(in, "seed", config, "seed");
  if (const auto* stop = in.if_contains("stop")) {
    if (stop->is_string()) config["stopSequences"] = json::array{stop->get_string()};
    else if (stop->is_array()) config["stopSequences"] = *stop;
  }
  copy_number(in, "top_k", config, "topK");
  if (const auto n = integer(in, "n"); n > 0) config["candidateCount"] = n;
  if (const auto* logprobs = in.if_contains("logprobs"); logprobs && logprobs->is_bool() && logprobs->get_bool()) {
    config["responseLogprobs"] = true;
    copy_number(in, "top_logprobs", config, "logprobs");
  }
  if (const auto* format = object_at(in, "response_format")) {
    const auto type = str(*format, "type");
    if (type == "json_object" || type == "json_schema") config["responseMimeType"] = "application/json";
    // responseSchema takes an OpenAPI subset: the schema goes cleaned of the keywords it rejects;
    // one with $ref needs the full JSON Schema field (responseJsonSchema) instead.
    if (auto schema = features::response_schema(in); schema && type == "json_schema") {
      if (json::serialize(*schema).find("\"$ref\"") != std::string::npos) config["responseJsonSchema"] = std::move(*schema);
      else config["responseSchema"] = clean_schema(*schema);
    }
  }
  // Thinking: the budget asked for (an Anthropic client's exact budget_tokens, else LiteLLM's
  // reasoning_effort mapping), thoughts included so they reach the client; "none" turns it off.
  if (const auto budget = features::requested_thinking_budget(in))
    config["thinkingConfig"] = {{"thinkingBudget", *budget}, {"includeThoughts", true}};
  else if (str(in, "reasoning_effort") == "none")
    config["thinkingConfig"] = {{"thinkingBudget", 0}};
  return config;
}

// ---- Gemini answer → OpenAI -------------------------------------------------------------------

struct FinishReasonMapping {
  std::string_view gemini;
  std::string_view openai;
};
// https://ai.google.dev/api/generate-content#FinishReason ; unlisted reasons read as "stop".
constexpr FinishReasonMapping kFinishReasons[] = {
    {"STOP", "stop"},
    {"MAX_TOKENS", "length"},
    {"SAFETY", "content_filter"},
    {"RECITATION", "content_filter"},
    {"BLOCKLIST", "content_filter"},
    {"PROHIBITED_CONTENT", "content_filter"},
    {"SPII", "content_filter"},
    {"IMAGE_SAFETY", "content_filter"},
};
// A candidate stopped for these with no parts at all carries no answer.
constexpr std::string_view kBlockingFinishReasons[] = {"SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST"};

std::string_view openai_finish_reason(std::string_view gemini, bool saw_function_call) {
  std::string_view mapped = "stop";
  for (const auto& [from, to] : kFinishReasons)
    if (from == gemini) mapped = to;
  return mapped == "stop" && saw_function_call ? "tool_calls" : mapped;
}

bool is_meaningful_finish_reason(std::string_view reason) {
  return !reason.empty() && reason != "FINISH_REASON_UNSPECIFIED";
}

const json::array* parts_of(const json::object& candidate) {
  const auto* content = object_at(candidate, "content");
  return content ? array_at(*content, "parts") : nullptr;
}

bool is_blocked_without_content(const json::object& candidate) {
  const auto reason = str(candidate, "finishReason");
  const auto* parts = parts_of(candidate);
  return (!parts || parts->empty()) &&
         std::find(std::begin(kBlockingFinishReasons), std::end(kBlockingFinishReasons), reason) !=
             std::end(kBlockingFinishReasons);
}

bool is_thought(const json::object& part) {
  const auto* thought = part.if_contains("thought");
  return thought && thought->is_bool() && thought->get_bool();
}

// A thought part as a LiteLLM thinking block; its thoughtSignature (when Gemini signs it) is the
// block's signature.
json::object thinking_block(const json::object& part) {
  json::object block{{"type", "thinking"}, {"thinking", str(part, "text")}};
  if (const auto signature = str(part, "thoughtSignature"); !signature.empty()) block["signature"] = signature;
  return block;
}

json::object openai_tool_call(const json::object& function_call, std::string_view thought_signature) {
  std::string id = random_id("call_");
  if (!thought_signature.empty()) id += std::string(kThoughtSignatureSeparator) + std::string(thought_signature);
  const auto* args = function_call.if_contains("args");
  return {{"id", std::move(id)},
          {"type", "function"},
          {"function", {{"name", str(function_call, "name")},
                        {"arguments", args && args->is_object() ? json::serialize(*args) : std::string("{}")}}}};
}

// logprobsResult (chosenCandidates[i] with topCandidates[i].candidates) → OpenAI's
// logprobs.content [{token, logprob, bytes, top_logprobs}]; null when Gemini sent none.
json::value openai_logprobs(const json::object& candidate) {
  const auto* result = object_at(candidate, "logprobsResult");
  const auto* chosen = result ? array_at(*result, "chosenCandidates") : nullptr;
  if (!chosen) return nullptr;
  const auto* top = array_at(*result, "topCandidates");
  const auto entry = [](const json::value& v) {
    const auto& o = v.is_object() ? v.get_object() : json::object{};
    const auto* lp = o.if_contains("logProbability");
    return json::object{{"token", str(o, "token")}, {"logprob", lp && lp->is_number() ? lp->to_number<double>() : 0.0},
                        {"bytes", nullptr}};
  };
  json::array content;
  for (std::size_t i = 0; i < chosen->size(); ++i) {
    auto token = entry((*chosen)[i]);
    json::array alternatives;
    if (top && i < top->size() && (*top)[i].is_object())
      if (const auto* candidates = array_at((*top)[i].get_object(), "candidates"))
        for (const auto& c : *candidates) alternatives.push_back(entry(c));
    token["top_logprobs"] = std::move(alternatives);
    content.push_back(std::move(token));
  }
  return json::object{{"content", std::move(content)}, {"refusal", nullptr}};
}

// usageMetadata → OpenAI usage: thinking tokens are billed as output, as OpenAI's reasoning tokens.
json::object openai_usage(const json::object& metadata) {
  const auto prompt = integer(metadata, "promptTokenCount");
  const auto thoughts = integer(metadata, "thoughtsTokenCount");
  const auto completion = integer(metadata, "candidatesTokenCount") + thoughts;
  const auto total = metadata.contains("totalTokenCount") ? integer(metadata, "totalTokenCount") : prompt + completion;
  json::object usage{{"prompt_tokens", prompt}, {"completion_tokens", completion}, {"total_tokens", total}};
  if (const auto cached = integer(metadata, "cachedContentTokenCount"); cached > 0)
    usage["prompt_tokens_details"] = {{"cached_tokens", cached}};
  if (thoughts > 0) usage["completion_tokens_details"] = {{"reasoning_tokens", thoughts}};
  return usage;
}

std::string chat_id(const json::object& native) {
  const auto response_id = str(native, "responseId");
  return response_id.empty() ? random_id("chatcmpl-") : "chatcmpl-" + std::string(response_id);
}

std::string model_name(std::string_view model, const json::object& native) {
  return std::string(model.empty() ? str(native, "modelVersion") : model);
}

json::object error_json(int code, std::string_view message, std::string_view status) {
  return {{"error", {{"code", code}, {"message", message}, {"status", status}}}};
}

// ---- Gemini SSE → OpenAI chunks ---------------------------------------------------------------

class GeminiStreamDecoder final : public NativeStreamDecoder {
 public:
  GeminiStreamDecoder(std::string_view model, bool include_usage)
      : chunks_(model, "", 0), include_usage_(include_usage) {}

  void feed(std::string_view bytes) override {
    if (!error_ && !ended_) parser_.feed(bytes);
  }

  std::optional<http::SseEvent> next() override {
    while (chunks_.empty() && !error_) {
      auto event = parser_.next();
      if (!event) {
        if (parser_.overflowed()) error_ = json::serialize(error_json(500, "stream event too large", "INTERNAL"));
        break;
      }
      translate(event->data);
    }
    return chunks_.pop();
  }

  void end_of_body() override {
    if (ended_) return;
    while (!error_)
      if (auto event = parser_.next()) translate(event->data);
      else break;
    ended_ = true;
    if (error_ || !finished_) return;
    if (include_usage_) chunks_.usage(openai_usage(usage_));
    chunks_.done();
  }

  const std::optional<std::string>& error() const override { return error_; }

 private:
  struct CandidateState {
    bool started = false;
    bool saw_function_call = false;
    std::int64_t tool_calls = 0;
  };

  void translate(const std::string& data) {
    if (data.empty()) return;  // nothing to say; not an answer, not an error
    auto response = parse_object(data);
    if (!response) {
      error_ = json::serialize(error_json(500, "unparseable stream event", "INTERNAL"));
      return;
    }
    const auto* candidates = array_at(*response, "candidates");
    const bool has_candidates = candidates && !candidates->empty();
    const auto* feedback = object_at(*response, "promptFeedback");
    if (response->contains("error") || (!has_candidates && feedback && !str(*feedback, "blockReason").empty())) {
      error_ = data;
      return;
    }
    chunks_.set_id_if_unset(chat_id(*response));
    chunks_.set_model_if_unset(str(*response, "modelVersion"));
    if (const auto* usage = object_at(*response, "usageMetadata")) usage_ = *usage;  // cumulative
    if (!has_candidates) return;
    for (std::size_t i = 0; i < candidates->size(); ++i)
      if ((*candidates)[i].is_object()) translate_candidate((*candidates)[i].get_object(), i);
  }

  void translate_candidate(const json::object& candidate, std::size_t position) {
    const std::int64_t index = candidate.contains("index") ? integer(candidate, "index") : static_cast<std::int64_t>(position);
    auto& state = candidates_[index];
    if (!state.started) {
      state.started = true;
      emit_choice(index, {{"role", "assistant"}, {"content", ""}}, nullptr);
    }
    if (const auto* parts = parts_of(candidate))
      for (const auto& pv : *parts) {
        if (!pv.is_object()) continue;
        const auto& part = pv.get_object();
        if (is_thought(part)) {
          emit_choice(index, {{"reasoning_content", str(part, "text")}, {"thinking_blocks", json::array{thinking_block(part)}}},
                      nullptr);
          continue;
        }
        if (const auto text = str(part, "text"); !text.empty()) emit_choice(index, {{"content", text}}, nullptr);
        if (const auto* call = object_at(part, "functionCall")) {
          // Gemini sends each call whole, so one chunk carries its id, name and all arguments.
          json::object tool_call = openai_tool_call(*call, str(part, "thoughtSignature"));
          tool_call["index"] = state.tool_calls++;
          state.saw_function_call = true;
          emit_choice(index, {{"tool_calls", json::array{std::move(tool_call)}}}, nullptr);
        }
      }
    if (const auto reason = str(candidate, "finishReason"); is_meaningful_finish_reason(reason)) {
      emit_choice(index, json::object{}, json::value(openai_finish_reason(reason, state.saw_function_call)));
      finished_ = true;
    }
  }

  void emit_choice(std::int64_t index, json::object delta, json::value finish_reason) {
    chunks_.choice(index, std::move(delta), std::move(finish_reason));
  }

  http::SseParser parser_;
  OpenAiChunkQueue chunks_;
  std::optional<std::string> error_;
  bool include_usage_;
  json::object usage_;
  std::map<std::int64_t, CandidateState> candidates_;
  bool finished_ = false;
  bool ended_ = false;
};

// ---- the dialect ------------------------------------------------------------------------------

class GeminiDialect final : public NativeDialect {
 public:
  json::object request_from_openai(const json::object& openai, std::string_view) const override {
    json::object out;
    json::array contents;
    json::array system_parts;
    std::map<std::string, std::string, std::less<>> call_names;  // tool_call_id → function name
    if (const auto* messages = array_at(openai, "messages"))
      for (const auto& mv : *messages) {
        if (!mv.is_object()) continue;
        const auto& m = mv.get_object();
        const auto role = str(m, "role");
        if (role == "system" || role == "developer") {
          push_text(system_parts, flatten_text(m.if_contains("content")));
        } else if (role == "assistant") {
          append_turn(contents, "model", assistant_parts(m, call_names), "parts");
        } else if (role == "tool") {
          append_turn(contents, "user", json::array{function_response_part(m, call_names)}, "parts");
        } else {
          append_turn(contents, "user", content_parts(m.if_contains("content")), "parts");
        }
      }
    out["contents"] = std::move(contents);
    if (!system_parts.empty()) out["systemInstruction"] = {{"parts", std::move(system_parts)}};
    if (auto config = generation_config(openai); !config.empty()) out["generationConfig"] = std::move(config);
    if (const auto* tools = array_at(openai, "tools"))
      if (auto declarations = function_declarations(*tools); !declarations.empty())
        out["tools"] = json::array{{{"functionDeclarations", std::move(declarations)}}};
    if (const auto* choice = openai.if_contains("tool_choice"); choice && !choice->is_null())
      out["toolConfig"] = {{"functionCallingConfig", function_calling_config(*choice)}};
    return out;
  }

  std::optional<json::object> response_to_openai(const json::object& native, std::string_view model) const override {
    const auto* candidates = array_at(native, "candidates");
    if (!candidates || candidates->empty()) return std::nullopt;  // e.g. promptFeedback.blockReason
    json::array choices;
    for (std::size_t i = 0; i < candidates->size(); ++i) {
      if (!(*candidates)[i].is_object()) continue;
      const auto& candidate = (*candidates)[i].get_object();
      if (is_blocked_without_content(candidate)) return std::nullopt;
      std::string text;
      std::string reasoning;
      json::array thinking_blocks;
      json::array tool_calls;
      if (const auto* parts = parts_of(candidate))
        for (const auto& pv : *parts) {
          if (!pv.is_object()) continue;
          const auto& part = pv.get_object();
          if (is_thought(part)) {
            reasoning += str(part, "text");
            thinking_blocks.push_back(thinking_block(part));
            continue;
          }
          text += str(part, "text");
          if (const auto* call = object_at(part, "functionCall"))
            tool_calls.push_back(openai_tool_call(*call, str(part, "thoughtSignature")));
        }
      json::object message{{"role", "assistant"}};
      message["content"] = text.empty() && !tool_calls.empty() ? json::value(nullptr) : json::value(text);
      if (!thinking_blocks.empty()) {
        message["reasoning_content"] = reasoning;
        message["thinking_blocks"] = std::move(thinking_blocks);
      }
      const bool saw_function_call = !tool_calls.empty();
      if (saw_function_call) message["tool_calls"] = std::move(tool_calls);
      choices.push_back({{"index", candidate.contains("index") ? integer(candidate, "index") : static_cast<std::int64_t>(i)},
                         {"message", std::move(message)},
                         {"logprobs", openai_logprobs(candidate)},
                         {"finish_reason", openai_finish_reason(str(candidate, "finishReason"), saw_function_call)}});
    }
    if (choices.empty()) return std::nullopt;
    const auto* usage = object_at(native, "usageMetadata");
    return json::object{{"id", chat_id(native)},
                        {"object", "chat.completion"},
                        {"created", 0},
                        {"model", model_name(model, native)},
                        {"choices", std::move(choices)},
                        {"usage", openai_usage(usage ? *usage : json::object{})}};
  }

  std::unique_ptr<NativeStreamDecoder> stream_decoder(std::string_view model, bool include_usage) const override {
    return std::make_unique<GeminiStreamDecoder>(model, include_usage);
  }
};

}  // namespace

const NativeDialect& gemini_dialect() {
  static const GeminiDialect dialect;
  return dialect;
}

}  // namespace switchyard::providers
