// YAML 1.1 merge keys (`<<: *defaults`, `<<: [*a, *b]`) as PyYAML applies them, over yaml-cpp
// nodes (yaml-cpp reads `<<` as an ordinary key). LiteLLM loads configs with PyYAML, so its users
// write merge keys freely. Expanded in place: merged values are the anchored nodes themselves, so
// their line:col stays the one in the file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace switchyard::config {

struct MergeProblem {
  YAML::Mark mark;
  std::string message;
};

// Explicit keys win over merged ones; within a list of merges the first one wins (PyYAML).
// Refuses a `<<` whose value is not a mapping or a list of mappings, and trees that aliases blow up
// past a visit budget (a "billion laughs" config).
std::optional<MergeProblem> expand_merge_keys(YAML::Node root);

}  // namespace switchyard::config
