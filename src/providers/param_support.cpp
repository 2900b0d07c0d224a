#include "providers/param_support.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <boost/json.hpp>
#include <initializer_list>

#include "providers/features.h"
#include "providers/json_fields.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {
using json_fields::array_at;
using json_fields::object_at;
using json_fields::str;
using K = ApiKind;

// ---- what each parameter needs ------------------------------------------------------------------

// A parameter is "used" when the request asks for what it means, not merely names it: n: 1,
// logprobs: false, parallel_tool_calls: true change nothing and are never refused.
using UsedBy = bool (*)(const json::object& body);

bool present(const json::value* v) { return v && !v->is_null(); }
bool truthy(const json::value* v) { return v && v->is_bool() && v->get_bool(); }

bool uses_top_k(const json::object& b) { return present(b.if_contains("top_k")); }
bool uses_n(const json::object& b) { return json_fields::integer(b, "n") > 1; }
bool uses_seed(const json::object& b) { return present(b.if_contains("seed")); }
bool uses_logprobs(const json::object& b) { return truthy(b.if_contains("logprobs")) || present(b.if_contains("top_logprobs")); }
bool uses_presence_penalty(const json::object& b) {
  const auto* v = b.if_contains("presence_penalty");
  return v && v->is_number() && v->to_number<double>() != 0;
}
bool uses_frequency_penalty(const json::object& b) {
  const auto* v = b.if_contains("frequency_penalty");
  return v && v->is_number() && v->to_number<double>() != 0;
}
bool uses_logit_bias(const json::object& b) {
  const auto* v = object_at(b, "logit_bias");
  return v && !v->empty();
}
bool uses_serial_tools(const json::object& b) {
  const auto* v = b.if_contains("parallel_tool_calls");
  return v && v->is_bool() && !v->get_bool() && array_at(b, "tools");
}
bool uses_audio(const json::object& b) { return present(b.if_contains("audio")); }
bool uses_prediction(const json::object& b) { return present(b.if_contains("prediction")); }
bool uses_web_search_options(const json::object& b) { return present(b.if_contains("web_search_options")); }
bool uses_openai_thinking(const json::object& b) {
  return features::requested_thinking_budget(b).has_value();
}

// Claude refuses a request with thinking on when the assistant turn in progress (its tool calls
// since the last user message) does not start with that turn's signed thinking ("Expected
// `thinking` or `redacted_thinking`, but found `tool_use`"). Chat Completions clients that do not
// keep `thinking_blocks` (LangChain's ChatOpenAI, the AI SDK's .chat()) send such turns.
bool has_signed_thinking(const json::object& message) {
  const auto* blocks = array_at(message, "thinking_blocks");
  return blocks && std::any_of(blocks->begin(), blocks->end(), [](const json::value& v) {
           return v.is_object() && features::is_signed_thinking_block(v.get_object());
         });
}
bool uses_thinking_in_unsigned_tool_turn(const json::object& b) {
  if (!features::requested_thinking_budget(b)) return false;
  const auto* messages = array_at(b, "messages");
  if (!messages) return false;
  const json::object* turn_start = nullptr;  // the first assistant message after the last user message
  for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
    if (!it->is_object()) continue;
    const auto role = str(it->get_object(), "role");
    if (role == "user") break;
    if (role == "assistant") turn_start = &it->get_object();
  }
  if (!turn_start) return false;
  const auto* calls = array_at(*turn_start, "tool_calls");
  return calls && !calls->empty() && !has_signed_thinking(*turn_start);
}

