#include "state/redis_store.h"
#include "core/log_line.h"

#include <sstream>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <iostream>
#include <random>

namespace switchyard::state {
namespace {

constexpr const char* kEvents = "switchyard:events";
constexpr std::int64_t kShareTtlSeconds = 60;       // latency / in-flight entries of live instances
constexpr std::int64_t kShareFreshMs = 5000;         // entries older than this are a dead instance's
constexpr std::size_t kMaxQueuedJobs = 100'000;      // beyond this, writes are dropped (Redis too slow)
constexpr std::int64_t kForeverThresholdMs = 7LL * 24 * 3600 * 1000;  // longer: treat as until-reload

// Sliding-minute rpm (a ZSET of admission times) and tpm (per-minute token counters, the previous
// minute weighted) checked and taken in one step, on Redis's clock so instance clocks don't matter.
// Returns {admitted, retry_after_ms}.
constexpr const char* kAdmitScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local s, rpm, tpm = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if tpm > 0 then
  local m = math.floor(now / 60000)
  local cur = tonumber(redis.call('GET', 'switchyard:tpm:' .. s .. ':' .. m) or '0')
  local prev = tonumber(redis.call('GET', 'switchyard:tpm:' .. s .. ':' .. (m - 1)) or '0')
  if cur + prev * (1 - (now % 60000) / 60000) >= tpm then return {0, 60000 - (now % 60000)} end
end
if rpm > 0 then
  local z = 'switchyard:rpm:' .. s
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now - 60000)
  if redis.call('ZCARD', z) >= rpm then
    local oldest = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
    return {0, math.max(1, tonumber(oldest[2]) + 60000 - now)}
  end
  redis.call('ZADD', z, now, ARGV[4])
  redis.call('PEXPIRE', z, 61000)
end
return {1, 0}
)lua";

// A finished request: one request and its tokens in this minute's counters.
constexpr const char* kUsageScript = R"lua(
local t = redis.call('TIME')
local m = math.floor((tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)) / 60000)
local k = 'switchyard:tpm:' .. ARGV[1] .. ':' .. m
redis.call('INCRBY', k, ARGV[2])
redis.call('EXPIRE', k, 180)
local r = 'switchyard:req:' .. ARGV[1] .. ':' .. m
redis.call('INCR', r)
redis.call('EXPIRE', r, 180)
return 1
)lua";

// A failure: counts it in the shared minute (allowed_fails across instances) and, when it cools
// the deployment down (now, or over the allowance), stores the cooldown and publishes it.
// ARGV: id, cause, allowed_fails, cool_now (0/1), cooldown_ms, origin. Returns until_ms or 0.
constexpr const char* kFailureScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local fails = 'switchyard:fails:' .. id
local cool = ARGV[4] == '1'
if not cool then
  local n = redis.call('INCR', fails)
  if n == 1 then redis.call('PEXPIRE', fails, 60000) end
  cool = n > tonumber(ARGV[3])
end
if not cool then return 0 end
local key = 'switchyard:cooldown:' .. id
local until_ms = now + tonumber(ARGV[5])
local current = tonumber(redis.call('HGET', key, 'until_ms') or '0')
if current > until_ms then until_ms = current end
redis.call('HSET', key, 'cause', ARGV[2], 'until_ms', until_ms, 'set_ms', now)
redis.call('PEXPIREAT', key, until_ms)
redis.call('SADD', 'switchyard:cooldowns', id)
redis.call('DEL', fails)
local set_us = t[1] .. string.format('%06d', tonumber(t[2]))
redis.call('PUBLISH', 'switchyard:events', 'cd|' .. ARGV[2] .. '|' .. until_ms .. '|' .. set_us .. '|' .. ARGV[6] .. '|' .. id)
return until_ms
)lua";

std::string random_instance_id() {
  std::random_device rd;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%08x%04x", rd(), static_cast<unsigned>(getpid()) & 0xffffU);
  return buf;
}

std::int64_t to_int(std::string_view s, std::int64_t fallback = 0) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc{} && end == s.data() + s.size() ? v : fallback;
}

