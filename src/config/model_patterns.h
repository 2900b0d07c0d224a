// LiteLLM's wildcard model names (`*`, `anthropic/*`, `claude-*`, `openai/fo::*::static::*`) as its
// PatternMatchRouter reads them: each `*` captures any text, the match is anchored at the start
// only (Python's re.match), and patterns are tried from the most specific (longest regex, then
// most regex syntax) down. Compiled once per config load; matching never compiles.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::config {

class WildcardPattern {
 public:
  explicit WildcardPattern(std::string pattern);

  const std::string& pattern() const { return pattern_; }
  // The captured text of each `*`, in order; nullopt when the name does not match.
  std::optional<std::vector<std::string>> match(std::string_view name) const;
  // LiteLLM's sort key: (length of the Python regex, count of regex syntax characters in it).
  std::pair<std::size_t, std::size_t> specificity() const { return specificity_; }

 private:
  std::string pattern_;
  std::shared_ptr<const re2::RE2> regex_;
  int captures_ = 0;
  std::pair<std::size_t, std::size_t> specificity_;
};

bool has_wildcard(std::string_view name);

// LiteLLM's set_deployment_model_name: each `*` of the deployment's model takes the next captured
// segment; more segments than `*`s means the requested name itself is used.
std::string substitute_wildcards(std::string_view litellm_model, const std::vector<std::string>& segments,
                                 std::string_view requested);

}  // namespace switchyard::config
