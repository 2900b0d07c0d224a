#include "router/deployments.h"

#include "state/make_store.h"

namespace switchyard::router {

DeploymentRegistry::DeploymentRegistry(const config::Config& config, state::StateStore& store)
    : changes_(store.reconcile(state::deployment_specs(config))) {
  entries_.reserve(config.deployments.size());
  for (const auto& d : config.deployments) {
    auto slot = store.slot(d.id);
    // reconcile() just made one for every id; a store that lost it would be a bug, not an input.
    if (!slot) slot = std::make_shared<state::DeploymentSlot>(d.id);
    entries_.push_back({&d, providers::make_endpoint(d), std::move(slot)});
  }
  for (const auto& e : entries_) {
    by_id_.emplace(e.config->id, &e);
    groups_[e.config->group].push_back(&e);
  }
}

const DeploymentEntry* DeploymentRegistry::find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::span<const DeploymentEntry* const> DeploymentRegistry::group(const std::string& name) const {
  const auto it = groups_.find(name);
  if (it == groups_.end()) return {};
  return it->second;
}

}  // namespace switchyard::router
