#include "api/key_limits.h"

#include <openssl/crypto.h>

#include <cmath>

#include "api/client_errors.h"

namespace switchyard::api {
namespace bh = http::beast_http;
bool same_secret(std::string_view presented, const std::string& secret) {
  return !secret.empty() && presented.size() == secret.size() &&
         CRYPTO_memcmp(presented.data(), secret.data(), secret.size()) == 0;
}

namespace {

state::RateLimits limits_of(const config::ApiKey& key) {
  state::RateLimits l;
  if (key.rpm_limit && *key.rpm_limit > 0) l.rpm = *key.rpm_limit;
  if (key.tpm_limit && *key.tpm_limit > 0) l.tpm = *key.tpm_limit;
  return l;
}

}  // namespace

std::string_view presented_key(const http::RequestHead& req) {
  std::string_view presented;
  if (const auto it = req.find(bh::field::authorization); it != req.end()) {
    presented = it->value();
    if (presented.starts_with("Bearer ") || presented.starts_with("bearer ")) presented.remove_prefix(7);
  } else if (const auto key = req.find("x-api-key"); key != req.end()) {
    presented = key->value();
  }
  return presented;
}

const config::ApiKey* matching_key(const http::RequestHead& req, const config::GeneralSettings& general) {
  if (general.keys.empty()) return nullptr;
  const auto presented = presented_key(req);
  const config::ApiKey* found = nullptr;
  for (const auto& k : general.keys)  // every key compared: the time does not say which matched
    if (same_secret(presented, k.key)) found = &k;
  return found;
}

bool key_authorized(const http::RequestHead& req, const config::GeneralSettings& general) {
  if (general.master_key.empty() && general.keys.empty()) return true;
  return same_secret(presented_key(req), general.master_key) || matching_key(req, general) != nullptr;
}

http::Awaitable<std::optional<http::Response>> enforce_key_limits(const http::Request& req, core::WireFormat format,
                                                                  const router::Router& router) {
  std::optional<http::Response> refusal;
  const auto* key = matching_key(req, router.config().general);
  if (!key) co_return refusal;
  const auto limits = limits_of(*key);
  if (!limits.any()) co_return refusal;
  auto subject = state::key_subject(key->name);
  auto now = core::SteadyClock().now();
  const auto admission = co_await router.state().admit(std::move(subject), limits, now);
  if (admission.admitted) co_return refusal;
  const double wait = static_cast<double>(admission.retry_after) / 1e9;
  std::string message = "switchyard: key '" + key->name + "' is over its rate limit (";
  if (limits.rpm > 0) message += "rpm_limit " + std::to_string(limits.rpm);
  if (limits.tpm > 0) message += std::string(limits.rpm > 0 ? ", " : "") + "tpm_limit " + std::to_string(limits.tpm);
  message += " per minute, across all instances); retry after " + std::to_string(static_cast<long long>(std::ceil(wait))) + " s";
  refusal = client_error(format, bh::status::too_many_requests, errors::ErrorClass::rate_limit, message, req.version());
  set_retry_after(*refusal, wait);
  co_return refusal;
}

void record_key_usage(const http::Request& req, const router::Router& router, const core::Usage& usage) {
  const auto* key = matching_key(req, router.config().general);
  if (!key || !limits_of(*key).any()) return;
  router.state().record_usage(state::key_subject(key->name), usage.input_tokens + usage.output_tokens,
                              core::SteadyClock().now());
}

}  // namespace switchyard::api
