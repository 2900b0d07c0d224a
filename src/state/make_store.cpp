#include "state/make_store.h"

#include "config/deployment_id.h"
#include "state/in_memory_store.h"
#include "state/redis_store.h"

namespace switchyard::state {
namespace {

bool same_redis(const config::RedisEndpoint& a, const config::RedisEndpoint& b) {
  return a.host == b.host && a.port == b.port && a.db == b.db && a.username == b.username && a.password == b.password &&
         a.tls == b.tls;
}

}  // namespace

std::shared_ptr<StateStore> make_state_store(const config::Config& config, std::shared_ptr<StateStore> previous) {
  const InMemoryStore* previous_view = nullptr;
  if (auto redis = std::dynamic_pointer_cast<RedisStore>(previous)) {
    if (config.router.redis && same_redis(redis->endpoint(), *config.router.redis)) return previous;
    previous_view = &redis->local_view();
  } else if (auto memory = std::dynamic_pointer_cast<InMemoryStore>(previous)) {
    if (!config.router.redis) return previous;
    previous_view = memory.get();
  }
  if (!config.router.redis) {
    auto store = std::make_shared<InMemoryStore>();
    if (previous_view) store->adopt(*previous_view);
    return store;
  }
  RedisStoreOptions options;
  options.endpoint = *config.router.redis;
  return std::make_shared<RedisStore>(std::move(options), previous_view);
}

std::vector<DeploymentSpec> deployment_specs(const config::Config& config) {
  std::vector<DeploymentSpec> specs;
  specs.reserve(config.deployments.size());
  for (const auto& d : config.deployments) specs.push_back({d.id, config::call_fingerprint(d)});
  return specs;
}

}  // namespace switchyard::state
