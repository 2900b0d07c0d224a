#include "providers/auth/learned_secrets.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace switchyard::providers::auth::learned_secrets {
namespace {

struct Registry {
  std::mutex mutex;  // writers only
  std::map<const void*, std::vector<std::string>> by_owner;
  std::atomic<std::shared_ptr<const std::vector<std::string>>> published{
      std::make_shared<const std::vector<std::string>>()};

  // Under `mutex`.
  void publish() {
    std::vector<std::string> all;
    for (const auto& [owner, secrets] : by_owner) all.insert(all.end(), secrets.begin(), secrets.end());
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
    all.erase(std::unique(all.begin(), all.end()), all.end());
    published.store(std::make_shared<const std::vector<std::string>>(std::move(all)), std::memory_order_release);
  }
};

Registry& registry() {
  static auto* const r = new Registry();  // never destroyed: credential sources outlive statics' order
  return *r;
}

}  // namespace

void set(const void* owner, std::vector<std::string> secrets) {
  std::erase_if(secrets, [](const std::string& s) { return s.size() < kMinSecretLength; });
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (secrets.empty()) {
    if (r.by_owner.erase(owner) == 0) return;
  } else {
    auto& slot = r.by_owner[owner];
    if (slot == secrets) return;
    slot = std::move(secrets);
  }
  r.publish();
}

void forget(const void* owner) { set(owner, {}); }

std::shared_ptr<const std::vector<std::string>> snapshot() {
  return registry().published.load(std::memory_order_acquire);
}

}  // namespace switchyard::providers::auth::learned_secrets
