// Reads the sections of a LiteLLM-style config in order: environment_variables (they feed
// os.environ/ references), model_list, litellm_settings, router_settings, general_settings; then
// cross-checks (fallback targets exist, no cycles, unique ids). Unknown settings only warn, so
// LiteLLM configs load unchanged.
#include "config/config_loader.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "config/deployment_id.h"
#include "config/env_credentials.h"
#include "config/fallback_graph.h"
#include "config/litellm_params.h"
#include "config/model_patterns.h"
#include "config/yaml_merge.h"
#include "config/yaml_reader.h"
#include "core/text.h"
#include "core/url_userinfo.h"
#include "errors/error_class.h"

namespace switchyard::config {
namespace {

constexpr std::string_view kAzureDefaultApiVersion = "2024-10-21";

std::string join_known_prefixes() {
  std::string out;
  for (const auto& p : core::known_prefixes()) {
    if (!out.empty()) out += ", ";
    out += p.prefix;
  }
  return out;
}

bool is_http_url(std::string_view s) { return s.starts_with("http://") || s.starts_with("https://"); }

std::string strip_trailing_slash(std::string s) {
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

class Loader {
  struct RedisNodes {
    YAML::Node url, host;
    std::string host_value;
    std::optional<int> port, db;
  };

 public:
  Loader(std::string file, EnvLookup env) : r_(std::move(file), std::move(env)) {}

  LoadResult load(std::string_view text) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
      r_.error_at({e.mark.line + 1, e.mark.column + 1}, "YAML syntax error: " + e.msg);
      return finish();
    }
    if (!root.IsMap()) {
      r_.error(root, "the config must be a mapping with a model_list");
      return finish();
    }
    try {
      if (auto problem = expand_merge_keys(root)) {
        r_.error_at({problem->mark.line + 1, problem->mark.column + 1}, problem->message);
        return finish();
      }
      read_root(root);
    } catch (const YAML::Exception& e) {  // defensive: yaml-cpp throws on odd node shapes
      r_.error_at({e.mark.line + 1, e.mark.column + 1}, "unreadable YAML: " + e.msg);
    }
    return finish();
  }

 private:
  void read_root(const YAML::Node& root) {
    if (const auto env = root["environment_variables"]; env && !env.IsNull()) read_environment_variables(env);
    const auto models = root["model_list"];
    if (!models) r_.error(root, "model_list is missing: define at least one deployment");
    else read_model_list(models);
    if (const auto ls = root["litellm_settings"]; ls && !ls.IsNull()) read_litellm_settings(ls);
    if (const auto rs = root["router_settings"]; rs && !rs.IsNull()) read_router_settings(rs);
    merge_litellm_fallbacks();
    if (const auto gs = root["general_settings"]; gs && !gs.IsNull()) read_general_settings(gs);
    if (cfg_.general.master_key.empty()) {
      // LiteLLM's proxy reads its master key from general_settings.master_key, else LITELLM_MASTER_KEY.
      if (auto env = r_.lookup_env("LITELLM_MASTER_KEY"); env && !env->empty()) {
        cfg_.general.master_key = *env;
        cfg_.general.master_key_source = "LITELLM_MASTER_KEY";
      }
    }
    resolve_redis();
    for (auto& d : cfg_.deployments)
      if (!d.stream_timeout_seconds) d.stream_timeout_seconds = cfg_.router.stream_timeout_seconds;
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>("");
      static const std::set<std::string> kKnown = {"environment_variables", "model_list", "litellm_settings",
                                                   "router_settings", "general_settings"};
      if (!kKnown.contains(key)) r_.warn(kv.first, "section '" + key + "' is not acted on by Switchyard; ignored");
    }
    check_fallbacks();
  }

  void read_environment_variables(const YAML::Node& env) {
    if (!r_.expect_map(env, "environment_variables")) return;
    for (const auto& kv : env) {
      if (kv.second.IsNull()) continue;
      auto name = r_.string(kv.first, "environment_variables key");
      auto value = r_.string(kv.second, "environment_variables." + name.value_or("?"));
      if (name && value) r_.set_config_env(*name, *value);
    }
  }

  void read_model_list(const YAML::Node& models) {
    if (!r_.expect_sequence(models, "model_list")) return;
    if (models.size() == 0) r_.error(models, "model_list is empty: define at least one deployment");
    for (const auto& entry : models) read_deployment(entry);
  }

  void read_deployment(const YAML::Node& entry) {
    if (!r_.expect_map(entry, "model_list entry")) return;
    Deployment d;
    d.where = r_.where(entry);
    const auto name = entry["model_name"];
    if (!name) {
      r_.error(entry, "model_list entry: model_name is missing");
    } else if (auto s = r_.string(name, "model_name")) {
      if (s->empty()) r_.error(name, "model_name must not be empty");
      d.group = *s;
    }
    YAML::Node params = entry["litellm_params"];
    if (!params) params = entry["params"];
    if (!params) {
      r_.error(entry, "model_list entry '" + d.group + "': litellm_params is missing");
      return;
    }
    if (!r_.expect_map(params, "litellm_params")) return;
    for (const auto& kv : entry) {
      const auto key = kv.first.as<std::string>("");
      if (key == "model_name" || key == "litellm_params" || key == "params" || kv.second.IsNull()) continue;
      if (key == "model_info") read_model_info(kv.second, d);
      else if (key == "rpm") d.rpm = r_.non_negative_int(kv.second, "rpm");
      else if (key == "tpm") d.tpm = r_.non_negative_int(kv.second, "tpm");
      else r_.warn(kv.first, "model_list entry key '" + key + "' is not acted on; ignored");
    }
    read_params(params, d);
    add_deployment(std::move(d), entry);
  }

