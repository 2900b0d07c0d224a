#include "state/in_memory_store.h"


namespace switchyard::state {
namespace {
constexpr core::Nanos kFailureWindow = 60'000'000'000;  // allowed_fails counts failures per minute
constexpr int kLatencyWeightPercent = 20;               // weight of the newest sample in the EWMA
}  // namespace

InMemoryStore::InMemoryStore(const std::vector<std::string>& deployment_ids) {
  std::vector<DeploymentSpec> specs;
  for (const auto& id : deployment_ids) specs.push_back({id, ""});
  reconcile(specs);
}

// A new key, base or params under the same id: the operator changed how the deployment is called
// (a reload is how a bad key gets fixed), so its cooldown and failure count go; its load (in
// flight, latency, rpm/tpm windows) describes the same upstream and stays. An unchanged one keeps
// its timed cooldown (class, remaining time) but not an until-reload one: that cooldown waits for
// exactly this (a key fixed in a credentials file or at the provider leaves the config unchanged).
ReconcileResult InMemoryStore::reconcile(std::span<const DeploymentSpec> deployments) {
  ReconcileResult result;
  std::unordered_map<std::string, Entry> next;
  const std::lock_guard lock(table_mutex_);
  for (const auto& spec : deployments) {
    if (next.contains(spec.id)) continue;  // ids are unique per config; be safe anyway
    auto it = table_.find(spec.id);
    if (it == table_.end()) {
      next.emplace(spec.id, Entry{std::make_shared<DeploymentSlot>(spec.id), spec.fingerprint});
      result.added.push_back(spec.id);
      continue;
    }
    auto entry = std::move(it->second);
    table_.erase(it);
    if (entry.slot->cooldown_until.load(std::memory_order_acquire) == kForever) {
      clear_cooldown(*entry.slot);
      result.until_reload_ended.push_back(spec.id);
    }
    if (entry.fingerprint != spec.fingerprint) {
      clear_cooldown(*entry.slot);
      entry.fingerprint = spec.fingerprint;
      result.params_changed.push_back(spec.id);
    } else {
      result.kept.push_back(spec.id);
    }
    next.emplace(spec.id, std::move(entry));
  }
  // What is left was not configured again. A request still running on the old config keeps its
  // slot alive (shared_ptr) until it ends; nothing reads it after that.
  for (const auto& [id, entry] : table_) result.removed.push_back(id);
  table_.swap(next);
  if (!result.removed.empty()) {
    const std::lock_guard windows_lock(windows_mutex_);
    for (const auto& id : result.removed) windows_.erase(deployment_subject(id));
  }
  return result;
}

std::shared_ptr<DeploymentSlot> InMemoryStore::slot(std::string_view id) const {
  const std::lock_guard lock(table_mutex_);
  const auto it = table_.find(std::string(id));
  return it == table_.end() ? nullptr : it->second.slot;
}

std::vector<std::shared_ptr<DeploymentSlot>> InMemoryStore::slots() const {
  std::vector<std::shared_ptr<DeploymentSlot>> out;
  const std::lock_guard lock(table_mutex_);
  out.reserve(table_.size());
  for (const auto& [id, entry] : table_) out.push_back(entry.slot);
  return out;
}

void InMemoryStore::adopt(const InMemoryStore& previous) {
  if (&previous == this) return;
  {
    const std::scoped_lock lock(table_mutex_, previous.table_mutex_);
    for (const auto& [id, entry] : previous.table_) table_.insert_or_assign(id, entry);
  }
  const std::scoped_lock lock(windows_mutex_, previous.windows_mutex_);
  for (const auto& [subject, window] : previous.windows_) windows_.insert_or_assign(subject, window);
}

std::optional<Cooldown> InMemoryStore::cooldown(const DeploymentSlot& d, core::Nanos now) const {
  const auto until = d.cooldown_until.load(std::memory_order_acquire);
  if (until <= now) return std::nullopt;
  return Cooldown{static_cast<errors::ErrorClass>(d.cooldown_cause.load(std::memory_order_relaxed)), until};
}

std::optional<Cooldown> InMemoryStore::record_failure(DeploymentSlot& s, errors::ErrorClass cause,
                                                      const FailurePolicy& policy, core::Nanos now) {
  bool cool = policy.cooldown_now;
  if (!cool) {
    auto start = s.window_start.load(std::memory_order_relaxed);
    if (now - start >= kFailureWindow && s.window_start.compare_exchange_strong(start, now)) s.window_failures = 0;
    cool = s.window_failures.fetch_add(1, std::memory_order_relaxed) + 1 > policy.allowed_fails;
  }
  if (!cool) return std::nullopt;
  const core::Nanos until = policy.cooldown_for >= kForever - now ? kForever : now + policy.cooldown_for;
  // Keep the later of two concurrent cooldowns.
  auto current = s.cooldown_until.load(std::memory_order_relaxed);
  while (current < until && !s.cooldown_until.compare_exchange_weak(current, until, std::memory_order_release)) {
  }
  s.cooldown_cause.store(static_cast<int>(cause), std::memory_order_relaxed);
  s.window_failures = 0;
  return Cooldown{cause, until};
}

void InMemoryStore::record_success(DeploymentSlot& d, core::Nanos latency) {
  auto& avg = d.latency_ewma;
  const auto old = avg.load(std::memory_order_relaxed);
  avg.store(old == 0 ? latency : old + (latency - old) * kLatencyWeightPercent / 100, std::memory_order_relaxed);
}

void InMemoryStore::begin_request(DeploymentSlot& d) { d.in_flight.fetch_add(1, std::memory_order_relaxed); }
void InMemoryStore::end_request(DeploymentSlot& d) { d.in_flight.fetch_sub(1, std::memory_order_relaxed); }
int InMemoryStore::in_flight(const DeploymentSlot& d) const { return d.in_flight.load(std::memory_order_relaxed); }

core::Nanos InMemoryStore::average_latency(const DeploymentSlot& d) const {
  return d.latency_ewma.load(std::memory_order_relaxed);
}

void InMemoryStore::clear_cooldowns() {
  for (const auto& s : slots()) clear_cooldown(*s);
}

void InMemoryStore::apply_cooldown(DeploymentSlot& s, errors::ErrorClass cause, core::Nanos until) {
  auto current = s.cooldown_until.load(std::memory_order_relaxed);
  while (current < until && !s.cooldown_until.compare_exchange_weak(current, until, std::memory_order_release)) {
  }
  if (current < until) s.cooldown_cause.store(static_cast<int>(cause), std::memory_order_relaxed);
}

void InMemoryStore::clear_cooldown(DeploymentSlot& s) {
  s.cooldown_until.store(0, std::memory_order_release);
  s.window_failures = 0;
}

std::vector<InMemoryStore::ActiveCooldown> InMemoryStore::active_cooldowns(core::Nanos now) const {
  std::vector<ActiveCooldown> out;
  for (auto& s : slots())
    if (auto c = cooldown(*s, now)) out.push_back({std::move(s), *c});
  return out;
}

Admission InMemoryStore::admit_now(const std::string& subject, const RateLimits& limits, core::Nanos now) {
  if (!limits.any()) return {};
  const std::lock_guard lock(windows_mutex_);
  return windows_[subject].try_admit(limits, now);
}

void InMemoryStore::note_admitted(const std::string& subject, const RateLimits& limits, core::Nanos now) {
  if (!limits.any()) return;
  const std::lock_guard lock(windows_mutex_);
  windows_[subject].note_request(limits, now);
}

http::Awaitable<Admission> InMemoryStore::admit(std::string subject, RateLimits limits, core::Nanos now) {
  const Admission admission = admit_now(subject, limits, now);
  co_return admission;
}

void InMemoryStore::record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) {
  const std::lock_guard lock(windows_mutex_);
  windows_[subject].add_usage(tokens, now);
}

WindowUsage InMemoryStore::usage(const std::string& subject, core::Nanos now) const {
  const std::lock_guard lock(windows_mutex_);
  const auto it = windows_.find(subject);
  return it == windows_.end() ? WindowUsage{} : it->second.usage(now);
}

}  // namespace switchyard::state