std::int64_t reply_int(const redisReply* r) {
  if (!r) return 0;
  if (r->type == REDIS_REPLY_INTEGER) return r->integer;
  if (r->type == REDIS_REPLY_STRING) return to_int(std::string_view(r->str, r->len));
  return 0;
}

std::string_view reply_str(const redisReply* r) {
  return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) ? std::string_view(r->str, r->len)
                                                                                : std::string_view();
}

std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max_parts) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max_parts) {
    const auto at = s.find(sep);
    if (at == std::string_view::npos) break;
    out.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  out.push_back(s);
  return out;
}

timeval to_timeval(std::chrono::milliseconds ms) {
  return timeval{static_cast<time_t>(ms.count() / 1000), static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

}  // namespace

RedisStore::RedisStore(RedisStoreOptions options, const InMemoryStore* previous)
    : options_(std::move(options)), instance_id_(random_instance_id()) {
  if (previous) local_.adopt(*previous);
  writer_thread_ = std::thread([this] { writer_loop(); });
  subscriber_thread_ = std::thread([this] { subscriber_loop(); });
}

RedisStore::~RedisStore() {
  {
    const std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  kick_subscriber();
  writer_thread_.join();
  subscriber_thread_.join();
}

// ---- clocks: Redis holds wall-clock unix ms; the local view holds steady-clock nanos ----

std::int64_t RedisStore::wall_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

core::Nanos RedisStore::steady_from_wall_ms(std::int64_t until_ms) const {
  const auto left_ms = until_ms - wall_ms();
  if (left_ms > kForeverThresholdMs) return kForever;
  return clock_.now() + left_ms * 1'000'000;
}

std::int64_t RedisStore::wall_ms_from_steady(core::Nanos until) const {
  if (until == kForever) return wall_ms() + kForeverCooldownMs;
  return wall_ms() + (until - clock_.now()) / 1'000'000;
}

// ---- the StateStore interface: local view first, shared writes queued ----

ReconcileResult RedisStore::reconcile(std::span<const DeploymentSpec> deployments) {
  auto result = local_.reconcile(deployments);
  for (const auto& id : result.params_changed) forget_shared_cooldown(id);
  for (const auto& id : result.until_reload_ended)
    if (std::find(result.params_changed.begin(), result.params_changed.end(), id) == result.params_changed.end())
      forget_shared_cooldown(id);
  return result;
}

// Other instances on the old parameters learn it too (they would find the new key fails or not
// soon enough); the `clr` event also clears this instance's view after any resync in flight.
void RedisStore::forget_shared_cooldown(const std::string& id) {
  if (!up_.load(std::memory_order_relaxed)) {
    const std::lock_guard lock(queue_mutex_);
    forget_on_connect_.push_back(id);
  }
  enqueue({{"DEL", "switchyard:cooldown:" + id, "switchyard:fails:" + id}, nullptr});
  enqueue({{"SREM", "switchyard:cooldowns", id}, nullptr});
  enqueue({{"PUBLISH", kEvents, "clr|-|0|0|" + instance_id_ + "|" + id}, nullptr});
}

std::shared_ptr<DeploymentSlot> RedisStore::slot(std::string_view id) const { return local_.slot(id); }

std::optional<Cooldown> RedisStore::cooldown(const DeploymentSlot& d, core::Nanos now) const {
  return local_.cooldown(d, now);
}

std::optional<Cooldown> RedisStore::record_failure(DeploymentSlot& d, errors::ErrorClass cause,
                                                   const FailurePolicy& policy, core::Nanos now) {
  auto local = local_.record_failure(d, cause, policy, now);
  const std::int64_t cooldown_ms = policy.cooldown_for >= kForever - now
                                       ? kForeverCooldownMs
                                       : std::min(policy.cooldown_for / 1'000'000, kForeverCooldownMs);
  const bool cool_now = policy.cooldown_now || local.has_value();
  enqueue({{"EVAL", kFailureScript, "0", d.id, std::string(errors::to_string(cause)),
            std::to_string(policy.allowed_fails), cool_now ? "1" : "0", std::to_string(std::max<std::int64_t>(cooldown_ms, 1)),
            instance_id_},
           nullptr});
  return local;
}

void RedisStore::record_success(DeploymentSlot& d, core::Nanos latency) { local_.record_success(d, latency); }
void RedisStore::begin_request(DeploymentSlot& d) { local_.begin_request(d); }
void RedisStore::end_request(DeploymentSlot& d) { local_.end_request(d); }

int RedisStore::in_flight(const DeploymentSlot& d) const {
  return local_.in_flight(d) + d.others_in_flight.load(std::memory_order_relaxed);
}

core::Nanos RedisStore::average_latency(const DeploymentSlot& d) const {
  const auto shared = d.shared_latency.load(std::memory_order_relaxed);
  return shared > 0 ? shared : local_.average_latency(d);
}

void RedisStore::clear_cooldowns() {
  local_.clear_cooldowns();
  for (const auto& s : local_.slots()) {
    enqueue({{"DEL", "switchyard:cooldown:" + s->id}, nullptr});
    enqueue({{"PUBLISH", kEvents, "clr|-|0|0|" + instance_id_ + "|" + s->id}, nullptr});
  }
}

void RedisStore::start_admit(std::string subject, RateLimits limits, core::Nanos now,
                             std::function<void(Admission)> done) {
  static std::atomic<std::uint64_t> sequence{0};
  const auto member = instance_id_ + ":" + std::to_string(sequence.fetch_add(1, std::memory_order_relaxed));
  auto argv = std::vector<std::string>{"EVAL", kAdmitScript, "0", subject, std::to_string(limits.rpm),
                                       std::to_string(limits.tpm), member};
  enqueue({std::move(argv), [this, subject = std::move(subject), limits, now, done = std::move(done)](const redisReply* r) {
             if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 2) {
               Admission a;
               a.admitted = reply_int(r->element[0]) == 1;
               a.retry_after = reply_int(r->element[1]) * 1'000'000;
               if (a.admitted) local_.note_admitted(subject, limits, now);
               done(a);
               return;
             }
             done(local_.admit_now(subject, limits, now));  // Redis unavailable: count locally
           }});
}

http::Awaitable<Admission> RedisStore::admit(std::string subject, RateLimits limits, core::Nanos now) {
  if (!limits.any()) {
    const Admission free_pass;
    co_return free_pass;
  }
  if (!up_.load(std::memory_order_relaxed)) {
    const Admission local = local_.admit_now(subject, limits, now);
    co_return local;
  }
  const Admission shared = co_await async_admit(std::move(subject), limits, now, http::kUseAwaitable);
  co_return shared;
}

void RedisStore::record_usage(const std::string& subject, std::int64_t tokens, core::Nanos now) {
  local_.record_usage(subject, tokens, now);
  if (up_.load(std::memory_order_relaxed))
    enqueue({{"EVAL", kUsageScript, "0", subject, std::to_string(std::max<std::int64_t>(tokens, 0))}, nullptr});
}

WindowUsage RedisStore::usage(const std::string& subject, core::Nanos now) const {
  auto u = local_.usage(subject, now);
  const std::lock_guard lock(usage_mutex_);
  if (const auto it = shared_usage_.find(subject); it != shared_usage_.end()) {
    u.requests = std::max(u.requests, it->second.requests);
    u.tokens = std::max(u.tokens, it->second.tokens);
  }
  return u;
}

SharedStatus RedisStore::shared_status() const { return {true, redis_up(), redis_errors_total()}; }

void RedisStore::put_shared(const std::string& key, std::string value, std::chrono::seconds ttl) {
  if (up_.load(std::memory_order_relaxed))
    enqueue({{"SET", "switchyard:shared:" + key, std::move(value), "EX", std::to_string(std::max<std::int64_t>(1, ttl.count()))},
             nullptr});
}

// Queued on the same connection as the puts and lookups: a lookup after it finds the tombstone.
// The `del` event follows the SET on that connection, so an instance told to drop its copy that
// fetches it again finds the tombstone too.
void RedisStore::delete_shared(const std::string& key, std::chrono::seconds remembered) {
  if (!up_.load(std::memory_order_relaxed)) return;
  enqueue({{"SET", "switchyard:shared:" + key, "", "EX", std::to_string(std::max<std::int64_t>(1, remembered.count()))},
           nullptr});
  enqueue({{"PUBLISH", kEvents, "del|-|0|0|" + instance_id_ + "|" + key}, nullptr});
}

void RedisStore::on_shared_deleted(SharedDeletedHandler handler) {
  const std::lock_guard lock(shared_deleted_mutex_);
  shared_deleted_ = std::move(handler);
}

void RedisStore::notify_shared_deleted(std::string_view key) {
  SharedDeletedHandler handler;
  {
    const std::lock_guard lock(shared_deleted_mutex_);
    handler = shared_deleted_;
  }
  if (handler) handler(key);
}

http::Awaitable<std::optional<std::string>> RedisStore::get_shared(std::string key) {
  if (!up_.load(std::memory_order_relaxed)) {
    const std::optional<std::string> none;
    co_return none;
  }
  auto value = co_await async_get("switchyard:shared:" + key, http::kUseAwaitable);
  co_return value;
}

// ---- the Redis thread ----

void RedisStore::enqueue(Job job) {
  {
    const std::lock_guard lock(queue_mutex_);
    if (queue_.size() < kMaxQueuedJobs) {
      queue_.push_back(std::move(job));
      job.done = nullptr;
    }
  }
  if (job.done) job.done(nullptr);  // queue full: answer from the local view at once
  else queue_changed_.notify_one();
}

redisContext* RedisStore::connect(std::string& error) const {
  const auto& ep = options_.endpoint;
  redisContext* c = redisConnectWithTimeout(ep.host.c_str(), ep.port, to_timeval(options_.connect_timeout));
  if (!c || c->err) {
    error = c ? c->errstr : "cannot allocate a hiredis context";
    if (c) redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, to_timeval(options_.command_timeout));
  redisEnableKeepAlive(c);
  auto command = [&](std::vector<std::string> argv) {
    std::vector<const char*> ptrs;
    std::vector<std::size_t> lens;
    for (const auto& a : argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), ptrs.data(), lens.data()));
    bool ok = r && r->type != REDIS_REPLY_ERROR;
    if (!ok) error = r ? std::string(r->str, r->len) : std::string(c->errstr);
    if (r) freeReplyObject(r);
    return ok;
  };
  bool ok = true;
  if (!ep.password.empty()) {
    ok = ep.username.empty() ? command({"AUTH", ep.password}) : command({"AUTH", ep.username, ep.password});
  }
  if (ok && ep.db != 0) ok = command({"SELECT", std::to_string(ep.db)});
  if (ok) ok = command({"PING"});  // a stopped Redis still completes the TCP handshake
  if (!ok) {
    redisFree(c);
    return nullptr;
  }
  return c;
}

