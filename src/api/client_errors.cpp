#include "api/client_errors.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "providers/wire_errors.h"

namespace switchyard::api {
namespace json = boost::json;

void set_retry_after(http::Response& res, double seconds) {
  // Whole seconds, rounded up: a client that waits exactly this long finds a slot.
  const auto whole = static_cast<long long>(std::ceil(std::max(seconds, 0.0)));
  res.set(http::beast_http::field::retry_after, std::to_string(std::max(whole, 1LL)));
  // The OpenAI and Anthropic SDKs read this one first (milliseconds) and sleep exactly that long.
  const auto ms = static_cast<long long>(std::ceil(std::max(seconds, 0.0) * 1000));
  res.set("retry-after-ms", std::to_string(std::max(ms, 1LL)));
}

http::Response client_error(core::WireFormat format, http::beast_http::status status, errors::ErrorClass cls,
                            std::string_view message, unsigned version) {
  http::Response res{status, version};
  res.set(http::beast_http::field::content_type, "application/json");
  res.set("x-switchyard-error-class", to_string(cls));
  res.body() = providers::error_body(format, cls, message);
  return res;
}

http::Response routing_failure(core::WireFormat format, const router::RouteOutcome& outcome, unsigned version,
                               const Redactor& redact) {
  if (outcome.failures.empty()) {
    auto res = client_error(format, http::beast_http::status::too_many_requests, errors::ErrorClass::rate_limit,
                            "switchyard: no deployment available: " + outcome.unavailable_reason, version);
    if (outcome.retry_after_seconds) set_retry_after(res, *outcome.retry_after_seconds);
    return res;
  }
  std::string message = "switchyard: " + std::to_string(outcome.failures.size()) +
                        (outcome.failures.size() == 1 ? " attempt failed: " : " attempts failed: ");
  for (std::size_t i = 0; i < outcome.failures.size(); ++i) {
    const auto& f = outcome.failures[i];
    if (i > 0) message += "; ";
    message += f.group + "/" + f.deployment_id + ": " + std::string(to_string(f.classification.error_class)) + ": ";
    if (f.classification.credential_source) message += kCredentialsUnavailable;
    else message += redact(f.classification.message);
  }
  const auto cls = outcome.failures.back().classification.error_class;
  const auto status = static_cast<http::beast_http::status>(errors::client_status(cls));
  auto res = client_error(format, status, cls, message, version);
  // A 429 whose deployments all rest now: when the first one is back.
  if (status == http::beast_http::status::too_many_requests && outcome.retry_after_seconds)
    set_retry_after(res, *outcome.retry_after_seconds);
  return res;
}

}  // namespace switchyard::api
