#include "errors/error_class.h"

namespace switchyard::errors {
namespace {

struct ClassRow {
  ErrorClass cls;
  std::string_view name;
  std::string_view litellm_name;  // LiteLLM exception name used in retry_policy keys
  int client_status;
  Decision decision;
};

using CL = CooldownLength;
using FS = FallbackScope;

// One row per class: the whole decision policy is this table (DESIGN.md), nothing else.
constexpr std::array<ClassRow, kErrorClassCount> kClassTable = {{
    {ErrorClass::bad_request, "bad_request", "BadRequestError", 400,
     {false, false, false, CL::none, FS::none, {}, {}}},
    {ErrorClass::context_window_exceeded, "context_window_exceeded", "ContextWindowExceededError", 400,
     {false, false, true, CL::none, FS::context_window, {}, {}}},
    {ErrorClass::content_policy, "content_policy", "ContentPolicyViolationError", 400,
     {false, false, true, CL::none, FS::content_policy, {}, {}}},
    {ErrorClass::authentication, "authentication", "AuthenticationError", 401,
     {false, true, true, CL::until_reload, FS::general, {}, {}}},
    {ErrorClass::permission_denied, "permission_denied", "PermissionDeniedError", 403,
     {false, true, true, CL::until_reload, FS::general, {}, {}}},
    {ErrorClass::not_found, "not_found", "NotFoundError", 404,
     {false, true, true, CL::until_reload, FS::general, {}, {}}},
    {ErrorClass::rate_limit, "rate_limit", "RateLimitError", 429,
     {true, true, true, CL::normal, FS::general, {}, {}}},
    {ErrorClass::quota_exhausted, "quota_exhausted", "QuotaExhaustedError", 429,
     {false, true, true, CL::long_, FS::general, {}, {}}},
    {ErrorClass::overloaded, "overloaded", "ServiceUnavailableError", 503,
     {true, true, true, CL::normal, FS::general, {}, {}}},
    {ErrorClass::timeout, "timeout", "TimeoutError", 504,
     {true, true, true, CL::normal, FS::general, {}, {}}},
    {ErrorClass::server_error, "server_error", "InternalServerError", 502,
     {true, true, true, CL::normal, FS::general, {}, {}}},
    {ErrorClass::connection, "connection", "APIConnectionError", 502,
     {true, true, true, CL::normal, FS::general, {}, {}}},
}};

constexpr const ClassRow& row(ErrorClass c) { return kClassTable[static_cast<std::size_t>(c)]; }

// The table is indexed by enum value; keep them in step.
constexpr bool table_matches_enum() {
  for (std::size_t i = 0; i < kClassTable.size(); ++i)
    if (static_cast<std::size_t>(kClassTable[i].cls) != i) return false;
  return true;
}
static_assert(table_matches_enum(), "kClassTable rows must follow ErrorClass order");

}  // namespace

std::string_view to_string(ErrorClass c) { return row(c).name; }

std::optional<ErrorClass> error_class_from_string(std::string_view name) {
  for (const auto& r : kClassTable)
    if (r.name == name) return r.cls;
  return std::nullopt;
}

std::optional<ErrorClass> error_class_from_litellm_name(std::string_view name) {
  for (std::string_view suffix : {"Retries", "AllowedFails"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      name.remove_suffix(suffix.size());
      break;
    }
  }
  for (const auto& r : kClassTable)
    if (r.litellm_name == name) return r.cls;
  // LiteLLM spells a few of these differently in older configs.
  if (name == "ContentPolicyError") return ErrorClass::content_policy;
  if (name == "APIError") return ErrorClass::server_error;
  return error_class_from_string(name);
}

Decision default_decision(ErrorClass c) { return row(c).decision; }

int client_status(ErrorClass c) { return row(c).client_status; }

const std::array<ErrorClass, kErrorClassCount>& all_error_classes() {
  static const std::array<ErrorClass, kErrorClassCount> all = [] {
    std::array<ErrorClass, kErrorClassCount> a{};
    for (std::size_t i = 0; i < kErrorClassCount; ++i) a[i] = kClassTable[i].cls;
    return a;
  }();
  return all;
}

}  // namespace switchyard::errors