void RedisStore::mark_down(const std::string& why) {
  errors_total_.fetch_add(1, std::memory_order_relaxed);
  up_.store(false, std::memory_order_relaxed);
  {
    const std::lock_guard lock(subscriber_mutex_);
    if (subscriber_fd_ >= 0) subscription_stale_ = true;
  }
  if (!warned_down_) {
    // Whole lines (core/log_line.h): this thread writes while the others may.
    core::log_line(std::cerr, "switchyard: warning: redis " + options_.endpoint.display() + " unavailable (" + why +
                                  "): serving from the local view, limits counted per instance until it returns");
    warned_down_ = true;
  }
}

void RedisStore::mark_up() {
  up_.store(true, std::memory_order_relaxed);
  {
    const std::lock_guard lock(queue_mutex_);
    resubscribe_ = true;  // the subscriber may be waiting out a backoff: Redis is back, go now
  }
  queue_changed_.notify_all();
  core::log_line(std::cerr, "switchyard: redis " + options_.endpoint.display() + " connected");
  warned_down_ = false;
}

void RedisStore::fail_jobs(std::vector<Job>& jobs) {
  for (auto& j : jobs)
    if (j.done) j.done(nullptr);
  jobs.clear();
}

void RedisStore::writer_loop() {
  auto backoff = std::chrono::milliseconds(100);
  auto next_resync = std::chrono::steady_clock::now();
  bool ever_connected = false;
  std::vector<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      if (stopping_) break;
    }
    if (!writer_) {
      std::string error;
      writer_ = connect(error);
      if (!writer_) {
        mark_down(error);
        // Down: answer queued work from the local view until the backoff is over.
        const auto until = std::chrono::steady_clock::now() + backoff;
        backoff = std::min(backoff * 2, options_.max_backoff);
        std::unique_lock lock(queue_mutex_);
        while (!stopping_ && std::chrono::steady_clock::now() < until) {
          queue_changed_.wait_until(lock, until, [&] { return stopping_ || !queue_.empty(); });
          batch.swap(queue_);
          lock.unlock();
          fail_jobs(batch);
          lock.lock();
        }
        continue;
      }
      backoff = std::chrono::milliseconds(100);
      mark_up();
      if (ever_connected) kick_stale_subscriber();
      ever_connected = true;
      std::vector<std::string> forget;
      {
        const std::lock_guard lock(queue_mutex_);
        forget.swap(forget_on_connect_);
      }
      std::vector<Job> deletes;
      for (const auto& id : forget) {
        deletes.push_back({{"DEL", "switchyard:cooldown:" + id, "switchyard:fails:" + id}, nullptr});
        deletes.push_back({{"SREM", "switchyard:cooldowns", id}, nullptr});
      }
      if (!deletes.empty() && !run_batch(deletes)) {  // before resync reads them back
        const std::lock_guard lock(queue_mutex_);
        forget_on_connect_.insert(forget_on_connect_.end(), forget.begin(), forget.end());
        continue;
      }
      republish_cooldowns();  // a restarted Redis lost them; others learn them again
      if (!resync()) continue;
      next_resync = std::chrono::steady_clock::now() + options_.resync_interval;
    }
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait_until(lock, next_resync, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) break;
      batch.swap(queue_);
    }
    if (!batch.empty() && !run_batch(batch)) continue;
    if (std::chrono::steady_clock::now() >= next_resync) {
      if (!resync()) continue;
      next_resync = std::chrono::steady_clock::now() + options_.resync_interval;
    }
  }
  std::vector<Job> rest;
  {
    const std::lock_guard lock(queue_mutex_);
    rest.swap(queue_);
  }
  fail_jobs(rest);
  if (writer_) redisFree(writer_);
  writer_ = nullptr;
}

