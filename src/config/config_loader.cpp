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
#include "config/fallback_graph.h"
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
      read_root(root);
    } catch (const YAML::Exception& e) {  // defensive: yaml-cpp throws on odd node shapes
      r_.error_at({e.mark.line + 1, e.mark.column + 1}, "unreadable YAML: " + e.msg);
    }
    return finish();
  }

 private:
  void read_root(const YAML::Node& root) {
    if (const auto env = root["environment_variables"]) read_environment_variables(env);
    const auto models = root["model_list"];
    if (!models) r_.error(root, "model_list is missing: define at least one deployment");
    else read_model_list(models);
    if (const auto ls = root["litellm_settings"]) read_litellm_settings(ls);
    if (const auto rs = root["router_settings"]) read_router_settings(rs);
    if (const auto gs = root["general_settings"]) read_general_settings(gs);
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
      if (key == "model_name" || key == "litellm_params" || key == "params") continue;
      if (key == "model_info") read_model_info(kv.second, d);
      else if (key == "rpm") d.rpm = r_.non_negative_int(kv.second, "rpm");
      else if (key == "tpm") d.tpm = r_.non_negative_int(kv.second, "tpm");
      else r_.warn(kv.first, "model_list entry key '" + key + "' is not acted on; ignored");
    }
    read_params(params, d);
    add_deployment(std::move(d), entry);
  }

  void read_model_info(const YAML::Node& info, Deployment& d) {
    if (!r_.expect_map(info, "model_info")) return;
    if (const auto id = info["id"]) {
      if (auto s = r_.string(id, "model_info.id")) {
        explicit_ids_.emplace_back(*s, r_.where(id));
        d.id = *s;
      }
    }
  }

  void read_params(const YAML::Node& params, Deployment& d) {
    const auto model = params["model"];
    std::optional<std::string> custom_provider;
    if (const auto cp = params["custom_llm_provider"]) custom_provider = r_.string(cp, "custom_llm_provider");
    if (!model) {
      r_.error(params, "litellm_params.model is missing (write it as provider/model, e.g. anthropic/claude-opus-4-6)");
    } else if (auto m = r_.string(model, "litellm_params.model")) {
      resolve_provider(model, *m, custom_provider, d);
    }
    for (const auto& kv : params) {
      const auto key = kv.first.as<std::string>("");
      const auto& v = kv.second;
      if (key == "model" || key == "custom_llm_provider") continue;
      if (key == "api_key") d.api_key = r_.string(v, key).value_or("");
      else if (key == "api_base" || key == "base_url") read_api_base(v, d);
      else if (key == "api_version") d.api_version = r_.string(v, key).value_or("");
      else if (key == "rpm") d.rpm = r_.non_negative_int(v, key);
      else if (key == "tpm") d.tpm = r_.non_negative_int(v, key);
      else if (key == "weight") d.weight = r_.non_negative_number(v, key).value_or(1.0);
      else if (key == "timeout" || key == "request_timeout") d.timeout_seconds = r_.positive_number(v, key);
      else if (key == "stream_timeout") d.stream_timeout_seconds = r_.positive_number(v, key);
      else if (key == "max_retries") r_.non_negative_number(v, key);  // validated only
      else if (v.IsScalar()) {
        if (auto s = r_.string(v, key)) d.params[key] = *s;
      } else if (v.IsMap() || v.IsSequence()) {
        // Nested params (e.g. vertex_credentials given inline as JSON) are kept as YAML text.
        YAML::Emitter out;
        out << YAML::Flow << YAML::DoubleQuoted << v;
        d.params[key] = out.c_str();
      }
    }
    if (d.provider == core::Provider::azure && d.api_version.empty()) d.api_version = kAzureDefaultApiVersion;
    const bool needs_base = d.provider == core::Provider::azure || d.provider == core::Provider::databricks ||
                            d.provider == core::Provider::openai_compatible;
    if (model && needs_base && d.api_base.empty() && !d.model.empty())
      r_.error(model, "api_base is required for '" + (d.prefix.empty() ? std::string(to_string(d.provider)) : d.prefix) +
                          "/' deployments (group '" + d.group + "')");
  }

  void read_api_base(const YAML::Node& v, Deployment& d) {
    auto s = r_.string(v, "api_base");
    if (!s || s->empty()) return;
    if (!is_http_url(*s)) {
      r_.error(v, "api_base must start with http:// or https:// (got '" + core::without_userinfo(*s) + "')");
      return;
    }
    d.api_base = strip_trailing_slash(*s);
  }

  void resolve_provider(const YAML::Node& node, const std::string& model, const std::optional<std::string>& custom,
                        Deployment& d) {
    if (model.empty()) {
      r_.error(node, "litellm_params.model must not be empty");
      return;
    }
    if (custom) {
      const auto* info = core::find_prefix(*custom);
      if (!info) {
        r_.error(node, "unknown custom_llm_provider '" + *custom + "'; known: " + join_known_prefixes());
        return;
      }
      apply_prefix(*info, model, d);
      return;
    }
    const auto slash = model.find('/');
    if (slash == std::string::npos) {
      const auto inferred = core::infer_provider(model);
      if (!inferred) {
        r_.error(node, "cannot tell the provider of model '" + model +
                           "'; write it as provider/model (known prefixes: " + join_known_prefixes() + ")");
        return;
      }
      const auto* info = core::find_prefix(to_string(*inferred));
      apply_prefix(*info, model, d);
      d.prefix.clear();
      return;
    }
    const auto prefix = model.substr(0, slash);
    const auto* info = core::find_prefix(prefix);
    if (!info) {
      r_.error(node, "unknown provider prefix '" + prefix + "' in '" + model + "'; known prefixes: " +
                         join_known_prefixes() + " (for any OpenAI-compatible server write openai_compatible/" +
                         model + " with api_base)");
      return;
    }
    if (slash + 1 >= model.size()) {
      r_.error(node, "model name missing after '" + prefix + "/'");
      return;
    }
    apply_prefix(*info, model.substr(slash + 1), d);
  }

  static void apply_prefix(const core::PrefixInfo& info, std::string model, Deployment& d) {
    d.provider = info.provider;
    d.prefix = std::string(info.prefix);
    d.model = std::move(model);
    if (d.api_base.empty()) d.api_base = std::string(info.default_api_base);
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
      if (key == "request_timeout") cfg_.router.timeout_seconds = r_.positive_number(kv.second, key);
      else if (key == "drop_params") read_request_passing(key, kv.second);
      else if (!read_router_key(key, kv.second))
        r_.warn(kv.first, "litellm_settings." + key + " is not acted on by Switchyard; ignored");
    }
  }

  void read_router_settings(const YAML::Node& rs) {
    if (!r_.expect_map(rs, "router_settings")) return;
    for (const auto& kv : rs) {
      const auto key = kv.first.as<std::string>("");
      if (!read_router_key(key, kv.second))
        r_.warn(kv.first, "router_settings." + key + " is not acted on by Switchyard; ignored");
    }
  }

  // Returns false for keys it does not know.
  bool read_router_key(const std::string& key, const YAML::Node& v) {
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
    else if (key == "fallbacks") read_fallback_rules(v, key, rs.fallbacks);
    else if (key == "context_window_fallbacks") read_fallback_rules(v, key, rs.context_window_fallbacks);
    else if (key == "content_policy_fallbacks") read_fallback_rules(v, key, rs.content_policy_fallbacks);
    else if (key == "default_fallbacks") read_default_fallbacks(v);
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

  void read_default_fallbacks(const YAML::Node& v) {
    if (v.IsNull()) return;
    if (auto list = r_.string_list(v, "default_fallbacks")) {
      cfg_.router.default_fallbacks = *list;
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
      if (key == "master_key") cfg_.general.master_key = r_.string(kv.second, key).value_or("");
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

  void check_fallbacks() {
    const auto groups = cfg_.groups();
    const std::set<std::string> known(groups.begin(), groups.end());
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
    LoadResult result;
    result.warnings = r_.take_warnings();
    if (r_.has_errors()) {
      result.errors = r_.take_errors();
      return result;
    }
    cfg_.path = r_.file();
    assign_deployment_ids(cfg_.deployments);
    result.config = std::make_shared<const Config>(std::move(cfg_));
    return result;
  }

  YamlReader r_;
  Config cfg_;
  RedisNodes redis_nodes_;
  std::vector<std::pair<std::string, SourceLocation>> explicit_ids_;
  std::map<std::string, YAML::Node> target_nodes_;
  YAML::Node default_fallbacks_node_;
};

}  // namespace

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
