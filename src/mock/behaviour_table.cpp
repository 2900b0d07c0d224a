#include "mock/behaviour_table.h"

#include <algorithm>
#include <mutex>

namespace switchyard::mock {

Fault LiveEntry::next_step() const {
  const auto n = calls.fetch_add(1, std::memory_order_relaxed);
  const auto& s = behaviour.script;
  return s[std::min<std::uint64_t>(n, s.size() - 1)];
}

BehaviourTable::BehaviourTable(const MockConfig& config) {
  auto s = std::make_shared<Snapshot>();
  auto fallback = std::make_shared<LiveEntry>();
  fallback->behaviour = config.default_behaviour;
  s->fallback = std::move(fallback);
  for (const auto& m : config.models) {
    auto e = std::make_shared<LiveEntry>();
    e->model = m.model;
    e->behaviour = m.behaviour;
    insert(*s, std::move(e));
  }
  snapshot_ = std::move(s);
}

void BehaviourTable::insert(Snapshot& s, std::shared_ptr<const LiveEntry> e) {
  auto& list = s.by_model[e->model];
  std::erase_if(list, [&](const auto& old) { return old->behaviour.path_prefix == e->behaviour.path_prefix; });
  list.push_back(std::move(e));
  std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return a->behaviour.path_prefix.size() > b->behaviour.path_prefix.size();
  });
}

std::shared_ptr<const BehaviourTable::Snapshot> BehaviourTable::snapshot() const {
  std::shared_lock lock(mutex_);
  return snapshot_;
}

std::shared_ptr<const LiveEntry> BehaviourTable::lookup(std::string_view model, std::string_view path) const {
  const auto s = snapshot();
  const auto match = [&](std::string_view key) -> std::shared_ptr<const LiveEntry> {
    // Heterogeneous lookup needs C++20 transparent hashing; one small string copy is cheaper to read.
    const auto it = s->by_model.find(std::string(key));
    if (it == s->by_model.end()) return nullptr;
    for (const auto& e : it->second)
      if (path.starts_with(e->behaviour.path_prefix)) return e;
    return nullptr;
  };
  if (auto e = match(model)) return e;
  if (auto e = match(kAnyModel)) return e;
  return s->fallback;
}

void BehaviourTable::put(std::string model, Behaviour behaviour) {
  auto e = std::make_shared<LiveEntry>();
  e->model = std::move(model);
  e->behaviour = std::move(behaviour);
  std::unique_lock lock(mutex_);
  auto next = std::make_shared<Snapshot>(*snapshot_);
  insert(*next, std::move(e));
  snapshot_ = std::move(next);
}

void BehaviourTable::reset_scripts() {
  const auto s = snapshot();
  s->fallback->calls.store(0);
  for (const auto& [model, list] : s->by_model)
    for (const auto& e : list) e->calls.store(0);
}

}  // namespace switchyard::mock
