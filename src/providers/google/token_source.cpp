#include "providers/google/token_source.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include "http/client.h"

namespace switchyard::providers::google {
namespace {
using SteadyClock = std::chrono::steady_clock;

// A refused exchange is reported the way Vertex reports bad credentials (401 UNAUTHENTICATED), so
// the classifier cools the deployment down until reload and requests fall back; a token endpoint
// that is down or failing (transport error, 5xx) is reported as it is.
errors::UpstreamError refused(const std::string& why) {
  errors::UpstreamError e;
  e.provider = core::Provider::vertex_ai;
  e.status = 401;
  boost::json::object error{{"code", 401},
                            {"message", "service-account token exchange refused: " + why},
                            {"status", "UNAUTHENTICATED"}};
  e.body = boost::json::serialize(boost::json::object{{"error", std::move(error)}});
  return e;
}

}  // namespace

http::Awaitable<TokenSource::Outcome> TokenSource::token() {
  const auto now = SteadyClock::now();
  const auto cached = cached_.load(std::memory_order_acquire);
  if (cached && cached->expires_at - now > kMinLeft) {
    if (cached->expires_at - now < kRefreshWhenLeft && !refreshing_.exchange(true)) {
      const auto executor = co_await boost::asio::this_coro::executor;
      boost::asio::co_spawn(executor, refresh_in_background(shared_from_this()), boost::asio::detached);
    }
    co_return Outcome{cached->access_token, {}};
  }
  // Nothing usable cached (first use, or refreshes kept failing): this request fetches. Several
  // first requests may fetch at once; each gets a valid token and the last one is kept.
  auto fetched = co_await fetch();
  co_return fetched;
}

http::Awaitable<void> TokenSource::refresh_in_background(std::shared_ptr<TokenSource> self) {
  auto ignored = co_await self->fetch();  // success is cached; a failure leaves the old token
  (void)ignored;
  self->refreshing_.store(false);
}

http::Awaitable<TokenSource::Outcome> TokenSource::fetch() {
  auto jwt = make_jwt_assertion(account_, kCloudPlatformScope, std::chrono::system_clock::now());
  if (!jwt.ok()) co_return Outcome{{}, refused(jwt.error)};
  const auto url = http::parse_url(account_.token_uri);
  if (!url) co_return Outcome{{}, refused("token_uri '" + account_.token_uri + "' is not an http(s) URL")};

  http::UpstreamRequest request;
  request.url = *url;
  request.target = url->path.empty() ? "/" : url->path;
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("accept", "application/json");
  request.body = token_request_body(*jwt.value);
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(kTokenRequestTimeout);
  request.connect_timeout = request.timeout;

  const auto requested_at = SteadyClock::now();
  const auto executor = co_await boost::asio::this_coro::executor;
  auto response = co_await http::client_pool_for_this_thread(executor).send(request);
  if (response.transport_error != errors::TransportError::none || response.status >= 500) {
    errors::UpstreamError e;
    e.provider = core::Provider::vertex_ai;
    e.status = response.status;
    e.headers = std::move(response.headers);
    e.transport_error = response.transport_error;
    e.body = response.transport_error == errors::TransportError::none ? std::move(response.body)
                                                                     : std::move(response.transport_message);
    co_return Outcome{{}, std::move(e)};
  }
  auto parsed = parse_token_response(response.body);
  if (!parsed.ok()) co_return Outcome{{}, refused(parsed.error)};
  auto fresh = std::make_shared<const Cached>(
      Cached{parsed.value->access_token, requested_at + std::chrono::seconds(parsed.value->expires_in_seconds)});
  cached_.store(fresh, std::memory_order_release);
  co_return Outcome{fresh->access_token, {}};
}

}  // namespace switchyard::providers::google
