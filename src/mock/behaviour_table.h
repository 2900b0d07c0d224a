// The mock's live behaviours: the config's entries, changed at runtime by `PUT /mock/models/...`.
// Read on every call from every I/O thread, written rarely: an immutable snapshot behind a
// shared_mutex (readers copy a shared_ptr), replaced whole on PUT. Each entry counts its own calls
// so a script advances per entry, and `reset()` restarts every script without a new snapshot.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mock/mock_config.h"

namespace switchyard::mock {

struct LiveEntry {
  std::string model;  // kAnyModel for wildcard entries; empty for the default
  Behaviour behaviour;
  mutable std::atomic<std::uint64_t> calls{0};  // position in behaviour.script

  // The fault for the next call: script[min(calls, size-1)].
  Fault next_step() const;
};

class BehaviourTable {
 public:
  explicit BehaviourTable(const MockConfig& config);

  // Most specific entry for a call: exact model over `*`, then the longest matching path prefix;
  // the default when none matches. Never null.
  std::shared_ptr<const LiveEntry> lookup(std::string_view model, std::string_view path) const;

  // Adds or replaces the entry with this model and behaviour.path_prefix.
  void put(std::string model, Behaviour behaviour);
  void reset_scripts();

 private:
  struct Snapshot {
    // model → entries, longest path prefix first
    std::unordered_map<std::string, std::vector<std::shared_ptr<const LiveEntry>>> by_model;
    std::shared_ptr<const LiveEntry> fallback;
  };
  static void insert(Snapshot& s, std::shared_ptr<const LiveEntry> e);
  std::shared_ptr<const Snapshot> snapshot() const;

  mutable std::shared_mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace switchyard::mock
