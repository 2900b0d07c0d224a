#include "mock/mock_config.h"

#include <algorithm>
#include <cstdlib>
#include <map>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "config/yaml_reader.h"

namespace switchyard::mock {
namespace {

constexpr std::string_view kBehaviourFields =
    "fault, script, reply, tool_call, latency_ms, chunk_delay_ms, retry_after, path_prefix, echo_credential, replay, model";

// A YAML value as JSON: quoted scalars stay strings, plain ones become null/bool/number when they
// read as one (YAML 1.2 core schema).
boost::json::value yaml_to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    boost::json::object o;
    for (const auto& kv : node) o[kv.first.Scalar()] = yaml_to_json(kv.second);
    return o;
  }
  if (node.IsSequence()) {
    boost::json::array a;
    for (const auto& item : node) a.push_back(yaml_to_json(item));
    return a;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return boost::json::value(s);  // quoted
  if (s == "null" || s == "~" || s.empty()) return nullptr;
  if (s == "true") return true;
  if (s == "false") return false;
  boost::system::error_code ec;
  auto number = boost::json::parse(s, ec);
  if (!ec && number.is_number()) return number;
  return boost::json::value(s);
}

std::optional<Fault> read_fault(config::YamlReader& r, const YAML::Node& node) {
  const auto name = r.string(node, "fault");
  if (!name) return std::nullopt;
  const auto f = fault_from_string(*name);
  if (!f) {
    std::string known;
    for (const auto k : all_faults()) known += (known.empty() ? "" : ", ") + std::string(to_string(k));
    r.error(node, "unknown fault '" + *name + "' (known: " + known + ")");
  }
  return f;
}

// Reads one behaviour mapping; `model` is only filled for model entries (the `model:` field).
Behaviour read_behaviour(config::YamlReader& r, const YAML::Node& node, const std::string& what,
                         std::string* model) {
  Behaviour b;
  if (!r.expect_map(node, what)) return b;
  bool has_script = false;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    if (key == "fault" || key == "script") {
      if (has_script) r.error(kv.first, what + ": give either 'fault' or 'script', not both");
      has_script = true;
      b.script.clear();
      if (key == "fault") {
        if (const auto f = read_fault(r, value)) b.script.push_back(*f);
      } else if (r.expect_sequence(value, what + ".script")) {
        if (value.size() == 0) r.error(value, what + ".script: expected at least one fault");
        for (const auto& item : value)
          if (const auto f = read_fault(r, item)) b.script.push_back(*f);
      }
    } else if (key == "reply") {
      if (auto s = r.string(value, what + ".reply")) b.reply = std::move(*s);
    } else if (key == "path_prefix") {
      if (auto s = r.string(value, what + ".path_prefix")) b.path_prefix = std::move(*s);
    } else if (key == "tool_call") {
      std::string error;
      if (auto call = tool_call_from_json(yaml_to_json(value), error)) b.tool_call = std::move(*call);
      else r.error(value, what + ": " + error);
    } else if (key == "replay") {
      std::string error;
      if (auto replay = replay_from_json(yaml_to_json(value), error)) b.replay = std::move(*replay);
      else r.error(value, what + ": " + error);
    } else if (key == "model" && model != nullptr) {
      if (auto s = r.string(value, what + ".model")) *model = std::move(*s);
    } else if (key == "latency_ms") {
      if (auto n = r.non_negative_int(value, what + ".latency_ms")) b.latency_ms = *n;
    } else if (key == "chunk_delay_ms") {
      if (auto n = r.non_negative_int(value, what + ".chunk_delay_ms")) b.chunk_delay_ms = *n;
    } else if (key == "retry_after") {
      if (auto n = r.non_negative_int(value, what + ".retry_after")) b.retry_after_seconds = *n;
    } else if (key == "echo_credential") {
      if (auto v = r.boolean(value, what + ".echo_credential")) b.echo_credential = *v;
    } else {
      r.error(kv.first, what + ": unknown field '" + key + "' (" + std::string(kBehaviourFields) + ")");
    }
  }
  if (b.script.empty()) b.script.push_back(Fault::ok);  // a bad fault name was reported above
  return b;
}

// Lifetimes of issued credentials: whole seconds in 1..86400.
std::optional<long> ttl_field(config::YamlReader& r, const YAML::Node& node, const std::string& what, const std::string& text) {
  char* end = nullptr;
  const long ttl = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || ttl <= 0 || ttl > 86400) {
    r.error(node, what + " must be a whole number of seconds in 1..86400");
    return std::nullopt;
  }
  return ttl;
}

// Each cloud section: a map whose every field is a string, from a fixed list.
const std::map<std::string, std::vector<std::string>>& cloud_fields() {
  static const std::map<std::string, std::vector<std::string>> fields{
      {"google", {"service_account", "token_ttl_seconds", "client_id", "client_secret", "refresh_token", "subject_token",
                  "audience", "metadata_project"}},
      {"gemini", {"api_key"}},
      {"aws", {"access_key_id", "secret_access_key", "region", "web_identity_token", "role_arn", "external_id",
               "container_token", "credentials_ttl_seconds"}},
      {"azure", {"tenant_id", "client_id", "client_secret", "federated_token", "api_key", "token_ttl_seconds"}},
      {"databricks", {"client_id", "client_secret", "token", "token_ttl_seconds"}},
  };
  return fields;
}

