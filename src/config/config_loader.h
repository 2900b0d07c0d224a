// YAML (LiteLLM's config format) → validated Config. Every problem is reported, not just the
// first, as `file:line:col: message`; settings Switchyard does not act on load with a warning.
// Never throws: malformed YAML, wrong types and hostile input all end up as diagnostics.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace switchyard::config {

struct Diagnostic {
  std::string file;
  SourceLocation where;
  std::string message;
  bool warning = false;

  std::string to_string() const;  // "file:line:col: message" ("…: warning: message")
};

struct LoadResult {
  std::shared_ptr<const Config> config;  // null when there are errors
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;

  bool ok() const { return config != nullptr; }
};

// Looks up an environment variable; injectable so tests do not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_env(const std::string& name);

inline constexpr std::size_t kMaxConfigBytes = 8 << 20;

LoadResult load_config_file(const std::string& path, const EnvLookup& env = process_env);
LoadResult load_config_text(std::string_view yaml, const std::string& display_name,
                            const EnvLookup& env = process_env);

}  // namespace switchyard::config