// Pipelined: every command is written, then every reply read. A broken connection fails the rest
// (their callers fall back to the local view) and drops the connection for a reconnect.
bool RedisStore::run_batch(std::vector<Job>& batch) {
  for (const auto& job : batch) {
    std::vector<const char*> ptrs;
    std::vector<std::size_t> lens;
    for (const auto& a : job.argv) {
      ptrs.push_back(a.data());
      lens.push_back(a.size());
    }
    redisAppendCommandArgv(writer_, static_cast<int>(job.argv.size()), ptrs.data(), lens.data());
  }
  std::size_t i = 0;
  for (; i < batch.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(writer_, &raw) != REDIS_OK) break;
    auto* reply = static_cast<redisReply*>(raw);
    if (reply && reply->type == REDIS_REPLY_ERROR) {
      errors_total_.fetch_add(1, std::memory_order_relaxed);
      core::log_line(std::cerr, "switchyard: warning: redis: " + std::string(reply->str, reply->len));
    }
    if (batch[i].done) batch[i].done(reply && reply->type != REDIS_REPLY_ERROR ? reply : nullptr);
    freeReplyObject(reply);
  }
  if (i == batch.size()) {
    batch.clear();
    return true;
  }
  const std::string why = writer_->errstr[0] ? writer_->errstr : "connection lost";
  for (; i < batch.size(); ++i)
    if (batch[i].done) batch[i].done(nullptr);
  batch.clear();
  redisFree(writer_);
  writer_ = nullptr;
  mark_down(why);
  return false;
}

