// One line per deployment saying how it will authenticate, for `switchyard check`: the credential
// source that will be used (its description names files, roles and endpoints, never a secret), a
// static key, or why the deployment cannot be called.
#pragma once

#include <string>

#include "providers/provider.h"

namespace switchyard::providers::auth {

std::string credential_summary(const Endpoint& endpoint);

}  // namespace switchyard::providers::auth
