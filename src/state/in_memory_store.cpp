#include "state/in_memory_store.h"

namespace switchyard::state {
namespace {
constexpr core::Nanos kFailureWindow = 60'000'000'000;  // allowed_fails counts failures per minute
constexpr int kLatencyWeightPercent = 20;               // weight of the newest sample in the EWMA
}  // namespace

InMemoryStore::InMemoryStore(std::size_t deployments)
    : size_(deployments), slots_(std::make_unique<Slot[]>(deployments)) {}

std::optional<Cooldown> InMemoryStore::cooldown(std::size_t d, core::Nanos now) const {
  if (d >= size_) return std::nullopt;
  const auto until = slots_[d].cooldown_until.load(std::memory_order_acquire);
  if (until <= now) return std::nullopt;
  return Cooldown{static_cast<errors::ErrorClass>(slots_[d].cooldown_cause.load(std::memory_order_relaxed)), until};
}

std::optional<Cooldown> InMemoryStore::record_failure(std::size_t d, errors::ErrorClass cause,
                                                      const FailurePolicy& policy, core::Nanos now) {
  if (d >= size_) return std::nullopt;
  auto& s = slots_[d];
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

void InMemoryStore::record_success(std::size_t d, core::Nanos latency) {
  if (d >= size_) return;
  auto& avg = slots_[d].latency_ewma;
  const auto old = avg.load(std::memory_order_relaxed);
  avg.store(old == 0 ? latency : old + (latency - old) * kLatencyWeightPercent / 100, std::memory_order_relaxed);
}

void InMemoryStore::begin_request(std::size_t d) {
  if (d < size_) slots_[d].in_flight.fetch_add(1, std::memory_order_relaxed);
}

void InMemoryStore::end_request(std::size_t d) {
  if (d < size_) slots_[d].in_flight.fetch_sub(1, std::memory_order_relaxed);
}

int InMemoryStore::in_flight(std::size_t d) const {
  return d < size_ ? slots_[d].in_flight.load(std::memory_order_relaxed) : 0;
}

core::Nanos InMemoryStore::average_latency(std::size_t d) const {
  return d < size_ ? slots_[d].latency_ewma.load(std::memory_order_relaxed) : 0;
}

void InMemoryStore::clear_cooldowns() {
  for (std::size_t i = 0; i < size_; ++i) {
    slots_[i].cooldown_until.store(0, std::memory_order_release);
    slots_[i].window_failures = 0;
  }
}

void InMemoryStore::apply_cooldown(std::size_t d, errors::ErrorClass cause, core::Nanos until) {
  if (d >= size_) return;
  auto& s = slots_[d];
  auto current = s.cooldown_until.load(std::memory_order_relaxed);
  while (current < until && !s.cooldown_until.compare_exchange_weak(current, until, std::memory_order_release)) {
  }
  if (current < until) s.cooldown_cause.store(static_cast<int>(cause), std::memory_order_relaxed);
}

void InMemoryStore::clear_cooldown(std::size_t d) {
  if (d >= size_) return;
  slots_[d].cooldown_until.store(0, std::memory_order_release);
  slots_[d].window_failures = 0;
}

std::vector<InMemoryStore::ActiveCooldown> InMemoryStore::active_cooldowns(core::Nanos now) const {
  std::vector<ActiveCooldown> out;
  for (std::size_t d = 0; d < size_; ++d)
    if (auto c = cooldown(d, now)) out.push_back({d, *c});
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
