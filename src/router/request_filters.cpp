#include "router/request_filters.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <string_view>

namespace switchyard::router {
namespace json = boost::json;
namespace {

constexpr std::int64_t kBytesPerToken = 4;

// Input context windows of common models (providers' model pages); longest prefix wins.
struct WindowEntry {
  std::string_view model_prefix;
  std::int64_t max_input_tokens;
};
constexpr std::array<WindowEntry, 16> kContextWindows = {{
    {"claude-", 200'000},          {"gpt-4o", 128'000},        {"gpt-4o-mini", 128'000},
    {"gpt-4.1", 1'047'576},        {"gpt-4-turbo", 128'000},   {"gpt-4", 8'192},
    {"gpt-3.5-turbo", 16'385},     {"o1", 200'000},            {"o3", 200'000},
    {"o4-mini", 200'000},          {"gpt-5", 272'000},         {"gemini-1.5-pro", 2'097'152},
    {"gemini-1.5-flash", 1'048'576}, {"gemini-2", 1'048'576},  {"databricks-claude-", 200'000},
    {"anthropic.claude-", 200'000},
}};

bool has_tag(const config::Deployment& d, std::string_view tag) {
  return std::find(d.tags.begin(), d.tags.end(), tag) != d.tags.end();
}

bool tag_match(const config::Deployment& d, const core::RoutingControls& c) {
  for (const auto& t : c.tags)
    if (has_tag(d, t)) return true;
  for (const auto& re : d.tag_regex)
    for (const auto& line : c.header_lines)
      if (RE2::PartialMatch(line, *re)) return true;
  return false;
}

void add_text_bytes(const json::value& v, std::int64_t& bytes) {
  if (v.is_string()) bytes += static_cast<std::int64_t>(v.get_string().size());
  else if (v.is_array())
    for (const auto& item : v.get_array()) add_text_bytes(item, bytes);
  else if (v.is_object())
    for (const auto& kv : v.get_object())
      if (kv.key() == "text" || kv.key() == "content" || kv.key() == "arguments" || kv.value().is_array() ||
          kv.value().is_object())
        add_text_bytes(kv.value(), bytes);
}

}  // namespace

std::int64_t estimate_prompt_tokens(const core::ChatRequest& request) {
  std::int64_t bytes = 0;
  if (const auto* m = request.body.if_contains("messages")) add_text_bytes(*m, bytes);
  if (const auto* s = request.body.if_contains("system")) add_text_bytes(*s, bytes);
  return (bytes + kBytesPerToken - 1) / kBytesPerToken;
}

std::optional<std::int64_t> context_window(const config::Deployment& d) {
  if (d.max_input_tokens) return d.max_input_tokens;
  const WindowEntry* best = nullptr;
  for (const auto& e : kContextWindows)
    if (std::string_view(d.model).starts_with(e.model_prefix) && (!best || e.model_prefix.size() > best->model_prefix.size()))
      best = &e;
  if (!best) return std::nullopt;
  return best->max_input_tokens;
}

std::vector<const DeploymentEntry*> excluded_by_request(const config::Config& config,
                                                        std::span<const DeploymentEntry* const> group,
                                                        const core::ChatRequest& request) {
  std::vector<const DeploymentEntry*> out;
  const auto& rs = config.router;
  const auto kept = [](const std::vector<const DeploymentEntry*>& v, const DeploymentEntry* e) {
    return std::find(v.begin(), v.end(), e) != v.end();
  };
  if (rs.enable_tag_filtering) {
    const auto& c = request.controls;
    std::vector<const DeploymentEntry*> keep;
    if (!c.tags.empty()) {
      for (const auto* e : group)
        if (tag_match(*e->config, c)) keep.push_back(e);
      if (keep.empty())
        for (const auto* e : group)
          if (has_tag(*e->config, "default")) keep.push_back(e);
    } else {
      for (const auto* e : group)
        if (has_tag(*e->config, "default")) keep.push_back(e);
      if (keep.empty()) keep.assign(group.begin(), group.end());
    }
    for (const auto* e : group)
      if (!kept(keep, e)) out.push_back(e);
  }
  if (rs.enable_pre_call_checks) {
    const auto tokens = estimate_prompt_tokens(request);
    for (const auto* e : group) {
      const auto window = context_window(*e->config);
      if (window && tokens > *window && !kept(out, e)) out.push_back(e);
    }
  }
  return out;
}

std::string filter_reason(const core::ChatRequest& request) {
  if (!request.controls.tags.empty()) {
    std::string tags;
    for (const auto& t : request.controls.tags) tags += (tags.empty() ? "" : ", ") + t;
    return "matches the request's tags [" + tags + "] or fits its prompt (~" +
           std::to_string(estimate_prompt_tokens(request)) + " tokens)";
  }
  return "is tagged 'default' or fits the request's prompt (~" + std::to_string(estimate_prompt_tokens(request)) +
         " tokens)";
}

FailedAttempt mock_testing_failure(const std::string& group, const errors::Classifier& classifier) {
  errors::UpstreamError error;
  error.status = 500;
  json::object detail{{"type", "internal_server_error"},
                      {"message", "This is a mock exception for model=" + group + ", to trigger a fallback (mock_testing_fallbacks)"}};
  error.body = json::serialize(json::object{{"error", std::move(detail)}});
  FailedAttempt f;
  f.group = group;
  f.deployment_id = "mock_testing_fallbacks";
  f.classification = classifier.classify(error);
  f.status = 500;
  return f;
}

}  // namespace switchyard::router
