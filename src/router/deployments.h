// The deployments of one config load, by stable id: each one's endpoint (built once, at load) and
// its state slot (the same object the previous load had for that id, so cooldowns, windows,
// latency and in-flight counts carry over a reload). Groups list their deployments as entries;
// nothing here or in the router is addressed by a position in model_list.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "providers/chat_call.h"
#include "state/state_store.h"

namespace switchyard::router {

struct DeploymentEntry {
  const config::Deployment* config = nullptr;  // owned by the registry's Config
  providers::Endpoint endpoint;                // without adapter: endpoint.unusable_reason says why
  std::shared_ptr<state::DeploymentSlot> slot;
};

class DeploymentRegistry {
 public:
  // Reconciles `store` with the config's deployments (see StateStore::reconcile) and binds each
  // deployment to its slot. `config` must outlive the registry.
  DeploymentRegistry(const config::Config& config, state::StateStore& store);
  DeploymentRegistry(const DeploymentRegistry&) = delete;
  DeploymentRegistry& operator=(const DeploymentRegistry&) = delete;

  // Every deployment, in config order (for display; choices go through group()).
  const std::vector<DeploymentEntry>& all() const { return entries_; }
  const DeploymentEntry* find(std::string_view id) const;
  // A group's deployments; empty for an unknown group.
  std::span<const DeploymentEntry* const> group(const std::string& name) const;
  bool has_group(const std::string& name) const { return groups_.contains(name); }
  // What this load changed against the store's previous deployments.
  const state::ReconcileResult& changes() const { return changes_; }

 private:
  std::vector<DeploymentEntry> entries_;  // filled once: pointers into it stay valid
  std::unordered_map<std::string_view, const DeploymentEntry*> by_id_;
  std::unordered_map<std::string, std::vector<const DeploymentEntry*>> groups_;
  state::ReconcileResult changes_;
};

}  // namespace switchyard::router
