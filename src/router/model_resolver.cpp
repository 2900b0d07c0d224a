#include "router/model_resolver.h"

#include <algorithm>

#include "config/config_loader.h"

namespace switchyard::router {

ModelResolver::ModelResolver(const config::Config& config) {
  for (const auto& d : config.deployments) {
    if (config::has_wildcard(d.group)) {
      if (std::none_of(patterns_.begin(), patterns_.end(), [&](const auto& p) { return p.pattern() == d.group; }))
        patterns_.emplace_back(d.group);
    } else if (exact_.insert(d.group).second) {
      exact_in_order_.push_back(d.group);
    }
  }
  // A wildcard deployment is reached only through its pattern: called by its id it would be sent
  // the unsubstituted `*` model (and a client could get it cooled down on purpose).
  for (const auto& d : config.deployments)
    if (!d.wildcard && !exact_.contains(d.id)) ids_.insert(d.id);
  const auto& hidden = config.router.hidden_aliases;
  for (const auto& [alias, group] : config.router.model_group_alias) {
    if (exact_.contains(alias)) continue;  // a real group of that name wins
    aliases_.emplace(alias, group);
    if (std::find(hidden.begin(), hidden.end(), alias) == hidden.end()) listed_aliases_.push_back(alias);
  }
  // LiteLLM: sorted(patterns, key=(len(regex), complexity), reverse=True), stable.
  std::stable_sort(patterns_.begin(), patterns_.end(),
                   [](const auto& a, const auto& b) { return a.specificity() > b.specificity(); });
}

std::optional<ModelMatch> ModelResolver::match_pattern(std::string_view name) const {
  for (const auto& p : patterns_)
    if (auto segments = p.match(name)) return ModelMatch{p.pattern(), std::string(name), std::move(*segments), true};
  return std::nullopt;
}

std::optional<ModelMatch> ModelResolver::resolve(std::string_view name) const {
  const std::string key(name);
  if (exact_.contains(key)) return ModelMatch{key, key, {}, false};
  if (const auto alias = aliases_.find(key); alias != aliases_.end()) {
    if (exact_.contains(alias->second)) return ModelMatch{alias->second, key, {}, false};
    if (auto m = match_pattern(alias->second)) return m;
  }
  if (ids_.contains(key)) return ModelMatch{key, key, {}, false};
  if (patterns_.empty()) return std::nullopt;
  if (auto m = match_pattern(name)) return m;
  // LiteLLM's get_pattern: route(model) or route(f"{custom_llm_provider}/{model}").
  if (name.find('/') == std::string_view::npos)
    if (const auto provider = core::infer_provider(name))
      return match_pattern(std::string(to_string(*provider)) + "/" + key);
  return std::nullopt;
}

bool ModelResolver::resolves(std::string_view name) const {
  return exact_.contains(std::string(name)) || resolve(name).has_value();
}

std::vector<std::string> ModelResolver::listed() const {
  auto out = exact_in_order_;
  out.insert(out.end(), listed_aliases_.begin(), listed_aliases_.end());
  for (const auto& p : patterns_) out.push_back(p.pattern());
  return out;
}

WildcardCall wildcard_call(const providers::Endpoint& base, const ModelMatch& match) {
  const auto& d = *base.deployment;
  WildcardCall call;
  call.deployment = std::make_unique<config::Deployment>(d);
  auto& copy = *call.deployment;
  const auto litellm_model = config::substitute_wildcards(d.litellm_model, match.segments, match.requested);
  if (!d.provider_from_request) {
    // The provider is fixed; only the model after the prefix changes ("anthropic/*" → "anthropic/x").
    const auto slash = litellm_model.find('/');
    copy.model = d.prefix.empty() || slash == std::string::npos ? litellm_model : litellm_model.substr(slash + 1);
    call.endpoint = base;
    call.endpoint.deployment = &copy;
    if (call.endpoint.adapter) call.endpoint.adapter = providers::adapter_for(copy);  // Vertex: claude vs gemini
    return call;
  }
  // `model: "*"`: the requested name says which provider, as litellm.completion(model=name) infers it.
  auto parsed = config::parse_litellm_model(litellm_model);
  if (auto* problem = std::get_if<config::ModelProblem>(&parsed)) {
    call.endpoint.deployment = &copy;
    call.endpoint.unusable_reason = problem->message;
    return call;
  }
  copy.api_base.clear();
  if (!d.api_base.empty()) copy.api_base = d.api_base;
  config::apply_parsed_model(std::get<config::ParsedModel>(parsed), copy);
  if (d.api_base.empty() && copy.provider != d.provider) {
    // Without an api_base the call goes to the provider's own host: a key configured for another
    // provider is never sent there; that provider's own variable (ANTHROPIC_API_KEY…) is read.
    // With an api_base (a proxy serving every name) the key belongs to that base and is kept.
    copy.api_key.clear();
    copy.api_key_env.clear();
  }
  config::apply_env_credentials(copy, !d.api_base.empty(), config::process_env);
  call.endpoint = providers::make_endpoint(copy);
  return call;
}

}  // namespace switchyard::router