// This instance's live cooldowns written again (after a Redis restart, or learned while it was down).
void RedisStore::republish_cooldowns() {
  for (const auto& a : local_.active_cooldowns(clock_.now())) {
    const auto until_ms = wall_ms_from_steady(a.cooldown.until);
    const auto left_ms = std::max<std::int64_t>(until_ms - wall_ms(), 1);
    enqueue({{"EVAL", kFailureScript, "0", a.deployment->id, std::string(errors::to_string(a.cooldown.cause)), "0", "1",
              std::to_string(left_ms), instance_id_},
             nullptr});
  }
}

// Converges the local view with Redis: cooldowns (missed messages), other instances' latency and
// in-flight counts, usage counters; and shares this instance's latency and in-flight counts.
bool RedisStore::resync() {
  const auto now_ms = wall_ms();
  const auto minute = now_ms / 60'000;
  const double into = static_cast<double>(now_ms % 60'000) / 60'000.0;
  std::vector<Job> batch;
  const auto slots = local_.slots();  // this config's deployments (a snapshot: a reload may run meanwhile)
  std::vector<std::pair<std::string, WindowUsage>> usage;
  usage.reserve(slots.size());
  for (std::size_t k = 0; k < slots.size(); ++k) {
    const auto& slot = slots[k];
    const auto& id = slot->id;
    batch.push_back({{"HMGET", "switchyard:cooldown:" + id, "cause", "until_ms"}, [this, slot](const redisReply* r) {
                       if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 2) return;
                       const auto cause = errors::error_class_from_string(reply_str(r->element[0]));
                       const auto until_ms = reply_int(r->element[1]);
                       if (cause && until_ms > wall_ms())
                         InMemoryStore::apply_cooldown(*slot, *cause, steady_from_wall_ms(until_ms));
                     }});
    const auto field_value = [&](std::int64_t value) { return std::to_string(value) + ":" + std::to_string(now_ms); };
    batch.push_back({{"HSET", "switchyard:latency:" + id, instance_id_, field_value(local_.average_latency(*slot))}, nullptr});
    batch.push_back({{"HSET", "switchyard:inflight:" + id, instance_id_, field_value(local_.in_flight(*slot))}, nullptr});
    batch.push_back({{"EXPIRE", "switchyard:latency:" + id, std::to_string(kShareTtlSeconds)}, nullptr});
    batch.push_back({{"EXPIRE", "switchyard:inflight:" + id, std::to_string(kShareTtlSeconds)}, nullptr});
    // Fresh entries of every instance: latency averaged, others' in-flight summed.
    auto read_shared = [this, slot, now_ms](const redisReply* r, bool latency) {
      if (!r || r->type != REDIS_REPLY_ARRAY) return;
      std::int64_t sum = 0, count = 0;
      for (std::size_t e = 0; e + 1 < r->elements; e += 2) {
        const auto who = reply_str(r->element[e]);
        const auto parts = split(reply_str(r->element[e + 1]), ':', 2);
        if (parts.size() != 2 || now_ms - to_int(parts[1]) > kShareFreshMs) continue;
        const auto value = to_int(parts[0]);
        if (latency) {
          if (value > 0) sum += value, ++count;
        } else if (who != instance_id_) {
          sum += value;
        }
      }
      if (latency) slot->shared_latency.store(count ? sum / count : 0, std::memory_order_relaxed);
      else slot->others_in_flight.store(static_cast<int>(sum), std::memory_order_relaxed);
    };
    batch.push_back({{"HGETALL", "switchyard:latency:" + id}, [read_shared](const redisReply* r) { read_shared(r, true); }});
    batch.push_back({{"HGETALL", "switchyard:inflight:" + id}, [read_shared](const redisReply* r) { read_shared(r, false); }});
    const auto& subject = slot->subject;
    const auto m = std::to_string(minute), prev = std::to_string(minute - 1);
    usage.emplace_back(subject, WindowUsage{});
    batch.push_back({{"MGET", "switchyard:req:" + subject + ":" + m, "switchyard:req:" + subject + ":" + prev,
                      "switchyard:tpm:" + subject + ":" + m, "switchyard:tpm:" + subject + ":" + prev},
                     [&usage, k, into](const redisReply* r) {
                       if (!r || r->type != REDIS_REPLY_ARRAY || r->elements != 4) return;
                       const auto weigh = [into](std::int64_t cur, std::int64_t old) {
                         return cur + static_cast<std::int64_t>(static_cast<double>(old) * (1.0 - into));
                       };
                       usage[k].second = {weigh(reply_int(r->element[0]), reply_int(r->element[1])),
                                          weigh(reply_int(r->element[2]), reply_int(r->element[3]))};
                     }});
  }
  if (!run_batch(batch)) return false;
  const std::lock_guard lock(usage_mutex_);
  for (auto& [subject, u] : usage) shared_usage_[subject] = u;
  return true;
}