  // model_info is LiteLLM's metadata (mode, base_model, costs, …): the id and the context window
  // are acted on; the rest describes the model and changes nothing in routing.
  void read_model_info(const YAML::Node& info, Deployment& d) {
    if (!r_.expect_map(info, "model_info")) return;
    if (const auto id = info["id"]; id && !id.IsNull()) {
      if (auto s = r_.string(id, "model_info.id")) {
        explicit_ids_.emplace_back(*s, r_.where(id));
        d.id = *s;
      }
    }
    for (const char* key : {"max_input_tokens", "max_tokens"}) {
      const auto n = info[key];
      if (!n || n.IsNull()) continue;
      if (auto v = r_.non_negative_int(n, std::string("model_info.") + key)) {
        d.max_input_tokens = *v;
        break;  // max_input_tokens wins over the older max_tokens
      }
    }
  }

  void read_params(const YAML::Node& params, Deployment& d) {
    const auto model = params["model"];
    std::optional<std::string> custom_provider;
    if (const auto cp = params["custom_llm_provider"]; cp && !cp.IsNull())
      custom_provider = r_.string(cp, "custom_llm_provider");
    if (!model || model.IsNull()) {
      r_.error(params, "litellm_params.model is missing (write it as provider/model, e.g. anthropic/claude-opus-4-6)");
    } else if (auto m = r_.string(model, "litellm_params.model")) {
      resolve_provider(model, *m, custom_provider, d);
    }
    bool api_base_given = false;
    for (const auto& kv : params) {
      const auto key = kv.first.as<std::string>("");
      const auto& v = kv.second;
      if (key == "model" || key == "custom_llm_provider") continue;
      if (v.IsNull()) continue;  // `api_key:` with nothing: not set (PyYAML reads None)
      if (key == "api_key") d.api_key = r_.string(v, key).value_or("");
      else if (key == "api_base" || key == "base_url") api_base_given = read_api_base(v, d) || api_base_given;
      else if (key == "api_version") d.api_version = r_.string(v, key).value_or("");
      else if (key == "rpm") d.rpm = r_.non_negative_int(v, key);
      else if (key == "tpm") d.tpm = r_.non_negative_int(v, key);
      else if (key == "weight") d.weight = r_.non_negative_number(v, key).value_or(1.0);
      else if (key == "timeout" || key == "request_timeout") d.timeout_seconds = r_.positive_number(v, key);
      else if (key == "stream_timeout") d.stream_timeout_seconds = r_.positive_number(v, key);
      else if (key == "max_retries") r_.non_negative_number(v, key);  // validated only
      else if (key == "tags") d.tags = r_.string_list(v, "litellm_params.tags").value_or(std::vector<std::string>{});
      else if (key == "tag_regex") read_tag_regex(v, d);
      else if (key == "extra_headers") read_extra_headers(v, d);
      else if (key == "custom_user_agent") {
        if (auto ua = r_.string(v, key)) d.extra_headers.emplace_back("user-agent", *ua);
      } else if (key == "extra_body") {
        if (r_.expect_map(v, "litellm_params.extra_body"))
          for (const auto& field : v) d.request_defaults[field.first.as<std::string>("")] = yaml_to_json(field.second);
      } else if (is_request_default_param(key)) {
        d.request_defaults[key] = yaml_to_json(v);
        const bool anthropic_format = d.provider == core::Provider::anthropic ||
                                      (d.provider == core::Provider::vertex_ai && d.model.starts_with("claude"));
        if (anthropic_format && !anthropic_request_param(key))
          r_.warn(kv.first, "litellm_params." + key + " has no counterpart in Anthropic's Messages API; not sent");
      } else if (v.IsScalar()) {
        if (auto s = r_.string(v, key)) d.params[key] = *s;
        if (!is_provider_param(key)) r_.warn(kv.first, "litellm_params." + key + " is not acted on by Switchyard; ignored");
      } else {
        // Nested params (e.g. vertex_credentials given inline as JSON) are kept as YAML text.
        YAML::Emitter out;
        out << YAML::Flow << YAML::DoubleQuoted << v;
        d.params[key] = out.c_str();
        if (!is_provider_param(key)) r_.warn(kv.first, "litellm_params." + key + " is not acted on by Switchyard; ignored");
      }
    }
    if (!d.model.empty() && !d.provider_from_request) {
      if (auto missing = apply_env_credentials(d, api_base_given, r_.env_lookup()))
        unservable_.push_back({r_.file(), r_.where(model), *missing, false});
    }
    if (d.provider == core::Provider::azure && d.api_version.empty()) d.api_version = kAzureDefaultApiVersion;
    const bool needs_base = d.provider == core::Provider::azure || d.provider == core::Provider::databricks ||
                            d.provider == core::Provider::openai_compatible;
    if (model && needs_base && d.api_base.empty() && !d.model.empty() && !d.provider_from_request) {
      const auto* env = env_sources_for(d.prefix.empty() ? std::string(to_string(d.provider)) : d.prefix);
      std::string hint;
      if (env && !env->api_base[0].empty()) hint = " (or set " + std::string(env->api_base[0]) + ")";
      r_.error(model, "api_base is required for '" + (d.prefix.empty() ? std::string(to_string(d.provider)) : d.prefix) +
                          "/' deployments (group '" + d.group + "')" + hint);
    }
  }

