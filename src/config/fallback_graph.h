// Cycle detection over a fallback list (group → groups it falls back to). A cycle is a config
// error: the router has a guard, but a config that loops is a mistake worth naming at load.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace switchyard::config {

struct FallbackCycle {
  std::string path;       // "a -> b -> a"
  SourceLocation where;   // the rule whose edge closes the cycle
};

std::vector<FallbackCycle> find_fallback_cycles(const std::vector<FallbackRule>& rules);

}  // namespace switchyard::config