void read_cloud_section(config::YamlReader& r, const std::string& key, const YAML::Node& node, CloudCredentials& cloud) {
  if (!r.expect_map(node, key)) return;
  const auto& allowed = cloud_fields().at(key);
  std::map<std::string, std::string> f;
  for (const auto& kv : node) {
    const std::string field = kv.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) {
      r.error(kv.first, key + ": unknown field '" + field + "'");
      continue;
    }
    if (auto value = r.string(kv.second, key + "." + field)) f[field] = std::move(*value);
  }
  const auto get = [&f](const char* name) { return f.contains(name) ? f.at(name) : std::string(); };
  const auto ttl = [&](const char* name, long& out) {
    if (f.contains(name))
      if (const auto t = ttl_field(r, node, key + "." + name, f.at(name))) out = *t;
  };
  if (key == "google") {
    GoogleMockFlows flows;
    flows.client_id = get("client_id");
    flows.client_secret = get("client_secret");
    flows.refresh_token = get("refresh_token");
    flows.subject_token = get("subject_token");
    flows.audience = get("audience");
    if (f.contains("metadata_project")) flows.metadata_project = get("metadata_project");
    cloud.google = std::move(flows);
    ttl("token_ttl_seconds", cloud.google_token_ttl_seconds);
    if (f.contains("service_account")) {
      auto loaded = providers::google::load_service_account(get("service_account"));
      if (!loaded.ok()) r.error(node, "google.service_account: " + loaded.error);
      else cloud.google_account = std::move(*loaded.value);
    }
  } else if (key == "gemini") {
    if (!f.contains("api_key")) r.error(node, "gemini: api_key is required");
    else cloud.gemini_api_key = get("api_key");
  } else if (key == "aws") {
    if (f.contains("access_key_id") != f.contains("secret_access_key")) {
      r.error(node, "aws: access_key_id and secret_access_key go together");
      return;
    }
    AwsMockCredentials aws;
    aws.access_key_id = get("access_key_id");
    aws.secret_access_key = get("secret_access_key");
    if (f.contains("region")) aws.region = get("region");
    aws.web_identity_token = get("web_identity_token");
    aws.role_arn = get("role_arn");
    aws.external_id = get("external_id");
    aws.container_token = get("container_token");
    ttl("credentials_ttl_seconds", aws.credentials_ttl_seconds);
    cloud.aws = std::move(aws);
  } else if (key == "azure") {
    AzureMockCredentials azure{get("tenant_id"), get("client_id"), get("client_secret"), get("federated_token"),
                               get("api_key")};
    ttl("token_ttl_seconds", azure.token_ttl_seconds);
    cloud.azure = std::move(azure);
  } else {
    DatabricksMockCredentials databricks{get("client_id"), get("client_secret"), get("token")};
    ttl("token_ttl_seconds", databricks.token_ttl_seconds);
    cloud.databricks = std::move(databricks);
  }
}

}  // namespace

std::pair<std::string, std::string> split_model_key(std::string_view key) {
  const auto bar = key.find('|');
  if (bar == std::string_view::npos) return {std::string(), std::string(key)};
  return {std::string(key.substr(0, bar)), std::string(key.substr(bar + 1))};
}

MockConfigResult load_mock_config_text(std::string_view yaml, const std::string& display_name) {
  MockConfigResult result;
  config::YamlReader r(display_name, nullptr);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    r.error_at({e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg);
    result.errors = r.take_errors();
    return result;
  }
  if (root.IsNull()) return result;  // an empty file: every model gets the default
  if (!r.expect_map(root, "mock config")) {
    result.errors = r.take_errors();
    return result;
  }
  for (const auto& kv : root) {
    const std::string key = kv.first.Scalar();
    if (key == "default") {
      result.config.default_behaviour = read_behaviour(r, kv.second, "default", nullptr);
    } else if (key == "models") {
      if (kv.second.IsNull() || !r.expect_map(kv.second, "models")) continue;
      for (const auto& m : kv.second) {
        const std::string name = m.first.Scalar();
        auto [prefix, model] = split_model_key(name);
        std::string model_field;
        Behaviour b = read_behaviour(r, m.second, "models." + name, &model_field);
        if (!model_field.empty()) model = model_field;
        if (b.path_prefix.empty()) b.path_prefix = prefix;
        if (model.empty()) r.error(m.first, "models." + name + ": no model name");
        result.config.models.push_back({std::move(model), std::move(b)});
      }
    } else if (cloud_fields().contains(key)) {
      read_cloud_section(r, key, kv.second, result.config.cloud);
    } else {
      r.error(kv.first, "unknown top-level key '" + key + "' (models, default, google, gemini, aws, azure, databricks)");
    }
  }
  result.errors = r.take_errors();
  return result;
}

MockConfigResult load_mock_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    MockConfigResult result;
    result.errors.push_back({path, {}, "cannot read the mock config file", false});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_mock_config_text(text.str(), path);
}

}  // namespace switchyard::mock
