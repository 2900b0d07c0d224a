// What each `litellm_params` key means to Switchyard, as tables: request parameters LiteLLM sends
// with every call of the deployment, provider parameters the provider adapters read (credentials,
// project, region), and YAML → JSON for the request parameters' values. Anything in neither
// table loads with a warning (file:line:col), never silently.
#pragma once

#include <yaml-cpp/yaml.h>

#include <boost/json/value.hpp>
#include <string_view>

namespace switchyard::config {

// OpenAI chat parameters set per deployment (temperature, max_tokens, stop, …).
bool is_request_default_param(std::string_view key);
// Read by a provider adapter or a credential chain (vertex_project, aws_role_name, region_name, …).
bool is_provider_param(std::string_view key);
// The request defaults an Anthropic-format upstream has a parameter for (the rest are not sent).
bool anthropic_request_param(std::string_view key);

// A YAML value as PyYAML would hand it to LiteLLM: plain scalars typed (int, float, bool, null),
// quoted scalars strings, mappings objects, sequences arrays.
boost::json::value yaml_to_json(const YAML::Node& node);

}  // namespace switchyard::config