bool uses_anthropic_thinking(const json::object& b) {
  const auto* t = object_at(b, "thinking");
  return t && str(*t, "type") != "disabled";
}
bool is_server_tool(const json::value& t) {
  if (!t.is_object()) return false;
  const auto type = str(t.get_object(), "type");
  return !type.empty() && type != "custom";
}
bool uses_server_tools(const json::object& b) {
  const auto* tools = array_at(b, "tools");
  return tools && std::any_of(tools->begin(), tools->end(), is_server_tool);
}
bool is_cited_document(const json::value& block) {
  if (!block.is_object() || str(block.get_object(), "type") != "document") return false;
  const auto* citations = object_at(block.get_object(), "citations");
  return citations && truthy(citations->if_contains("enabled"));
}
bool uses_citations(const json::object& b) {
  if (const auto* messages = array_at(b, "messages"))
    for (const auto& m : *messages)
      if (m.is_object())
        if (const auto* content = array_at(m.get_object(), "content"))
          if (std::any_of(content->begin(), content->end(), is_cited_document)) return true;
  return false;
}
bool uses_mcp_servers(const json::object& b) { return present(b.if_contains("mcp_servers")); }
bool uses_container(const json::object& b) { return present(b.if_contains("container")); }

struct ParamRule {
  core::WireFormat client;       // the format the parameter is spelled in
  std::string_view name;         // as the client spells it (what drop_params removes)
  UsedBy used;
  std::initializer_list<ApiKind> lacking;  // the kinds of API that cannot honour it
  std::string_view why = {};  // when the kind can honour the parameter, but not in this request
};

constexpr auto kOpenAiClient = core::WireFormat::openai;
constexpr auto kAnthropicClient = core::WireFormat::anthropic;

// What each kind of API lacks. Carried everywhere and so not listed: stop, temperature, top_p,
// max_tokens, tools, tool_choice, images, response_format (native, or a forced tool),
// reasoning_effort/thinking on Claude and Gemini, cache_control (native on Anthropic, Vertex
// Claude and Bedrock; OpenAI, Azure and Gemini cache prompt prefixes automatically and report the
// cached tokens, so the marker is removed, not refused). openai_compatible servers decide for
// themselves and are never refused here.
const ParamRule kRules[] = {
    // OpenAI clients
    {kOpenAiClient, "top_k", uses_top_k, {K::openai, K::azure, K::bedrock_other}},
    {kOpenAiClient, "n", uses_n, {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "seed", uses_seed, {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "logprobs", uses_logprobs,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "presence_penalty", uses_presence_penalty,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "frequency_penalty", uses_frequency_penalty,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "logit_bias", uses_logit_bias,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini}},
    {kOpenAiClient, "parallel_tool_calls", uses_serial_tools, {K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini}},
    {kOpenAiClient, "audio", uses_audio,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::databricks}},
    {kOpenAiClient, "prediction", uses_prediction,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::databricks}},
    {kOpenAiClient, "web_search_options", uses_web_search_options,
     {K::anthropic, K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::databricks,
      K::azure}},
    {kOpenAiClient, "reasoning_effort", uses_openai_thinking, {K::bedrock_nova, K::bedrock_other}},
    {kOpenAiClient, "reasoning_effort", uses_thinking_in_unsigned_tool_turn,
     {K::anthropic, K::vertex_claude, K::bedrock_claude},
     "thinking is on and the assistant's tool calls since the last user message come back without "
     "their signed thinking_blocks, which Claude requires; send each assistant message's thinking_blocks "
     "back as they were returned"},
    // Anthropic clients
    {kAnthropicClient, "top_k", uses_top_k, {K::openai, K::azure, K::bedrock_other}},
    {kAnthropicClient, "thinking", uses_anthropic_thinking, {K::bedrock_nova, K::bedrock_other}},
    {kAnthropicClient, "tools", uses_server_tools,  // server tools (web search, code execution…)
     {K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::openai, K::azure, K::databricks}},
    {kAnthropicClient, "citations", uses_citations,
     {K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::openai, K::azure, K::databricks}},
    {kAnthropicClient, "mcp_servers", uses_mcp_servers,
     {K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::openai, K::azure,
      K::databricks}},
    {kAnthropicClient, "container", uses_container,
     {K::vertex_claude, K::bedrock_claude, K::bedrock_nova, K::bedrock_other, K::gemini, K::openai, K::azure,
      K::databricks}},
};

