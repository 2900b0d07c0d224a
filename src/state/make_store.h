// The StateStore a config asks for: Redis-backed when router_settings names a Redis
// (redis_url or redis_host), else in-memory.
#pragma once

#include <memory>

#include "config/config.h"
#include "state/state_store.h"

namespace switchyard::state {

std::shared_ptr<StateStore> make_state_store(const config::Config& config);

}  // namespace switchyard::state