  void read_tag_regex(const YAML::Node& v, Deployment& d) {
    auto list = r_.string_list(v, "litellm_params.tag_regex");
    if (!list) return;
    RE2::Options options;
    options.set_log_errors(false);
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto regex = std::make_shared<const re2::RE2>((*list)[i], options);
      const auto& at = v.IsSequence() ? v[i] : v;
      if (!regex->ok()) r_.error(at, "tag_regex: bad regex '" + (*list)[i] + "': " + regex->error());
      else d.tag_regex.push_back(std::move(regex));
    }
  }

  void read_extra_headers(const YAML::Node& v, Deployment& d) {
    if (!r_.expect_map(v, "litellm_params.extra_headers")) return;
    for (const auto& kv : v) {
      auto name = r_.string(kv.first, "extra_headers name");
      auto value = kv.second.IsNull() ? std::optional<std::string>() : r_.string(kv.second, "extra_headers value");
      if (name && value) d.extra_headers.emplace_back(*name, *value);
    }
  }

  bool read_api_base(const YAML::Node& v, Deployment& d) {
    auto s = r_.string(v, "api_base");
    if (!s || s->empty()) return false;
    if (!is_http_url(*s)) {
      r_.error(v, "api_base must start with http:// or https:// (got '" + core::without_userinfo(*s) + "')");
      return false;
    }
    d.api_base = strip_trailing_slash(*s);
    return true;
  }

  void resolve_provider(const YAML::Node& node, const std::string& model, const std::optional<std::string>& custom,
                        Deployment& d) {
    d.litellm_model = model;
    d.wildcard = has_wildcard(d.group);
    const auto slash = model.find('/');
    if (has_wildcard(model) && (slash == std::string::npos || has_wildcard(model.substr(0, slash))) && !custom) {
      // `model: "*"`: LiteLLM passes the requested name through and infers its provider per call.
      if (!d.wildcard) {
        r_.error(node, "litellm_params.model '" + model + "' has a wildcard but model_name '" + d.group +
                           "' does not (write model_name: \"*\" for a catch-all)");
        return;
      }
      d.provider_from_request = true;
      d.model = model;
      return;
    }
    auto parsed = parse_litellm_model(model, custom);
    if (auto* problem = std::get_if<ModelProblem>(&parsed)) {
      // LiteLLM loads such a deployment and fails its calls: loaded without it, `check` fails.
      if (problem->unknown_provider)
        unservable_.push_back({r_.file(), r_.where(node), problem->message + "; deployment '" + d.group + "' left out", false});
      else
        r_.error(node, problem->message);
      return;
    }
    apply_parsed_model(std::get<ParsedModel>(parsed), d);
  }

  void add_deployment(Deployment d, const YAML::Node& entry) {
    if (d.group.empty() || d.model.empty()) return;  // already reported
    (void)entry;
    cfg_.deployments.push_back(std::move(d));  // ids without model_info.id: assign_deployment_ids()
  }

  // litellm_settings carries a few router knobs in LiteLLM configs; everything else warns.
  void read_litellm_settings(const YAML::Node& ls) {
    if (!r_.expect_map(ls, "litellm_settings")) return;
    for (const auto& kv : ls) {
      const auto key = kv.first.as<std::string>("");
      if (kv.second.IsNull()) continue;
      if (key == "request_timeout") cfg_.router.timeout_seconds = r_.positive_number(kv.second, key);
      else if (key == "drop_params") read_request_passing(key, kv.second);
      else if (!read_router_key(key, kv.second, litellm_fallbacks_))
        r_.warn(kv.first, "litellm_settings." + key + " is not acted on by Switchyard; ignored");
    }
  }

  void read_router_settings(const YAML::Node& rs) {
    if (!r_.expect_map(rs, "router_settings")) return;
    for (const auto& kv : rs) {
      const auto key = kv.first.as<std::string>("");
      if (kv.second.IsNull()) continue;
      if (!read_router_key(key, kv.second, cfg_.router))
        r_.warn(kv.first, "router_settings." + key + " is not acted on by Switchyard; ignored");
    }
  }

  // LiteLLM's Router takes its own fallbacks argument (router_settings) first and litellm.fallbacks
  // (litellm_settings) only when it has none: the same list in both sections is one list.
  void merge_litellm_fallbacks() {
    auto merge = [&](std::vector<FallbackRule>& router_list, std::vector<FallbackRule>& litellm_list,
                     const std::string& what) {
      if (litellm_list.empty()) return;
      if (router_list.empty()) {
        router_list = std::move(litellm_list);
        return;
      }
      const bool same = router_list.size() == litellm_list.size() &&
                        std::equal(router_list.begin(), router_list.end(), litellm_list.begin(),
                                   [](const FallbackRule& a, const FallbackRule& b) {
                                     return a.group == b.group && a.targets == b.targets;
                                   });
      if (!same)
        r_.warn_at(litellm_list.front().where, "litellm_settings." + what + " differs from router_settings." + what +
                                                   "; router_settings wins, as in LiteLLM");
    };
    auto& rs = cfg_.router;
    auto& ls = litellm_fallbacks_;
    merge(rs.fallbacks, ls.fallbacks, "fallbacks");
    merge(rs.context_window_fallbacks, ls.context_window_fallbacks, "context_window_fallbacks");
    merge(rs.content_policy_fallbacks, ls.content_policy_fallbacks, "content_policy_fallbacks");
    if (rs.default_fallbacks.empty()) rs.default_fallbacks = ls.default_fallbacks;
  }

  // Returns false for keys it does not know.
  // Fallback lists go to `lists` (litellm_settings keeps its own until merged); the rest to the router.
  bool read_router_key(const std::string& key, const YAML::Node& v, RouterSettings& lists) {
    auto& rs = cfg_.router;
    auto set_int = [&](int& slot) {
      if (auto n = r_.non_negative_int(v, key)) {
        if (*n > 1'000'000) r_.error(v, key + ": " + std::to_string(*n) + " is unreasonably large");
        else slot = static_cast<int>(*n);
      }
    };
    if (key == "routing_strategy") read_strategy(v);
    else if (key == "num_retries") set_int(rs.num_retries);
    else if (key == "allowed_fails") set_int(rs.allowed_fails);
    else if (key == "max_fallbacks") set_int(rs.max_fallbacks);
    else if (key == "cooldown_time") rs.cooldown_seconds = r_.non_negative_number(v, key).value_or(rs.cooldown_seconds);
    else if (key == "timeout") rs.timeout_seconds = r_.positive_number(v, key);
    else if (key == "stream_timeout") rs.stream_timeout_seconds = r_.positive_number(v, key);
    else if (key == "fallbacks") read_fallback_rules(v, key, lists.fallbacks);
    else if (key == "context_window_fallbacks") read_fallback_rules(v, key, lists.context_window_fallbacks);
    else if (key == "content_policy_fallbacks") read_fallback_rules(v, key, lists.content_policy_fallbacks);
    else if (key == "default_fallbacks") read_default_fallbacks(v, lists);
    else if (key == "model_group_alias") read_model_group_alias(v);
    else if (key == "enable_tag_filtering") rs.enable_tag_filtering = r_.boolean(v, key).value_or(false);
    else if (key == "enable_pre_call_checks") rs.enable_pre_call_checks = r_.boolean(v, key).value_or(false);
    else if (key == "fallback_on") read_fallback_on(v);
    else if (key == "retry_policy") read_class_policy(v, key, rs.classifier.retries_by_class);
    else if (key == "allowed_fails_policy") read_class_policy(v, key, rs.classifier.allowed_fails_by_class);
    else if (key == "redis_url") {
      rs.redis_url = r_.string(v, key).value_or("");
      redis_nodes_.url = v;
    } else if (key == "redis_password") rs.redis_password = r_.string(v, key).value_or("");
    else if (key == "redis_host") {
      redis_nodes_.host_value = r_.string(v, key).value_or("");
      redis_nodes_.host = v;
    } else if (key == "redis_port") {
      if (auto n = r_.non_negative_int(v, key)) {
        if (*n == 0 || *n > 65535) r_.error(v, "redis_port must be 1-65535");
        else redis_nodes_.port = static_cast<int>(*n);
      }
    } else if (key == "redis_db") {
      if (auto n = r_.non_negative_int(v, key)) redis_nodes_.db = static_cast<int>(std::min<std::int64_t>(*n, 1'000'000));
    } else return false;
    return true;
  }

  // {alias: group} or {alias: {model: group, hidden: true}} (LiteLLM's two forms).
  void read_model_group_alias(const YAML::Node& v) {
    if (!r_.expect_map(v, "model_group_alias")) return;
    for (const auto& kv : v) {
      auto alias = r_.string(kv.first, "model_group_alias key");
      if (!alias) continue;
      std::optional<std::string> group;
      if (kv.second.IsMap()) {
        if (const auto m = kv.second["model"]; m && !m.IsNull()) group = r_.string(m, "model_group_alias." + *alias + ".model");
        if (const auto h = kv.second["hidden"]; h && !h.IsNull() && r_.boolean(h, "hidden").value_or(false))
          cfg_.router.hidden_aliases.push_back(*alias);
      } else {
        group = r_.string(kv.second, "model_group_alias." + *alias);
      }
      if (!group) continue;
      cfg_.router.model_group_alias[*alias] = *group;
      alias_nodes_.emplace_back(*alias, kv.second);
    }
  }

  void read_strategy(const YAML::Node& v) {
    auto s = r_.string(v, "routing_strategy");
    if (!s) return;
    const bool known = std::any_of(std::begin(kRoutingStrategies), std::end(kRoutingStrategies),
                                   [&](const char* k) { return *s == k; });
    if (!known) {
      std::string list;
      for (const char* k : kRoutingStrategies) list += (list.empty() ? "" : ", ") + std::string(k);
      r_.error(v, "unknown routing_strategy '" + *s + "'; known: " + list);
      return;
    }
    cfg_.router.routing_strategy = *s;
  }

  // LiteLLM writes fallbacks as a list of one-key maps: [{a: [b, c]}, {d: [e]}]. A single map
  // {a: [b, c], d: [e]} is accepted too.
  void read_fallback_rules(const YAML::Node& v, const std::string& what, std::vector<FallbackRule>& out) {
    auto read_map = [&](const YAML::Node& m) {
      for (const auto& kv : m) {
        auto group = r_.string(kv.first, what + " group");
        auto targets = r_.string_list(kv.second, what + " for '" + group.value_or("?") + "'");
        if (!group || !targets) continue;
        const auto dup = std::find_if(out.begin(), out.end(), [&](const FallbackRule& f) { return f.group == *group; });
        if (dup != out.end()) {
          r_.error(kv.first, what + ": '" + *group + "' is listed twice (first at line " +
                                 std::to_string(dup->where.line) + ")");
          continue;
        }
        out.push_back({*group, *targets, r_.where(kv.first)});
        target_nodes_[what + "\n" + *group] = kv.second;
      }
    };
    if (v.IsNull()) return;
    if (v.IsMap()) {
      read_map(v);
      return;
    }
    if (!r_.expect_sequence(v, what)) return;
    for (const auto& item : v)
      if (r_.expect_map(item, what + " entry")) read_map(item);
  }

  void read_default_fallbacks(const YAML::Node& v, RouterSettings& lists) {
    if (v.IsNull()) return;
    if (auto list = r_.string_list(v, "default_fallbacks")) {
      lists.default_fallbacks = *list;
      default_fallbacks_node_ = v;
    }
  }

  void read_fallback_on(const YAML::Node& v) {
    if (!r_.expect_map(v, "fallback_on")) return;
    auto& cs = cfg_.router.classifier;
    for (const auto& kv : v) {
      const auto key = kv.first.as<std::string>("");
      if (key == "status_codes") {
        if (kv.second.IsNull() || !r_.expect_sequence(kv.second, "fallback_on.status_codes")) continue;
        for (const auto& code : kv.second) {
          auto n = r_.non_negative_int(code, "fallback_on.status_codes entry");
          if (!n) continue;
          if (*n < 100 || *n > 599) r_.error(code, "fallback_on.status_codes: " + std::to_string(*n) + " is not an HTTP status (100-599)");
          else cs.fallback_on_status_codes.push_back(static_cast<int>(*n));
        }
      } else if (key == "error_patterns") {
        if (kv.second.IsNull() || !r_.expect_sequence(kv.second, "fallback_on.error_patterns")) continue;
        for (const auto& p : kv.second) read_pattern(p);
      } else {
        r_.error(kv.first, "fallback_on: unknown key '" + key + "' (expected status_codes or error_patterns)");
      }
    }
  }

  void read_pattern(const YAML::Node& p) {
    auto s = r_.string(p, "fallback_on.error_patterns entry");
    if (!s) return;
    if (s->empty()) {
      r_.error(p, "fallback_on.error_patterns: an empty pattern would match every error");
      return;
    }
    RE2::Options options;
    options.set_log_errors(false);
    auto regex = std::make_shared<const re2::RE2>(*s, options);
    if (!regex->ok()) {
      r_.error(p, "fallback_on.error_patterns: bad regex '" + *s + "': " + regex->error());
      return;
    }
    cfg_.router.classifier.fallback_on_patterns.push_back({*s, std::move(regex)});
  }

  void read_class_policy(const YAML::Node& v, const std::string& what, std::map<errors::ErrorClass, int>& out) {
    if (!r_.expect_map(v, what)) return;
    for (const auto& kv : v) {
      auto name = r_.string(kv.first, what + " key");
      if (!name) continue;
      const auto cls = errors::error_class_from_litellm_name(*name);
      if (!cls) {
        r_.error(kv.first, what + ": unknown error class '" + *name +
                               "' (use LiteLLM names like RateLimitErrorRetries or Switchyard classes like rate_limit)");
        continue;
      }
      if (auto n = r_.non_negative_int(kv.second, what + "." + *name)) out[*cls] = static_cast<int>(std::min<std::int64_t>(*n, 1'000'000));
    }
  }

  void read_general_settings(const YAML::Node& gs) {
    if (!r_.expect_map(gs, "general_settings")) return;
    for (const auto& kv : gs) {
      const auto key = kv.first.as<std::string>("");
      if (kv.second.IsNull()) continue;
      if (key == "master_key") {
        cfg_.general.master_key = r_.string(kv.second, key).value_or("");
        if (!cfg_.general.master_key.empty()) cfg_.general.master_key_source = "general_settings.master_key";
      }
      else if (key == "keys") read_api_keys(kv.second);
      else if (key == "forward_client_headers_to_llm_api") read_request_passing(key, kv.second);
      else if (!read_server_limit(key, kv.second))
        r_.warn(kv.first, "general_settings." + key + " is not acted on by Switchyard; ignored");
    }
  }

  // litellm_settings.drop_params (bool); general_settings.forward_client_headers_to_llm_api (bool,
  // or a list of header names).
  void read_request_passing(const std::string& key, const YAML::Node& v) {
    auto& p = cfg_.passing;
    if (key == "forward_client_headers_to_llm_api" && v.IsSequence()) {
      for (auto& name : r_.string_list(v, key).value_or(std::vector<std::string>{})) {
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "authorization" || name == "x-api-key" || name == "api-key" || name == "x-goog-api-key")
          r_.error(v, key + ": '" + name + "' carries the gateway's key and is never forwarded");
        else p.forward_headers.push_back(std::move(name));
      }
      return;
    }
    const auto text = r_.string(v, key).value_or("");
    const bool on = text == "true" || text == "True" || text == "TRUE";
    if (!on && text != "false" && text != "False" && text != "FALSE")
      r_.error(v, key + " must be true or false" + std::string(key == "drop_params" ? "" : " or a list of header names"));
    if (key == "drop_params") p.drop_params = on;
    else p.forward_x_headers = on;
  }

  // Connection, in-flight, body-memory and write-timeout limits of the server (README "Limits").
  bool read_server_limit(const std::string& key, const YAML::Node& v) {
    auto& l = cfg_.general.limits;
    if (key == "max_connections") l.max_connections = r_.non_negative_int(v, key);
    else if (key == "max_in_flight_requests" || key == "global_max_parallel_requests") l.max_in_flight_requests = r_.non_negative_int(v, key);
    else if (key == "max_request_body_memory_mb") l.max_request_body_memory_mb = r_.non_negative_int(v, key);
    else if (key == "client_write_timeout_seconds") l.client_write_timeout_seconds = r_.positive_number(v, key);
    else return false;
    return true;
  }

  // general_settings.keys: [{key: os.environ/TEAM_A_KEY, name: team-a, rpm_limit: 100, tpm_limit: 100000}]
  void read_api_keys(const YAML::Node& v) {
    if (!r_.expect_sequence(v, "general_settings.keys")) return;
    for (const auto& item : v) {
      if (!r_.expect_map(item, "general_settings.keys entry")) continue;
      ApiKey k;
      k.where = r_.where(item);
      for (const auto& kv : item) {
        const auto field = kv.first.as<std::string>("");
        if (field == "key") k.key = r_.string(kv.second, "keys.key").value_or("");
        else if (field == "name" || field == "key_alias") k.name = r_.string(kv.second, "keys." + field).value_or("");
        else if (field == "rpm_limit") k.rpm_limit = r_.non_negative_int(kv.second, "keys.rpm_limit");
        else if (field == "tpm_limit") k.tpm_limit = r_.non_negative_int(kv.second, "keys.tpm_limit");
        else r_.warn(kv.first, "general_settings.keys." + field + " is not acted on by Switchyard; ignored");
      }
      if (k.key.empty()) {
        r_.error(item, "general_settings.keys entry has no key");
        continue;
      }
      if (k.name.empty()) k.name = "key-" + std::to_string(cfg_.general.keys.size() + 1);
      for (const auto& other : cfg_.general.keys) {
        if (other.key == k.key) r_.error(item, "general_settings.keys: the same key is listed twice (first at line " + std::to_string(other.where.line) + ")");
        else if (other.name == k.name) r_.error(item, "general_settings.keys: name '" + k.name + "' is used twice");
      }
      cfg_.general.keys.push_back(std::move(k));
    }
  }

  // redis_url wins; else redis_host (+ port, db). redis_password applies to both unless the URL
  // carries its own. hiredis as packaged by Debian 12 (0.14) has no TLS, so rediss:// is refused.
  void resolve_redis() {
    auto& rs = cfg_.router;
    if (!rs.redis_url.empty()) {
      auto parsed = parse_redis_url(rs.redis_url);
      if (auto* message = std::get_if<std::string>(&parsed)) {
        r_.error(redis_nodes_.url, *message);
        return;
      }
      auto ep = std::get<RedisEndpoint>(std::move(parsed));
      if (ep.tls) {
        r_.error(redis_nodes_.url, "rediss:// (TLS) is not supported: this build's hiredis (0.14) has no TLS; "
                                   "use redis:// on a private network or a TLS tunnel such as stunnel");
        return;
      }
      if (ep.password.empty()) ep.password = rs.redis_password;
      rs.redis = std::move(ep);
    } else if (!redis_nodes_.host_value.empty()) {
      RedisEndpoint ep;
      ep.host = redis_nodes_.host_value;
      ep.port = redis_nodes_.port.value_or(kDefaultRedisPort);
      ep.db = redis_nodes_.db.value_or(0);
      ep.password = rs.redis_password;
      rs.redis = std::move(ep);
    }
  }

  // A fallback may name a model group, a deployment's model_info.id (LiteLLM routes a request for
  // an id to that deployment) or a name a wildcard model_name serves.
  struct KnownNames {
    std::set<std::string> exact;
    std::vector<WildcardPattern> patterns;
    bool contains(const std::string& name) const {
      return exact.contains(name) ||
             std::any_of(patterns.begin(), patterns.end(), [&](const WildcardPattern& p) { return p.match(name).has_value(); });
    }
  };

  void check_fallbacks() {
    KnownNames known;
    for (const auto& g : cfg_.groups()) {
      if (has_wildcard(g)) known.patterns.emplace_back(g);
      else known.exact.insert(g);
    }
    for (const auto& [id, where] : explicit_ids_) known.exact.insert(id);
    for (const auto& [alias, node] : alias_nodes_) {
      const auto& group = cfg_.router.model_group_alias[alias];
      if (!known.contains(group)) r_.error(node, "model_group_alias: '" + group + "' is not a model_name in model_list");
    }
    for (const auto& [alias, group] : cfg_.router.model_group_alias) known.exact.insert(alias);
    auto check_list = [&](const std::string& what, const std::vector<FallbackRule>& rules) {
      for (const auto& rule : rules) {
        if (!known.contains(rule.group))
          r_.error_at(rule.where, what + ": '" + rule.group + "' is not a model_name in model_list");
        const auto node = target_nodes_[what + "\n" + rule.group];
        for (std::size_t i = 0; i < rule.targets.size(); ++i) {
          const auto at = node.IsSequence() && i < node.size() ? r_.where(node[i]) : r_.where(node);
          if (!known.contains(rule.targets[i]))
            r_.error_at(at, what + ": fallback '" + rule.targets[i] + "' for '" + rule.group +
                                "' is not a model_name in model_list");
        }
      }
      for (const auto& cycle : find_fallback_cycles(rules))
        r_.error_at(cycle.where, what + ": fallback cycle " + cycle.path);
    };
    check_list("fallbacks", cfg_.router.fallbacks);
    check_list("context_window_fallbacks", cfg_.router.context_window_fallbacks);
    check_list("content_policy_fallbacks", cfg_.router.content_policy_fallbacks);
    for (std::size_t i = 0; i < cfg_.router.default_fallbacks.size(); ++i) {
      const auto& n = default_fallbacks_node_;
      const auto at = n.IsSequence() && i < n.size() ? r_.where(n[i]) : r_.where(n);
      if (!known.contains(cfg_.router.default_fallbacks[i]))
        r_.error_at(at, "default_fallbacks: '" + cfg_.router.default_fallbacks[i] + "' is not a model_name in model_list");
    }
    std::map<std::string, SourceLocation> seen;
    for (const auto& [id, where] : explicit_ids_) {
      const auto [it, inserted] = seen.emplace(id, where);
      if (!inserted)
        r_.error_at(where, "duplicate deployment id '" + id + "' (first at line " + std::to_string(it->second.line) + ")");
    }
  }

  LoadResult finish() {
    // Left-out deployments are tolerated beside callable ones; a file with none left is refused
    // (a reload must never swap in a config that serves nothing).
    if (cfg_.deployments.empty() && !unservable_.empty()) {
      for (auto& d : unservable_) r_.error_at(d.where, d.message + "; no deployment Switchyard can call is left");
      unservable_.clear();
    }
    LoadResult result;
    result.warnings = r_.take_warnings();
    if (r_.has_errors()) {
      result.errors = r_.take_errors();
      return result;
    }
    cfg_.path = r_.file();
    result.unservable = std::move(unservable_);
    assign_deployment_ids(cfg_.deployments);
    result.config = std::make_shared<const Config>(std::move(cfg_));
    return result;
  }

  YamlReader r_;
  Config cfg_;
  RouterSettings litellm_fallbacks_;
  std::vector<std::pair<std::string, YAML::Node>> alias_nodes_;  // fallback lists of litellm_settings, merged after router_settings
  std::vector<Diagnostic> unservable_;
  RedisNodes redis_nodes_;
  std::vector<std::pair<std::string, SourceLocation>> explicit_ids_;
  std::map<std::string, YAML::Node> target_nodes_;
  YAML::Node default_fallbacks_node_;
};

}  // namespace

