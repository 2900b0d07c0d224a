// One cache for every cloud credential (AWS keys, Google/Entra/Databricks tokens), shared by all
// I/O threads: a request reads the cached credential with one atomic load and goes on; when it
// is getting old a refresh is started in the background on the credential thread, and only a
// cold cache (first use, or refreshes kept failing until expiry) makes a request wait.
//
// The credential thread is one process-wide thread with its own io_context and upstream client
// pool: every fetch (STS, metadata servers, token endpoints, token files) runs there, so no I/O
// thread ever blocks on a file or waits on another thread's lock. Concurrent cold requests share
// one fetch.
#pragma once

#include <atomic>
#include "http/types.h"
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "providers/auth/credential.h"

namespace switchyard::providers::auth {

// Refresh in the background when less than this is left (at most half the credential's life).
inline constexpr std::chrono::seconds kRefreshWhenLeft{300};
// Stop using a credential when less than this is left (at most a tenth of its life).
inline constexpr std::chrono::seconds kMinLeft{30};
// After a failed background refresh, wait this long before the next try.
inline constexpr std::chrono::seconds kRetryRefreshAfter{5};

// The process-wide thread every credential fetch runs on (started on first use).
http::Executor credential_executor();

class CredentialSource : public std::enable_shared_from_this<CredentialSource> {
 public:
  explicit CredentialSource(std::unique_ptr<Fetcher> fetcher);
  ~CredentialSource();  // its secrets leave the redactor's learned list
  CredentialSource(const CredentialSource&) = delete;
  CredentialSource& operator=(const CredentialSource&) = delete;
  // Credentials that never change (keys given in the config or the environment).
  static std::shared_ptr<CredentialSource> fixed(Credential credential, std::string description);

  // A credential valid for at least kMinLeft, or the fetch's error. Call from an I/O thread.
  http::Awaitable<Fetched> get();
  // Waits on the calling thread (config load only, never an I/O thread).
  Fetched get_blocking(std::chrono::milliseconds timeout);

  std::string describe() const { return description_; }

 private:
  struct Cached {
    std::shared_ptr<const Credential> credential;
    std::chrono::steady_clock::time_point refresh_at;
    std::chrono::steady_clock::time_point usable_until;
    bool expires = false;
  };
  using Waiter = std::function<void(const Fetched&)>;

  template <typename Token>
  auto async_fetch(Token&& token) {
    return boost::asio::async_initiate<Token, void(Fetched)>(
        [this](auto handler) {
          auto executor = boost::asio::get_associated_executor(handler);
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          // waiters_ and fetching_ belong to the credential thread: the caller (an I/O thread,
          // several at once on a cold cache) joins them there, never touches them itself.
          boost::asio::post(credential_executor(), [self = shared_from_this(), shared, executor] {
            self->request_fetch([shared, executor](const Fetched& f) {
              boost::asio::post(executor, [shared, f]() mutable { (*shared)(f); });
            });
          });
        },
        token);
  }
  // On the credential thread only: starts a fetch unless one runs; `waiter` (may be empty) is told the result.
  void request_fetch(Waiter waiter);
  static http::Awaitable<void> run_fetch(std::shared_ptr<CredentialSource> self);
  void store(const Fetched& fetched);
  CredentialSource(std::nullptr_t, std::string description);

  std::unique_ptr<Fetcher> fetcher_;
  std::string description_;
  std::atomic<std::shared_ptr<const Cached>> cached_;
  std::atomic<bool> refreshing_{false};
  std::atomic<std::int64_t> no_refresh_before_ns_{0};  // steady clock; set after a failed refresh
  // Touched only on the credential thread.
  bool fetching_ = false;
  std::vector<Waiter> waiters_;
};

// Deployments (and reloaded configs) naming the same identity share one source: one STS call or
// token exchange serves them all. `key` identifies the identity (it may hold secrets: it is only
// compared, never shown). Config-load time only.
std::shared_ptr<CredentialSource> shared_source(const std::string& key,
                                                const std::function<std::unique_ptr<Fetcher>()>& make);

}  // namespace switchyard::providers::auth
