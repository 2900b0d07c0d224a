// YAML (LiteLLM's config format) → validated Config. Every problem is reported, not just the
// first, as `file:line:col: message`; settings Switchyard does not act on load with a warning.
// Never throws: malformed YAML, wrong types and hostile input all end up as diagnostics.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
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
  // Deployments LiteLLM loads but could not call as written: a provider it does not know, a key
  // that is neither in the config nor in the environment. `check` fails on them; `serve` warns and
  // serves the rest (LiteLLM fails such calls, it does not refuse the file).
  std::vector<Diagnostic> unservable;

  bool ok() const { return config != nullptr; }
};

// Looks up an environment variable; injectable so tests do not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_env(const std::string& name);

inline constexpr std::size_t kMaxConfigBytes = 8 << 20;

// `provider/model` (or a bare model LiteLLM infers a provider for) → the provider's prefix entry
// and the upstream model; a message when it names no provider Switchyard knows.
struct ParsedModel {
  const core::PrefixInfo* prefix = nullptr;
  std::string model;
  bool inferred = false;  // written without a prefix
};
struct ModelProblem {
  std::string message;
  bool unknown_provider = false;  // well-formed, but no provider Switchyard knows
};
std::variant<ParsedModel, ModelProblem> parse_litellm_model(const std::string& model,
                                                           const std::optional<std::string>& custom_provider = {});

// Sets a deployment's provider, prefix, model and default api_base from a parsed model.
void apply_parsed_model(const ParsedModel& parsed, Deployment& d);

// Fills api_key / api_base / api_version left empty from the provider's environment variables (as
// LiteLLM does) and records which variable supplied each. Returns a message when the provider
// needs a key and none was found.
std::optional<std::string> apply_env_credentials(Deployment& d, bool api_base_given, const EnvLookup& env);

LoadResult load_config_file(const std::string& path, const EnvLookup& env = process_env);
LoadResult load_config_text(std::string_view yaml, const std::string& display_name,
                            const EnvLookup& env = process_env);

}  // namespace switchyard::config