std::variant<ParsedModel, ModelProblem> parse_litellm_model(const std::string& model,
                                                            const std::optional<std::string>& custom) {
  if (model.empty()) return ModelProblem{"litellm_params.model must not be empty"};
  if (custom) {
    const auto* info = core::find_prefix(*custom);
    if (!info) return ModelProblem{"unknown custom_llm_provider '" + *custom + "'; known: " + join_known_prefixes(), true};
    return ParsedModel{info, model, false};
  }
  const auto slash = model.find('/');
  const auto* info = slash == std::string::npos ? nullptr : core::find_prefix(model.substr(0, slash));
  if (!info) {
    // LiteLLM infers the provider of a bare name, and of names like "meta-llama/Llama-3" it cannot
    // read a prefix from only when it knows the model; Switchyard needs a known prefix then.
    if (slash == std::string::npos) {
      const auto inferred = core::infer_provider(model);
      if (!inferred)
        return ModelProblem{"cannot tell the provider of model '" + model +
                                "'; write it as provider/model (known prefixes: " + join_known_prefixes() + ")",
                            true};
      return ParsedModel{core::find_prefix(to_string(*inferred)), model, true};
    }
    const auto prefix = model.substr(0, slash);
    return ModelProblem{"unknown provider prefix '" + prefix + "' in '" + model + "'; known prefixes: " +
                            join_known_prefixes() + " (for any OpenAI-compatible server write openai_compatible/" +
                            model + " with api_base)",
                        true};
  }
  if (slash + 1 >= model.size()) return ModelProblem{"model name missing after '" + model.substr(0, slash) + "/'"};
  return ParsedModel{info, model.substr(slash + 1), false};
}

