#include "providers/auth/credential_source.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "providers/auth/learned_secrets.h"

namespace switchyard::providers::auth {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;
namespace {

// Lives as long as the process and is never torn down: a fetch in flight holds sockets of this
// thread's client pool (a thread_local destroyed when the thread ends) inside coroutine frames
// owned by the io_context, and no order of destroying the two is safe. Idle, the thread sleeps
// in epoll; exiting the process ends it.
class CredentialThread {
 public:
  CredentialThread() : guard_(asio::make_work_guard(io_)), thread_([this] { io_.run(); }) { thread_.detach(); }
  http::Executor executor() { return io_.get_executor(); }

 private:
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

std::int64_t steady_ns(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// What of a credential could be echoed back by an upstream: all of it but the expiry.
void add_secrets_of(const Credential& c, std::vector<std::string>& out) {
  for (const auto* s : {&c.bearer, &c.aws.access_key_id, &c.aws.secret_access_key, &c.aws.session_token})
    if (!s->empty()) out.push_back(*s);
}

}  // namespace

http::Executor credential_executor() {
  static auto* const thread = new CredentialThread();  // never deleted: see CredentialThread
  return thread->executor();
}

CredentialSource::CredentialSource(std::unique_ptr<Fetcher> fetcher)
    : fetcher_(std::move(fetcher)), description_(fetcher_->describe()) {
  learned_secrets::set(this, fetcher_->input_secrets());
}

CredentialSource::~CredentialSource() { learned_secrets::forget(this); }

std::shared_ptr<CredentialSource> CredentialSource::fixed(Credential credential, std::string description) {
  auto source = std::shared_ptr<CredentialSource>(new CredentialSource(nullptr, std::move(description)));
  auto cached = std::make_shared<Cached>();
  cached->credential = std::make_shared<const Credential>(std::move(credential));
  std::vector<std::string> secrets;  // keys from the environment alone are in no config
  add_secrets_of(*cached->credential, secrets);
  learned_secrets::set(source.get(), std::move(secrets));
  source->cached_.store(std::move(cached));
  return source;
}

CredentialSource::CredentialSource(std::nullptr_t, std::string description) : description_(std::move(description)) {}

http::Awaitable<Fetched> CredentialSource::get() {
  const auto cached = cached_.load(std::memory_order_acquire);
  if (cached) {
    if (!cached->expires) co_return Fetched{cached->credential, {}};
    const auto now = SteadyClock::now();
    if (now < cached->usable_until) {
      if (now >= cached->refresh_at && steady_ns(now) >= no_refresh_before_ns_.load(std::memory_order_relaxed) &&
          !refreshing_.exchange(true)) {
        auto self = shared_from_this();
        asio::post(credential_executor(), [self] { self->request_fetch({}); });
      }
      co_return Fetched{cached->credential, {}};
    }
  }
  co_return co_await async_fetch(http::kUseAwaitable);
}

Fetched CredentialSource::get_blocking(std::chrono::milliseconds timeout) {
  if (const auto cached = cached_.load(); cached && (!cached->expires || SteadyClock::now() < cached->usable_until))
    return Fetched{cached->credential, {}};
  auto promise = std::make_shared<std::promise<Fetched>>();
  auto future = promise->get_future();
  auto self = shared_from_this();
  asio::post(credential_executor(), [self, promise] {
    self->request_fetch([promise](const Fetched& f) { promise->set_value(f); });
  });
  if (future.wait_for(timeout) != std::future_status::ready) {
    Fetched late;
    late.error.transport_error = errors::TransportError::deadline_exceeded;
    late.error.credential_source = true;
    late.error.body = description_ + ": no answer within " + std::to_string(timeout.count()) + " ms";
    return late;
  }
  return future.get();
}

void CredentialSource::request_fetch(Waiter waiter) {
  if (waiter) waiters_.push_back(std::move(waiter));
  if (fetching_ || !fetcher_) return;
  fetching_ = true;
  asio::co_spawn(credential_executor(), run_fetch(shared_from_this()), asio::detached);
}

http::Awaitable<void> CredentialSource::run_fetch(std::shared_ptr<CredentialSource> self) {
  auto fetched = co_await self->fetcher_->fetch();
  if (!fetched.ok()) fetched.error.credential_source = true;
  self->store(fetched);
  self->fetching_ = false;
  self->refreshing_.store(false);
  auto waiters = std::move(self->waiters_);
  self->waiters_.clear();
  for (auto& waiter : waiters) waiter(fetched);
}

void CredentialSource::store(const Fetched& fetched) {
  const auto now = SteadyClock::now();
  if (!fetched.ok()) {
    // The old credential (if any) stays in use until it expires; try again a little later.
    no_refresh_before_ns_.store(steady_ns(now + kRetryRefreshAfter), std::memory_order_relaxed);
    return;
  }
  // The redactor learns the new credential before any request can send it, and keeps the one it
  // replaces: a call signed with it may still be answered.
  std::vector<std::string> secrets = fetcher_ ? fetcher_->input_secrets() : std::vector<std::string>{};
  add_secrets_of(*fetched.credential, secrets);
  if (const auto previous = cached_.load(std::memory_order_acquire); previous && previous->credential)
    add_secrets_of(*previous->credential, secrets);
  learned_secrets::set(this, std::move(secrets));
  auto cached = std::make_shared<Cached>();
  cached->credential = fetched.credential;
  if (const auto& expiry = fetched.credential->expires_at) {
    const auto life = std::max(std::chrono::duration_cast<SteadyClock::duration>(*expiry - WallClock::now()),
                               SteadyClock::duration::zero());
    cached->expires = true;
    cached->refresh_at = now + life - std::min<SteadyClock::duration>(kRefreshWhenLeft, life / 2);
    cached->usable_until = now + life - std::min<SteadyClock::duration>(kMinLeft, life / 10);
  }
  cached_.store(std::move(cached), std::memory_order_release);
}

std::shared_ptr<CredentialSource> shared_source(const std::string& key,
                                                const std::function<std::unique_ptr<Fetcher>()>& make) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<CredentialSource>> sources;
  std::lock_guard lock(mutex);
  for (auto it = sources.begin(); it != sources.end();)  // forget identities no config uses any more
    it = it->second.expired() ? sources.erase(it) : std::next(it);
  if (auto existing = sources[key].lock()) return existing;
  auto created = std::make_shared<CredentialSource>(make());
  sources[key] = created;
  return created;
}

}  // namespace switchyard::providers::auth
