#include "config/yaml_reader.h"

#include <charconv>
#include <cmath>

#include "core/text.h"

namespace switchyard::config {
namespace {
constexpr std::string_view kEnvPrefix = "os.environ/";

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Undefined: return "nothing";
    case YAML::NodeType::Scalar: {
      // Appended, not `"'" + str + "'"`: GCC 12 -O3 reports a false -Wrestrict on that (PR105329).
      std::string quoted(1, '\'');
      quoted.append(node.Scalar(), 0, 80);
      return quoted += '\'';
    }
  }
  return "something else";
}
}  // namespace

SourceLocation YamlReader::where(const YAML::Node& node) const {
  const auto mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

void YamlReader::error(const YAML::Node& node, std::string message) { error_at(where(node), std::move(message)); }

void YamlReader::error_at(SourceLocation at, std::string message) {
  errors_.push_back({file_, at, std::move(message), false});
}

void YamlReader::warn(const YAML::Node& node, std::string message) {
  warnings_.push_back({file_, where(node), std::move(message), true});
}

std::optional<std::string> YamlReader::resolve_env(const YAML::Node& node, const std::string& raw) {
  const std::string name(core::trim(std::string_view(raw).substr(kEnvPrefix.size())));
  if (name.empty()) {
    error(node, "empty environment variable name in '" + raw + "'");
    return std::nullopt;
  }
  for (auto it = config_env_.rbegin(); it != config_env_.rend(); ++it)
    if (it->first == name) return it->second;
  if (auto value = env_ ? env_(name) : std::nullopt) return value;
  warn(node, "environment variable " + name + " is not set; using an empty value");
  return std::string();
}

std::optional<std::string> YamlReader::string(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    error(node, what + ": expected a string, got " + describe(node));
    return std::nullopt;
  }
  const std::string& raw = node.Scalar();
  if (raw.starts_with(kEnvPrefix)) return resolve_env(node, raw);
  return raw;
}

std::optional<std::int64_t> YamlReader::non_negative_int(const YAML::Node& node, const std::string& what) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  const auto t = core::trim(*text);
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || ptr != t.data() + t.size()) {
    error(node, what + ": expected a whole number, got " + describe(node));
    return std::nullopt;
  }
  if (value < 0) {
    error(node, what + ": must not be negative (got " + std::to_string(value) + ")");
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::non_negative_number(const YAML::Node& node, const std::string& what) {
  auto text = string(node, what);
  if (!text) return std::nullopt;
  const auto t = core::trim(*text);
  double value = 0;
  const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (ec != std::errc{} || ptr != t.data() + t.size() || !std::isfinite(value)) {
    error(node, what + ": expected a number, got " + describe(node));
    return std::nullopt;
  }
  if (value < 0) {
    error(node, what + ": must not be negative (got " + std::string(t) + ")");
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::positive_number(const YAML::Node& node, const std::string& what) {
  auto value = non_negative_number(node, what);
  if (value && *value == 0) {
    error(node, what + ": must be greater than zero");
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string>> YamlReader::string_list(const YAML::Node& node, const std::string& what) {
  if (node.IsScalar()) {  // a lone name where a list was expected: accept it as a list of one
    auto s = string(node, what);
    if (!s) return std::nullopt;
    return std::vector<std::string>{*s};
  }
  if (!expect_sequence(node, what)) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : node) {
    auto s = string(item, what + " entry");
    if (s) out.push_back(*s);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

bool YamlReader::expect_map(const YAML::Node& node, const std::string& what) {
  if (node.IsMap()) return true;
  error(node, what + ": expected a mapping, got " + describe(node));
  return false;
}

bool YamlReader::expect_sequence(const YAML::Node& node, const std::string& what) {
  if (node.IsSequence()) return true;
  error(node, what + ": expected a list, got " + describe(node));
  return false;
}

}  // namespace switchyard::config