void apply_parsed_model(const ParsedModel& parsed, Deployment& d) {
  d.provider = parsed.prefix->provider;
  d.prefix = parsed.inferred ? std::string() : std::string(parsed.prefix->prefix);
  d.model = parsed.model;
  if (d.api_base.empty()) d.api_base = std::string(parsed.prefix->default_api_base);
}

std::optional<std::string> apply_env_credentials(Deployment& d, bool api_base_given, const EnvLookup& env) {
  const std::string prefix = d.prefix.empty() ? std::string(to_string(d.provider)) : d.prefix;
  const auto* sources = env_sources_for(prefix);
  if (!sources || !env) return std::nullopt;
  auto first_set = [&](const EnvNames& names) -> std::pair<std::string, std::string> {
    for (auto name : names) {
      if (name.empty()) continue;
      if (auto v = env(std::string(name)); v && !v->empty()) return {std::string(name), *v};
    }
    return {};
  };
  if (!api_base_given) {
    if (auto [name, value] = first_set(sources->api_base); !name.empty() && is_http_url(value)) {
      d.api_base = strip_trailing_slash(value);
      d.api_base_env = name;
    }
  }
  if (d.api_version.empty()) {
    if (auto [name, value] = first_set(sources->api_version); !name.empty()) {
      d.api_version = value;
      d.api_version_env = name;
    }
  }
  if (!d.api_key.empty()) return std::nullopt;
  if (auto [name, value] = first_set(sources->api_key); !name.empty()) {
    d.api_key = value;
    d.api_key_env = name;
    return std::nullopt;
  }
  if (!sources->key_required) return std::nullopt;
  for (auto alt : sources->key_alternatives) {
    if (alt.empty()) continue;
    if (d.params.contains(std::string(alt))) return std::nullopt;
    if (auto v = env(std::string(alt)); v && !v->empty()) return std::nullopt;
  }
  std::string vars;
  for (auto name : sources->api_key)
    if (!name.empty()) vars += (vars.empty() ? "" : " or ") + std::string(name);
  return "deployment '" + d.group + "' (" + prefix + "/" + d.model + ") has no api_key and " + vars +
         " is not set in the environment";
}

