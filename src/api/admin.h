// The admin view of a running gateway (behind master_key): each deployment's health, cooldown
// (class and time left), in-flight calls and recent latency; clearing cooldowns; and the same
// live state as Prometheus gauges for /metrics.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>

#include "router/router.h"

namespace switchyard::api {

// GET /admin/deployments: {"deployments":[{id, model_group, provider, model, api_base, callable,
// unusable_reason?, healthy, cooldown: null | {class, remaining_seconds}, in_flight, latency_ms}]}
boost::json::object deployments_view(const router::Router& router);

// POST /admin/cooldowns/clear: how many deployments were cooling down.
std::size_t clear_cooldowns(const router::Router& router);

// Gauges appended to /metrics: deployments cooled down (with class), per-deployment in-flight
// calls and latency average, shared-state (Redis) health.
void write_state_gauges(std::string& out, const router::Router& router);

}  // namespace switchyard::api