// ---- pub/sub: other instances' cooldowns within milliseconds ----

void RedisStore::kick_subscriber() {
  const std::lock_guard lock(subscriber_mutex_);
  if (subscriber_fd_ >= 0) ::shutdown(subscriber_fd_, SHUT_RDWR);
}

void RedisStore::kick_stale_subscriber() {
  const std::lock_guard lock(subscriber_mutex_);
  if (subscription_stale_ && subscriber_fd_ >= 0) ::shutdown(subscriber_fd_, SHUT_RDWR);
  subscription_stale_ = false;
}

void RedisStore::subscriber_loop() {
  auto backoff = std::chrono::milliseconds(100);
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      if (stopping_) return;
    }
    std::string error;
    redisContext* c = connect(error);
    if (c) {
      redisSetTimeout(c, timeval{0, 0});  // block until a message; shutdown() ends the wait
      auto* r = static_cast<redisReply*>(redisCommand(c, "SUBSCRIBE %s", kEvents));
      const bool subscribed = r && r->type == REDIS_REPLY_ARRAY;
      if (r) freeReplyObject(r);
      if (subscribed) {
        backoff = std::chrono::milliseconds(100);
        {
          const std::lock_guard lock(subscriber_mutex_);
          subscriber_fd_ = c->fd;
          subscription_stale_ = false;
        }
        // Copies fetched before this SUBSCRIBE (the writer may have been up while the subscriber
        // was still backing off, and a later subscription follows a gap) may have missed deletes:
        // each is checked against Redis when next named. Cheap on an empty store.
        notify_shared_deleted({});
        // From here on other instances' cooldowns arrive within milliseconds ("connected" is the
        // writer's connection; before this line they arrive with the next resync).
        core::log_line(std::cerr, "switchyard: redis " + options_.endpoint.display() + " subscribed to cooldown events");
        bool stop = false;
        {
          const std::lock_guard lock(queue_mutex_);
          stop = stopping_;
        }
        while (!stop) {
          void* raw = nullptr;
          if (redisGetReply(c, &raw) != REDIS_OK) break;
          auto* msg = static_cast<redisReply*>(raw);
          if (msg && msg->type == REDIS_REPLY_ARRAY && msg->elements == 3 && reply_str(msg->element[0]) == "message")
            on_event(reply_str(msg->element[2]));
          if (msg) freeReplyObject(msg);
        }
        const std::lock_guard lock(subscriber_mutex_);
        subscriber_fd_ = -1;
      }
      redisFree(c);
    }
    std::unique_lock lock(queue_mutex_);
    queue_changed_.wait_for(lock, backoff, [&] { return stopping_ || resubscribe_; });
    resubscribe_ = false;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

