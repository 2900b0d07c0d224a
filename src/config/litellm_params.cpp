#include "config/litellm_params.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

namespace switchyard::config {
namespace {

constexpr std::array<std::string_view, 24> kRequestDefaults = {
    "temperature", "top_p",          "top_k",          "max_tokens",        "max_completion_tokens", "stop",
    "n",           "presence_penalty", "frequency_penalty", "seed",         "logit_bias",            "logprobs",
    "top_logprobs", "response_format", "reasoning_effort", "user",          "parallel_tool_calls",   "tool_choice",
    "tools",       "thinking",       "modalities",     "service_tier",      "verbosity",             "prediction"};

// Provider adapters and credential chains read these from Deployment::params.
constexpr std::array<std::string_view, 38> kProviderParams = {
    "vertex_project", "vertex_location", "vertex_ai_project", "vertex_ai_location", "vertex_credentials",
    "vertex_ai_credentials", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_region_name",
    "aws_role_name", "aws_profile_name", "aws_session_name", "aws_web_identity_token", "aws_sts_endpoint",
    "aws_external_id", "aws_bedrock_runtime_endpoint", "region_name", "organization", "anthropic_version",
    "azure_ad_token", "tenant_id", "client_id", "client_secret", "azure_username", "azure_password", "azure_scope",
    "azure_authority_host", "databricks_client_id", "databricks_client_secret", "databricks_host",
    "use_in_pass_through", "use_litellm_proxy", "merge_reasoning_content_in_choices", "model_id", "litellm_credential_name",
    "google_application_credentials", "api_type"};

bool in(std::string_view key, const auto& table) { return std::find(std::begin(table), std::end(table), key) != std::end(table); }

// PyYAML 1.1 implicit types of a plain scalar.
boost::json::value plain_scalar(const std::string& s) {
  static constexpr std::string_view kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"};
  static constexpr std::string_view kNull[] = {"", "~", "null", "Null", "NULL"};
  if (in(s, kTrue)) return true;
  if (in(s, kFalse)) return false;
  if (in(s, kNull)) return nullptr;
  std::string digits;
  for (char c : s)
    if (c != '_') digits += c;
  std::int64_t i = 0;
  if (auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      ec == std::errc{} && p == digits.data() + digits.size() && !digits.empty())
    return i;
  double d = 0;
  if (auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
      ec == std::errc{} && p == digits.data() + digits.size() && !digits.empty() && std::isfinite(d))
    return d;
  return boost::json::string(s);
}

}  // namespace

bool is_request_default_param(std::string_view key) { return in(key, kRequestDefaults); }
bool is_provider_param(std::string_view key) { return in(key, kProviderParams); }
bool anthropic_request_param(std::string_view key) {
  static constexpr std::string_view kAnthropic[] = {"temperature", "top_p",  "top_k",   "max_tokens",
                                                    "max_completion_tokens", "stop", "thinking", "user"};
  return in(key, kAnthropic);
}

boost::json::value yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Tag() == "!" ? boost::json::value(boost::json::string(node.Scalar())) : plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      boost::json::array out;
      for (const auto& item : node) out.push_back(yaml_to_json(item));
      return out;
    }
    case YAML::NodeType::Map: {
      boost::json::object out;
      for (const auto& kv : node) out[kv.first.as<std::string>("")] = yaml_to_json(kv.second);
      return out;
    }
    default: return nullptr;
  }
}

}  // namespace switchyard::config
