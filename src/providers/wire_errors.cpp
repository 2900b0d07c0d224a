#include "providers/wire_errors.h"

#include <array>
#include <boost/json.hpp>

namespace switchyard::providers {
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

}  // namespace switchyard::providers
