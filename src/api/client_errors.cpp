#include "api/client_errors.h"

#include <array>
#include <boost/json.hpp>

namespace switchyard::api {
namespace json = boost::json;
namespace {

struct WireNames {
  errors::ErrorClass cls;
  std::string_view openai_type;
  std::string_view anthropic_type;
};

// How each class is named in each SDK's error vocabulary (the SDKs map status codes to their
// exception classes; these types are what their error objects carry).
constexpr std::array<WireNames, errors::kErrorClassCount> kWireNames = {{
    {errors::ErrorClass::bad_request, "invalid_request_error", "invalid_request_error"},
    {errors::ErrorClass::context_window_exceeded, "invalid_request_error", "invalid_request_error"},
    {errors::ErrorClass::content_policy, "invalid_request_error", "invalid_request_error"},
    {errors::ErrorClass::authentication, "authentication_error", "authentication_error"},
    {errors::ErrorClass::permission_denied, "permission_error", "permission_error"},
    {errors::ErrorClass::not_found, "not_found_error", "not_found_error"},
    {errors::ErrorClass::rate_limit, "rate_limit_error", "rate_limit_error"},
    {errors::ErrorClass::quota_exhausted, "insufficient_quota", "rate_limit_error"},
    {errors::ErrorClass::overloaded, "server_error", "overloaded_error"},
    {errors::ErrorClass::timeout, "timeout_error", "timeout_error"},
    {errors::ErrorClass::server_error, "server_error", "api_error"},
    {errors::ErrorClass::connection, "server_error", "api_error"},
}};

const WireNames& names(errors::ErrorClass c) { return kWireNames[static_cast<std::size_t>(c)]; }

}  // namespace

std::string error_body(core::WireFormat format, errors::ErrorClass cls, std::string_view message) {
  if (format == core::WireFormat::anthropic)
    return json::serialize(json::object{{"type", "error"},
                                        {"error", {{"type", names(cls).anthropic_type}, {"message", message}}}});
  return json::serialize(json::object{
      {"error", {{"message", message}, {"type", names(cls).openai_type}, {"param", nullptr}, {"code", to_string(cls)}}}});
}

http::Response client_error(core::WireFormat format, http::beast_http::status status, errors::ErrorClass cls,
                            std::string_view message, unsigned version) {
  http::Response res{status, version};
  res.set(http::beast_http::field::content_type, "application/json");
  res.set("x-switchyard-error-class", to_string(cls));
  res.body() = error_body(format, cls, message);
  return res;
}

http::Response routing_failure(core::WireFormat format, const router::RouteOutcome& outcome, unsigned version) {
  if (outcome.failures.empty()) {
    auto res = client_error(format, http::beast_http::status::too_many_requests, errors::ErrorClass::rate_limit,
                            "switchyard: no deployment available: " + outcome.unavailable_reason, version);
    return res;
  }
  std::string message = "switchyard: " + std::to_string(outcome.failures.size()) +
                        (outcome.failures.size() == 1 ? " attempt failed: " : " attempts failed: ");
  for (std::size_t i = 0; i < outcome.failures.size(); ++i) {
    const auto& f = outcome.failures[i];
    if (i > 0) message += "; ";
    message += f.group + "/" + f.deployment_id + ": " + std::string(to_string(f.classification.error_class)) + ": " +
               f.classification.message;
  }
  const auto cls = outcome.failures.back().classification.error_class;
  return client_error(format, static_cast<http::beast_http::status>(errors::client_status(cls)), cls, message, version);
}

}  // namespace switchyard::api
