// What every cloud credential source produces and how it fails: one vocabulary for AWS keys,
// Google/Entra/Databricks OAuth tokens and their expiry, so one cache (credential_source.h) serves
// every cloud. A Fetcher knows one way to obtain a credential (STS, a metadata server, a token
// endpoint); it runs only on the credential thread, never on an I/O thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/provider.h"
#include "errors/upstream_error.h"
#include "http/client.h"
#include "providers/aws/sigv4.h"

namespace switchyard::providers::auth {

using WallClock = std::chrono::system_clock;

struct Credential {
  std::string bearer;     // OAuth access token (Google, Entra ID, Databricks); empty for AWS
  aws::Credentials aws;   // AWS keys; temporary ones carry a session token
  std::optional<WallClock::time_point> expires_at;  // none: never expires (static keys)
};

// A credential, or why there is none: an UpstreamError the classifier reads like the provider's
// own (a refusal is `authentication` with the credential service's message; an unreachable or
// failing service is `connection` / `server_error`, so a blip does not cool down until reload).
struct Fetched {
  std::shared_ptr<const Credential> credential;
  errors::UpstreamError error;
  bool ok() const { return credential != nullptr; }
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Runs on the credential thread: may read small files, awaits HTTP through that thread's pool.
  virtual http::Awaitable<Fetched> fetch() = 0;
  // Which source this is, for `switchyard check` and warnings: never a secret.
  virtual std::string describe() const = 0;
  // The secrets a fetch sends (a client secret, perhaps from the environment only), for the
  // redactor (learned_secrets.h): a token endpoint may echo them.
  virtual std::vector<std::string> input_secrets() const { return {}; }
};

inline constexpr std::chrono::milliseconds kCredentialRequestTimeout{10'000};
// Metadata servers answer in microseconds when they exist; off the cloud they do not answer at all.
inline constexpr std::chrono::milliseconds kMetadataConnectTimeout{1'000};
// Token and key files are a few KiB; anything far larger is not one.
inline constexpr std::size_t kMaxCredentialFileBytes = 1 << 20;

// The error a refused credential takes: 401 with {"error":{"type":"authentication_error",
// "status":"UNAUTHENTICATED","message":…}}, read as `authentication` for every provider.
errors::UpstreamError refused(core::Provider provider, std::string message);
Fetched refused_fetch(core::Provider provider, std::string message);

// Sends a credential request through the calling thread's client pool (the credential thread).
http::Awaitable<http::UpstreamResponse> send(http::UpstreamRequest request);

// A non-2xx or failed credential call as an error: a transport failure or 5xx keeps its class
// (message prefixed with `what`), any other status is a refusal with `provider_message`.
errors::UpstreamError call_failed(core::Provider provider, std::string_view what, const http::UpstreamResponse& response,
                                  std::string_view provider_message);

// A POST/GET request for `url` (an http(s) URL with optional path and query); nullopt when not a URL.
std::optional<http::UpstreamRequest> request_for(std::string_view url, http::beast_http::verb method);

// A whole small file (token files are re-read at every fetch: the platform rotates them), with
// surrounding whitespace trimmed; nullopt when unreadable or too large.
std::optional<std::string> read_small_file(const std::string& path);

// application/x-www-form-urlencoded value encoding.
std::string form_encode(std::string_view value);

// An OAuth 2.0 token endpoint's JSON answer ({"access_token","expires_in"} — a number, or a
// string as Azure's IMDS sends it), or its {"error","error_description"} as `error`.
struct OAuthToken {
  std::string access_token;
  std::int64_t expires_in_seconds = 3600;  // when the answer does not say
};
std::optional<OAuthToken> parse_oauth_token(std::string_view body, std::string& error);

// Sends `request` to an OAuth token endpoint and turns the answer into a bearer credential
// expiring `expires_in` after the request was sent; `what` names the call in errors.
http::Awaitable<Fetched> fetch_oauth_token(core::Provider provider, http::UpstreamRequest request, std::string what);

// "2019-11-09T13:34:41Z" (also with fractional seconds or a +00:00 offset) → time point.
std::optional<WallClock::time_point> parse_iso8601(std::string_view text);

}  // namespace switchyard::providers::auth