constexpr std::uint32_t bit(ApiKind kind) { return std::uint32_t{1} << static_cast<unsigned>(kind); }

// Each rule's `lacking` list as a bit mask, made once: every request tests a bit per rule instead
// of searching a list (~450 instructions a request).
const auto kLackingMasks = [] {
  std::array<std::uint32_t, std::size(kRules)> masks{};
  for (std::size_t i = 0; i < std::size(kRules); ++i)
    for (const auto kind : kRules[i].lacking) masks[i] |= bit(kind);
  return masks;
}();
static_assert(static_cast<unsigned>(ApiKind::openai_compatible) < 32, "one bit per kind of API");

bool lacks(std::size_t rule, ApiKind kind) { return (kLackingMasks[rule] & bit(kind)) != 0; }

// Why `kind` cannot take `name` in this request, when that kind otherwise can ("" if it never can).
std::string_view why_unsupported(ApiKind kind, std::string_view name) {
  for (std::size_t i = 0; i < std::size(kRules); ++i)
    if (kRules[i].name == name && lacks(i, kind) && !kRules[i].why.empty()) return kRules[i].why;
  return {};
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool param_true(const config::Deployment& d, std::string_view key) {
  const auto it = d.params.find(std::string(key));
  return it != d.params.end() && (it->second == "true" || it->second == "True" || it->second == "1");
}

// ---- the last shaping of an OpenAI-format body -------------------------------------------------

void strip_cache_control(json::value& v) {
  if (v.is_object()) {
    auto& o = v.get_object();
    o.erase("cache_control");
    for (auto& [key, child] : o)
      if (key == "content" || key == "tools") strip_cache_control(child);
  } else if (v.is_array()) {
    for (auto& child : v.get_array()) strip_cache_control(child);
  }
}

}  // namespace

ApiKind api_kind(const Endpoint& e) {
  const auto& model = e.deployment->model;
  switch (e.deployment->provider) {
    case core::Provider::anthropic: return K::anthropic;
    case core::Provider::vertex_ai: return model.starts_with("claude") ? K::vertex_claude : K::gemini;
    case core::Provider::gemini: return K::gemini;
    case core::Provider::bedrock:
      if (model.find("claude") != std::string::npos) return K::bedrock_claude;
      if (model.find("amazon.nova") != std::string::npos) return K::bedrock_nova;
      return K::bedrock_other;
    case core::Provider::openai: return K::openai;
    case core::Provider::azure: return K::azure;
    case core::Provider::databricks: return K::databricks;
    case core::Provider::openai_compatible: return K::openai_compatible;
  }
  return K::openai_compatible;
}

std::string_view to_string(ApiKind kind) {
  switch (kind) {
    case K::anthropic: return "anthropic";
    case K::vertex_claude: return "vertex_ai claude";
    case K::bedrock_claude: return "bedrock claude";
    case K::bedrock_nova: return "bedrock nova";
    case K::bedrock_other: return "bedrock";
    case K::gemini: return "gemini";
    case K::openai: return "openai";
    case K::azure: return "azure";
    case K::databricks: return "databricks";
    case K::openai_compatible: return "openai_compatible";
  }
  return "?";
}

std::vector<std::string> unsupported_params(ApiKind kind, const core::ChatRequest& request) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < std::size(kRules); ++i) {
    const auto& rule = kRules[i];
    if (rule.client == request.format && lacks(i, kind) && rule.used(request.body) && !contains(names, rule.name))
      names.emplace_back(rule.name);
  }
  return names;
}

