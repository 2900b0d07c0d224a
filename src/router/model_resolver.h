// Which model group a requested name routes to, as LiteLLM's Router decides it: an exact
// model_name first, then router_settings.model_group_alias, then a deployment's model_info.id, then the most specific wildcard model_name
// (`*`, `anthropic/*`, `claude-*`; config/model_patterns.h), tried on the name as given and on
// `provider/name` with LiteLLM's inferred provider. A wildcard deployment is then called with the
// requested model substituted into its `model`. Built once per config; lookups compile nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "config/model_patterns.h"
#include "providers/provider.h"

namespace switchyard::router {

struct ModelMatch {
  std::string group;                  // the router's group key: a model_name, a wildcard model_name, or an id
  std::string requested;              // the name the pattern matched (possibly provider/name)
  std::vector<std::string> segments;  // what each `*` of the pattern captured
  bool wildcard = false;
};

class ModelResolver {
 public:
  explicit ModelResolver(const config::Config& config);
  std::optional<ModelMatch> resolve(std::string_view name) const;
  // resolve(name).has_value(), without building the match for an exact group name (the usual).
  bool resolves(std::string_view name) const;
  // What /v1/models lists: the exact model groups, then each wildcard model_name as written.
  std::vector<std::string> listed() const;

 private:
  std::optional<ModelMatch> match_pattern(std::string_view name) const;

  std::vector<std::string> exact_in_order_;
  std::unordered_set<std::string> exact_;
  std::unordered_set<std::string> ids_;
  std::unordered_map<std::string, std::string> aliases_;  // model_group_alias
  std::vector<std::string> listed_aliases_;
  std::vector<config::WildcardPattern> patterns_;  // most specific first
};

// A wildcard deployment's call for one request: a copy of the deployment with the requested model
// in `model` (and, for `model: "*"`, the provider that name implies), and its endpoint.
struct WildcardCall {
  std::unique_ptr<config::Deployment> deployment;
  providers::Endpoint endpoint;
};
WildcardCall wildcard_call(const providers::Endpoint& base, const ModelMatch& match);

}  // namespace switchyard::router
