// Client keys (general_settings.keys): who may call besides master_key, and each key's
// rpm_limit/tpm_limit, held across every instance through the StateStore (Redis windows; local
// counting while Redis is down). Over a limit: 429 in the client's wire format (the SDKs'
// rate-limit error type) with Retry-After. Holds no routing logic.
#pragma once

#include <optional>
#include <string_view>

#include "config/config.h"
#include "core/chat.h"
#include "http/types.h"
#include "router/router.h"

namespace switchyard::api {

// The key a client presented: `Authorization: Bearer K` (OpenAI SDK) or `x-api-key: K` (Anthropic).
std::string_view presented_key(const http::RequestHead& request);

// `presented` is `secret` (never an empty one), compared in constant time: the time taken does not
// tell how much of a guess was right.
bool same_secret(std::string_view presented, const std::string& secret);

// True when the gateway has no auth (no master_key, no keys), or the presented key is the
// master_key or one of the keys. Compared in constant time.
bool key_authorized(const http::RequestHead& request, const config::GeneralSettings& general);

// The keys entry the request authenticated with; nullptr for the master_key or no auth.
const config::ApiKey* matching_key(const http::RequestHead& request, const config::GeneralSettings& general);

// Takes one request slot of the key's limits; the 429 to send when the key is over a limit.
http::Awaitable<std::optional<http::Response>> enforce_key_limits(const http::Request& request, core::WireFormat format,
                                                                  const router::Router& router);

// Counts an answered request's tokens against its key (tpm_limit).
void record_key_usage(const http::Request& request, const router::Router& router, const core::Usage& usage);

}  // namespace switchyard::api
