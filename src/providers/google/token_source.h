// OAuth access tokens for a Google service account (Vertex AI), cached and shared by every I/O
// thread: the signed JWT is exchanged at the account's token_uri, the token is reused until
// shortly before it expires, and refreshed in the background once it gets old, so requests
// after the first never wait for the token endpoint.
// https://developers.google.com/identity/protocols/oauth2/service-account#httprest
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "errors/upstream_error.h"
#include "http/types.h"
#include "providers/google/service_account.h"

namespace switchyard::providers::google {

// Refresh in the background when less than this is left; fetch in line when less than kMinLeft.
inline constexpr std::chrono::seconds kRefreshWhenLeft{300};
inline constexpr std::chrono::seconds kMinLeft{30};
inline constexpr std::chrono::seconds kTokenRequestTimeout{10};

class TokenSource : public std::enable_shared_from_this<TokenSource> {
 public:
  explicit TokenSource(ServiceAccount account) : account_(std::move(account)) {}

  struct Outcome {
    std::string access_token;   // set on success
    errors::UpstreamError error;  // otherwise: why (classified like the provider's own errors)
    bool ok() const { return !access_token.empty(); }
  };
  // A token valid for at least kMinLeft. Awaits the token endpoint only when none is cached (the
  // first request, or after a long failure); otherwise answers at once, starting a background
  // refresh when the token is old.
  http::Awaitable<Outcome> token();

  const ServiceAccount& account() const { return account_; }

 private:
  struct Cached {
    std::string access_token;
    std::chrono::steady_clock::time_point expires_at;
  };
  http::Awaitable<Outcome> fetch();
  static http::Awaitable<void> refresh_in_background(std::shared_ptr<TokenSource> self);

  ServiceAccount account_;
  std::atomic<std::shared_ptr<const Cached>> cached_;
  std::atomic<bool> refreshing_{false};
};

}  // namespace switchyard::providers::google
