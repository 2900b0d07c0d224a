// The one-line JSON that `switchyard explain` prints (DESIGN.md, CLI):
// {"class":…,"retry":…,"cooldown":…,"fallback":…,"rule":…}
#pragma once

#include <string>

#include "errors/classifier.h"

namespace switchyard::errors {

std::string explain_json(const Classification& c);

}  // namespace switchyard::errors
