// Anthropic Messages API errors: {"type":"error","error":{"type":…,"message":…}}.
// https://docs.anthropic.com/en/api/errors — also what Claude on Vertex AI and Databricks relay.
// Anthropic reports an exhausted credit balance and spend limits as 400 invalid_request_error;
// only the message tells them apart from a malformed request, so those rules come first.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 17> kRules = {{
    {.id = "anthropic.credit_balance_too_low", .error_class = EC::quota_exhausted,
     .message = "credit balance is too low|purchase credits"},
    {.id = "anthropic.api_usage_limits", .error_class = EC::quota_exhausted,
     .message = "reached your specified api usage limits|api usage limit|spend limit"},
    {.id = "anthropic.billing_error", .error_class = EC::quota_exhausted, .type = "billing_error"},
    {.id = "anthropic.organization_disabled", .error_class = EC::permission_denied,
     .message = "organization has been disabled|organization is disabled|account has been disabled"},
    {.id = "anthropic.prompt_too_long", .error_class = EC::context_window_exceeded, .type = "invalid_request_error",
     .message = "prompt is too long|input is too long|exceed context limit|exceeds the context window|context window"},
    {.id = "anthropic.request_too_large", .error_class = EC::context_window_exceeded, .type = "request_too_large"},
    {.id = "anthropic.output_blocked", .error_class = EC::content_policy,
     .message = "content filtering policy|usage policy"},
    {.id = "anthropic.invalid_request_error", .error_class = EC::bad_request, .status = kPlainClientError,
     .type = "invalid_request_error"},
    {.id = "anthropic.authentication_error", .error_class = EC::authentication, .type = "authentication_error"},
    {.id = "anthropic.permission_error", .error_class = EC::permission_denied, .type = "permission_error"},
    {.id = "anthropic.not_found_error", .error_class = EC::not_found, .type = "not_found_error"},
    {.id = "anthropic.rate_limit_error", .error_class = EC::rate_limit, .type = "rate_limit_error"},
    {.id = "anthropic.overloaded_error", .error_class = EC::overloaded, .type = "overloaded_error"},
    {.id = "anthropic.timeout_error", .error_class = EC::timeout, .type = "timeout_error"},
    // Anthropic sometimes reports overload as a 500 api_error whose message is "Overloaded".
    {.id = "anthropic.api_error_overloaded", .error_class = EC::overloaded, .type = "api_error", .message = "overloaded"},
    {.id = "anthropic.api_error", .error_class = EC::server_error, .type = "api_error"},
    // An invalid_request_error with a 5xx status is the provider's fault, not the caller's; with
    // 401/403/404/429… the generic status rules decide (the type alone says nothing more).
    {.id = "anthropic.invalid_request_error_odd_status", .error_class = EC::server_error,
     .status = status_in(500, 599), .type = "invalid_request_error"},
}};
}  // namespace

std::span<const Rule> anthropic_rules() { return kRules; }

}  // namespace switchyard::errors
