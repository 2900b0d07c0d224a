// The StateStore shared by every instance pointing at the same Redis. Hot-path reads come from a
// local view (an InMemoryStore) kept fresh by pub/sub on `switchyard:events` and a resync every
// second (the same channel tells every instance of deleted shared values: on_shared_deleted);
// writes go to a dedicated Redis thread through a queue and are pipelined there. I/O
// threads never wait on Redis: only admit() for a subject WITH limits awaits a reply, and it
// awaits it asynchronously (the reply is posted back to the caller's executor).
// Redis down, slow or restarted: the local view keeps serving, limits are counted locally, one
// warning per outage; on reconnect this instance republishes its live cooldowns and resyncs.
// Layout (all keys under `switchyard:`), see docs/ARCHITECTURE.md "Shared state".
#pragma once

#include <hiredis/hiredis.h>

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "config/redis_endpoint.h"
#include "state/in_memory_store.h"

namespace switchyard::state {

struct RedisStoreOptions {
  config::RedisEndpoint endpoint;
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds command_timeout{250};  // a slow Redis costs at most this per batch
  std::chrono::milliseconds resync_interval{1000};
  std::chrono::milliseconds max_backoff{2000};
};

// Forever cooldowns (until reload) are stored with this TTL in Redis.
inline constexpr std::int64_t kForeverCooldownMs = 30LL * 24 * 3600 * 1000;

class RedisStore final : public StateStore {
 public:
  // previous: the local view of the store this one replaces (a reload that changed the Redis, or
  // turned it on): its deployments' state is taken over. Call reconcile() before use.
  explicit RedisStore(RedisStoreOptions options, const InMemoryStore* previous = nullptr);
  ~RedisStore() override;
  RedisStore(const RedisStore&) = delete;
  RedisStore& operator=(const RedisStore&) = delete;

  // Also drops the shared cooldown and failure count of a deployment whose call params changed,
  // and the shared until-reload cooldowns this reload ended.
  ReconcileResult reconcile(std::span<const DeploymentSpec> deployments) override;
  std::shared_ptr<DeploymentSlot> slot(std::string_view id) const override;
  std::optional<Cooldown> cooldown(const DeploymentSlot& d, core::Nanos now) const override;
  std::optional<Cooldown> record_failure(DeploymentSlot& d, errors::ErrorClass cause, const FailurePolicy& policy,
                                         core::Nanos now) override;
  void record_success(DeploymentSlot& d, core::Nanos latency) override;
  void begin_request(DeploymentSlot& d) override;
  void end_request(DeploymentSlot& d) override;
  int in_flight(const DeploymentSlot& d) const override;
  core::Nanos average_latency(const DeploymentSlot& d) const override;
  void clear_cooldowns() override;
  http::Awaitable<Admission> admit(std::string subject, RateLimits limits, core::Nanos now) override;
  void record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) override;
  WindowUsage usage(const std::string& subject, core::Nanos now) const override;
  SharedStatus shared_status() const override;
  void put_shared(const std::string& key, std::string value, std::chrono::seconds ttl) override;
  void delete_shared(const std::string& key, std::chrono::seconds remembered) override;
  http::Awaitable<std::optional<std::string>> get_shared(std::string key) override;
  void on_shared_deleted(SharedDeletedHandler handler) override;

  bool redis_up() const { return up_.load(std::memory_order_relaxed); }
  std::uint64_t redis_errors_total() const { return errors_total_.load(std::memory_order_relaxed); }
  const std::string& instance_id() const { return instance_id_; }
  const config::RedisEndpoint& endpoint() const { return options_.endpoint; }
  const InMemoryStore& local_view() const { return local_; }

 private:
  // One command for the Redis thread; done(nullptr) when Redis could not answer.
  struct Job {
    std::vector<std::string> argv;
    std::function<void(const redisReply*)> done;
  };

  template <typename Token>
  auto async_admit(std::string subject, RateLimits limits, core::Nanos now, Token&& token) {
    return boost::asio::async_initiate<Token, void(Admission)>(
        [this](auto handler, std::string s, RateLimits l, core::Nanos n) {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          start_admit(std::move(s), l, n, [shared, executor](Admission a) {
            boost::asio::post(executor, [shared, a]() mutable { (*shared)(a); });
          });
        },
        token, std::move(subject), limits, now);
  }
  void start_admit(std::string subject, RateLimits limits, core::Nanos now, std::function<void(Admission)> done);
  template <typename Token>
  auto async_get(std::string key, Token&& token) {
    return boost::asio::async_initiate<Token, void(std::optional<std::string>)>(
        [this](auto handler, std::string k) {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          enqueue({{"GET", std::move(k)}, [shared, executor](const redisReply* r) {
                     std::optional<std::string> value;
                     if (r && r->type == REDIS_REPLY_STRING) value.emplace(r->str, r->len);
                     boost::asio::post(executor, [shared, value = std::move(value)]() mutable { (*shared)(std::move(value)); });
                   }});
        },
        token, std::move(key));
  }

  void enqueue(Job job);
  void writer_loop();
  void subscriber_loop();
  redisContext* connect(std::string& error) const;
  bool run_batch(std::vector<Job>& batch);  // false when the connection broke
  bool resync();
  void republish_cooldowns();
  void fail_jobs(std::vector<Job>& jobs);
  void mark_down(const std::string& why);
  void mark_up();
  void kick_subscriber();
  // On reconnect: kicks the subscriber only if its subscription predates the outage (it may sit
  // on a dead connection); one made since is live, and kicking it would drop the events
  // published until it has subscribed again.
  void kick_stale_subscriber();
  void on_event(std::string_view payload);
  void notify_shared_deleted(std::string_view key);  // empty: deletes may have been missed

  std::int64_t wall_ms() const;
  core::Nanos steady_from_wall_ms(std::int64_t until_ms) const;
  std::int64_t wall_ms_from_steady(core::Nanos until) const;
  void forget_shared_cooldown(const std::string& id);

  RedisStoreOptions options_;
  std::string instance_id_;
  core::SteadyClock clock_;
  InMemoryStore local_;  // slots hold other instances' in-flight and latency too (resync)

  mutable std::mutex usage_mutex_;
  std::unordered_map<std::string, WindowUsage> shared_usage_;

  std::atomic<bool> up_{false};
  std::atomic<std::uint64_t> errors_total_{0};
  bool warned_down_ = false;  // Redis thread only

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::vector<Job> queue_;
  bool stopping_ = false;      // under queue_mutex_
  bool resubscribe_ = false;   // under queue_mutex_: the writer reconnected
  // Shared cooldowns to delete on the next connect (a reload changed their params while Redis
  // was down, so the queued DEL was dropped); under queue_mutex_.
  std::vector<std::string> forget_on_connect_;

  redisContext* writer_ = nullptr;  // Redis thread only
  std::mutex subscriber_mutex_;
  int subscriber_fd_ = -1;  // to shut the blocking SUBSCRIBE read down
  bool subscription_stale_ = false;  // subscribed before the writer last saw Redis down

  // Taken by on_shared_deleted() and by the subscriber thread for a `del` event (deletes are rare).
  std::mutex shared_deleted_mutex_;
  SharedDeletedHandler shared_deleted_;

  std::thread writer_thread_;
  std::thread subscriber_thread_;
};

}  // namespace switchyard::state
