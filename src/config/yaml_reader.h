// Typed access to yaml-cpp nodes that records a diagnostic (with the node's line:col) instead of
// throwing. The loader reads every value through this so that one bad field never hides another.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config_loader.h"

namespace switchyard::config {

class YamlReader {
 public:
  YamlReader(std::string file, EnvLookup env) : file_(std::move(file)), env_(std::move(env)) {}

  SourceLocation where(const YAML::Node& node) const;
  void error(const YAML::Node& node, std::string message);
  void error_at(SourceLocation at, std::string message);
  void warn(const YAML::Node& node, std::string message);
  void warn_at(SourceLocation at, std::string message);

  // `os.environ/NAME` resolves through the environment (and the config's environment_variables).
  std::optional<std::string> string(const YAML::Node& node, const std::string& what);
  std::optional<std::int64_t> non_negative_int(const YAML::Node& node, const std::string& what);
  std::optional<double> non_negative_number(const YAML::Node& node, const std::string& what);
  std::optional<double> positive_number(const YAML::Node& node, const std::string& what);
  // YAML 1.1 as PyYAML reads it: true/false, yes/no, on/off in any of its three casings.
  std::optional<bool> boolean(const YAML::Node& node, const std::string& what);
  std::optional<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what);
  bool expect_map(const YAML::Node& node, const std::string& what);
  bool expect_sequence(const YAML::Node& node, const std::string& what);

  void set_config_env(std::string name, std::string value) {
    config_env_.emplace_back(std::move(name), std::move(value));
  }

  // The config's environment_variables first, then the process environment.
  std::optional<std::string> lookup_env(const std::string& name) const;
  EnvLookup env_lookup() const {
    return [this](const std::string& name) { return lookup_env(name); };
  }

  std::vector<Diagnostic> take_errors() { return std::move(errors_); }
  std::vector<Diagnostic> take_warnings() { return std::move(warnings_); }
  bool has_errors() const { return !errors_.empty(); }
  const std::string& file() const { return file_; }

 private:
  std::optional<std::string> resolve_env(const YAML::Node& node, const std::string& raw);

  std::string file_;
  EnvLookup env_;
  std::vector<std::pair<std::string, std::string>> config_env_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace switchyard::config
