#include "api/admin.h"

#include <boost/json.hpp>

#include "api/metrics.h"
#include "core/text.h"
#include "core/url_userinfo.h"

namespace switchyard::api {
namespace json = boost::json;
namespace {

core::Nanos now() { return core::SteadyClock{}.now(); }  // the clock the serving router uses

std::optional<double> remaining_seconds(const state::Cooldown& c, core::Nanos at) {
  if (c.until == state::kForever) return std::nullopt;  // until reload
  return static_cast<double>(c.until - at) / 1e9;
}

void gauge_header(std::string& out, std::string_view name, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " gauge\n";
}

}  // namespace

json::object deployments_view(const router::Router& router) {
  const auto at = now();
  auto& state = router.state();
  json::array list;
  for (const auto& entry : router.deployments().all()) {
    const auto& d = *entry.config;
    const auto& endpoint = entry.endpoint;
    json::object o{{"id", d.id},
                   {"model_group", d.group},
                   {"provider", to_string(d.provider)},
                   {"model", d.model},
                   {"api_base", core::without_userinfo(d.api_base)},  // never its credentials
                   {"callable", endpoint.adapter != nullptr},
                   {"in_flight", state.in_flight(*entry.slot)},
                   {"latency_ms", static_cast<double>(state.average_latency(*entry.slot)) / 1e6}};
    if (!endpoint.adapter) o["unusable_reason"] = endpoint.unusable_reason;
    const auto cooldown = state.cooldown(*entry.slot, at);
    if (cooldown) {
      json::object c{{"class", to_string(cooldown->cause)}};
      const auto left = remaining_seconds(*cooldown, at);
      c["remaining_seconds"] = left ? json::value(*left) : json::value(nullptr);
      c["until_reload"] = !left.has_value();
      o["cooldown"] = std::move(c);
    } else {
      o["cooldown"] = nullptr;
    }
    o["healthy"] = endpoint.adapter != nullptr && !cooldown;
    list.push_back(std::move(o));
  }
  return {{"deployments", std::move(list)}};
}

std::size_t clear_cooldowns(const router::Router& router) {
  const auto at = now();
  std::size_t cooling = 0;
  for (const auto& entry : router.deployments().all())
    if (router.state().cooldown(*entry.slot, at)) ++cooling;
  router.state().clear_cooldowns();
  return cooling;
}

void write_state_gauges(std::string& out, const router::Router& router) {
  const auto at = now();
  auto& state = router.state();
  const auto& deployments = router.deployments().all();
  gauge_header(out, "switchyard_deployment_cooldown",
               "1 for each deployment cooling down, labelled with the error class that caused it.");
  for (const auto& e : deployments)
    if (const auto c = state.cooldown(*e.slot, at)) {
      out += "switchyard_deployment_cooldown{model_group=\"" + escape_label_value(e.config->group) +
             "\",deployment=\"" + escape_label_value(e.config->id) + "\",class=\"" +
             std::string(to_string(c->cause)) + "\"} 1\n";
    }
  gauge_header(out, "switchyard_deployment_in_flight", "Upstream calls in flight per deployment.");
  for (const auto& e : deployments) {
    out += "switchyard_deployment_in_flight{deployment=\"" + escape_label_value(e.config->id) + "\"} ";
    core::append_double(out, state.in_flight(*e.slot));
    out += '\n';
  }
  gauge_header(out, "switchyard_deployment_latency_seconds", "Moving average of successful upstream call latency.");
  for (const auto& e : deployments) {
    out += "switchyard_deployment_latency_seconds{deployment=\"" + escape_label_value(e.config->id) + "\"} ";
    core::append_double(out, static_cast<double>(state.average_latency(*e.slot)) / 1e9);
    out += '\n';
  }
  const auto shared = state.shared_status();
  if (shared.enabled) {
    gauge_header(out, "switchyard_redis_up", "1 when the shared-state Redis is reachable.");
    out += shared.up ? "switchyard_redis_up 1\n" : "switchyard_redis_up 0\n";
    out += "# HELP switchyard_redis_errors_total Failed Redis operations (the local view served meanwhile).\n"
           "# TYPE switchyard_redis_errors_total counter\nswitchyard_redis_errors_total ";
    core::append_double(out, static_cast<double>(shared.errors_total));
    out += '\n';
  }
}

}  // namespace switchyard::api
