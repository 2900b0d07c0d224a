#include "state/make_store.h"

#include "state/in_memory_store.h"
#include "state/redis_store.h"

namespace switchyard::state {

std::shared_ptr<StateStore> make_state_store(const config::Config& config) {
  if (!config.router.redis) return std::make_shared<InMemoryStore>(config.deployments.size());
  std::vector<std::string> ids;
  ids.reserve(config.deployments.size());
  for (const auto& d : config.deployments) ids.push_back(d.id);
  RedisStoreOptions options;
  options.endpoint = *config.router.redis;
  return std::make_shared<RedisStore>(std::move(ids), std::move(options));
}

}  // namespace switchyard::state