void drop_params(json::object& body, core::WireFormat format, const std::vector<std::string>& names) {
  for (const auto& name : names) {
    if (format == core::WireFormat::anthropic && name == "tools") {
      // Only the server tools go; the client's own tools stay.
      if (auto* tools = body.if_contains("tools"); tools && tools->is_array()) {
        auto& list = tools->get_array();
        list.erase(std::remove_if(list.begin(), list.end(), is_server_tool), list.end());
      }
    } else if (format == core::WireFormat::anthropic && name == "citations") {
      if (auto* messages = body.if_contains("messages"); messages && messages->is_array())
        for (auto& m : messages->get_array())
          if (auto* content = m.is_object() ? m.get_object().if_contains("content") : nullptr; content && content->is_array())
            for (auto& block : content->get_array())
              if (is_cited_document(block)) block.get_object().erase("citations");
    } else if (format == core::WireFormat::openai && name == "logprobs") {
      body.erase("logprobs");
      body.erase("top_logprobs");
    } else if (format == core::WireFormat::openai && name == "reasoning_effort") {
      body.erase("reasoning_effort");
      body.erase("thinking");
    } else if (format == core::WireFormat::openai && name == "audio") {
      body.erase("audio");
      body.erase("modalities");
    } else {
      body.erase(name);
    }
  }
}

bool drop_params_enabled(const Endpoint& endpoint, const core::ChatRequest& request) {
  return request.drop_params || param_true(*endpoint.deployment, "drop_params");
}

errors::Classification deployment_refusal(std::string rule, std::string message) {
  errors::Classification c;
  c.error_class = errors::ErrorClass::bad_request;
  c.decision.retry = false;
  c.decision.cooldown = false;
  c.decision.fallback = true;
  c.decision.fallback_scope = errors::FallbackScope::general;
  c.rule = std::move(rule);
  c.message = std::move(message);
  return c;
}

errors::Classification unsupported_params_refusal(const Endpoint& endpoint, const std::vector<std::string>& names) {
  const auto kind = api_kind(endpoint);
  std::string list, reasons;
  for (const auto& n : names) {
    if (const auto why = why_unsupported(kind, n); !why.empty())
      reasons += std::string(reasons.empty() ? "" : "; ") + n + " here: " + std::string(why);
    else
      list += (list.empty() ? "" : ", ") + n;
  }
  std::string message = std::string(to_string(kind)) + " deployments ";
  if (!list.empty()) message += "do not support " + list;
  if (!reasons.empty()) message += std::string(list.empty() ? "" : ", and ") + "cannot take " + reasons;
  return deployment_refusal("switchyard:unsupported_params",
                            message + " (not sent; set drop_params: true to drop unsupported parameters)");
}

void shape_openai_body(ApiKind kind, std::string_view model, json::object& body) {
  // Thinking: OpenAI models take reasoning_effort; Claude on Databricks takes Anthropic's object.
  const bool databricks_claude = kind == K::databricks && model.find("claude") != std::string_view::npos;
  if (body.contains("thinking") || body.contains("reasoning_effort")) {
    if (databricks_claude) {
      if (!body.contains("thinking"))
        if (const auto budget = features::requested_thinking_budget(body))
          body["thinking"] = {{"type", "enabled"}, {"budget_tokens", std::max(*budget, features::kAnthropicMinThinkingBudget)}};
      body.erase("reasoning_effort");
    } else if (kind != K::openai_compatible || !body.contains("reasoning_effort")) {
      if (!body.contains("reasoning_effort"))
        if (const auto budget = features::requested_thinking_budget(body))
          body["reasoning_effort"] = features::effort_for_budget(*budget);
      body.erase("thinking");
    } else {
      body.erase("thinking");
    }
  }
  // Earlier thinking is Anthropic's to verify; OpenAI-format servers take only the text.
  if (auto* messages = body.if_contains("messages"); messages && messages->is_array())
    for (auto& m : messages->get_array())
      if (m.is_object()) {
        m.get_object().erase("thinking_blocks");
        m.get_object().erase("reasoning_content");
      }
  // Prompt caching is automatic on OpenAI-format servers (cached tokens come back in usage).
  if (auto* messages = body.if_contains("messages")) strip_cache_control(*messages);
  if (auto* tools = body.if_contains("tools")) strip_cache_control(*tools);
}

}  // namespace switchyard::providers
