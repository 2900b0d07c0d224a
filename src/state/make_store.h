// The StateStore a config asks for: Redis-backed when router_settings names a Redis
// (redis_url or redis_host), else in-memory. On a reload it is given the store that serves now:
// the same kind of store (in-memory, or the same Redis) is kept as it is; another kind takes over
// its local view, so every deployment's state survives either way. The caller reconciles the
// result with the new config's deployments (the router does, by id).
#pragma once

#include <memory>

#include "config/config.h"
#include "state/state_store.h"

namespace switchyard::state {

std::shared_ptr<StateStore> make_state_store(const config::Config& config,
                                             std::shared_ptr<StateStore> previous = nullptr);

// The deployments of a config as the store knows them: id and call fingerprint.
std::vector<DeploymentSpec> deployment_specs(const config::Config& config);

}  // namespace switchyard::state
