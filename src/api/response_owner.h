// Who a stored Response belongs to. With client keys configured (general_settings master_key /
// keys), a response is kept with the fingerprint of the key that stored it, and only that key
// reads it (GET), continues it (previous_response_id, item_reference) or deletes it; any other
// key gets exactly the 404 of an unknown id. The master key administers the gateway and may
// reach every key's responses. An open gateway (no keys) scopes nothing, as before.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"
#include "http/types.h"

namespace switchyard::api {

struct StoreCaller {
  std::string owner;      // what this caller's responses are stored with; empty on an open gateway
  bool sees_all = false;  // the master key, or an open gateway

  bool may_use(std::string_view stored_owner) const { return sees_all || stored_owner == owner; }
};

// The caller of an (already authorized) request.
StoreCaller store_caller(const http::RequestHead& request, const config::GeneralSettings& general);

// The owner kept in memory and in Redis (shared infrastructure), in hex, so the key itself is
// never stored: HMAC-SHA-256 of the key keyed with `secret` (the gateway's master key, which every
// instance sharing a Redis has in its config), so a weak key cannot be guessed back from a Redis
// dump by hashing candidates; plain SHA-256 when there is no secret (no master key: keys only).
std::string key_fingerprint(std::string_view key, std::string_view secret);

}  // namespace switchyard::api