// "cd|cause|until_ms|set_us|origin|id", "clr|-|0|0|origin|id" or "del|-|0|0|origin|shared key"
// (the id or key last: it may hold '|'; the same six fields, so an older instance takes a `del`
// for a deployment it does not have and ignores it).
void RedisStore::on_event(std::string_view payload) {
  const auto parts = split(payload, '|', 6);
  if (parts.size() != 6) return;
  if (parts[0] == "del") {
    notify_shared_deleted(parts[5]);
    return;
  }
  const auto slot = local_.slot(parts[5]);
  if (!slot) return;  // a deployment this instance does not have
  if (parts[0] == "clr") {
    InMemoryStore::clear_cooldown(*slot);
    return;
  }
  const auto cause = errors::error_class_from_string(parts[1]);
  if (parts[0] != "cd" || !cause) return;
  const auto until_ms = to_int(parts[2]);
  InMemoryStore::apply_cooldown(*slot, *cause, steady_from_wall_ms(until_ms));
  if (parts[4] != instance_id_) {
    const auto now_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto delay_ms = static_cast<double>(now_us - to_int(parts[3])) / 1000.0;
    // One write per line (core/log_line.h).
    std::ostringstream line;
    line << "switchyard: redis: cooldown of " << parts[5] << " (" << parts[1] << ") learned from instance " << parts[4]
         << ", " << delay_ms << " ms after it was set";
    core::log_line(std::cerr, line.str());
  }
}

}  // namespace switchyard::state