std::string Diagnostic::to_string() const {
  std::ostringstream out;
  out << file;
  if (where.line > 0) out << ':' << where.line << ':' << where.column;
  out << ": " << (warning ? "warning: " : "") << message;
  return out.str();
}

std::optional<std::string> process_env(const std::string& name) {
  if (const char* v = std::getenv(name.c_str())) return std::string(v);  // NOLINT(concurrency-mt-unsafe): load time only
  return std::nullopt;
}

LoadResult load_config_text(std::string_view yaml, const std::string& display_name, const EnvLookup& env) {
  if (yaml.size() > kMaxConfigBytes) {
    LoadResult r;
    r.errors.push_back({display_name, {}, "config is larger than " + std::to_string(kMaxConfigBytes) + " bytes", false});
    return r;
  }
  return Loader(display_name, env).load(yaml);
}

LoadResult load_config_file(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.errors.push_back({path, {}, "cannot open config file", false});
    return r;
  }
  std::string text;
  char buf[64 * 1024];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) break;
  }
  return load_config_text(text, path, env);
}

std::vector<std::string> Config::groups() const {
  std::vector<std::string> out;
  for (const auto& d : deployments)
    if (std::find(out.begin(), out.end(), d.group) == out.end()) out.push_back(d.group);
  return out;
}

bool Config::has_group(const std::string& group) const {
  return std::any_of(deployments.begin(), deployments.end(), [&](const Deployment& d) { return d.group == group; });
}

}  // namespace switchyard::config
