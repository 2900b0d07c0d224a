// Databricks Model Serving errors: {"error_code":"REQUEST_LIMIT_EXCEEDED","message":…}.
// https://docs.databricks.com/en/machine-learning/model-serving/ — the error_code is the
// Databricks REST error code; for external/foundation models the message often relays the
// underlying provider's text, which the OpenAI and generic tables read afterwards.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 13> kRules = {{
    {.id = "databricks.context_too_long", .error_class = EC::context_window_exceeded,
     .message = "input is too long|prompt is too long|maximum context length|context window|"
                "exceeds the maximum number of tokens|too many input tokens|context length"},
    // AI Gateway guardrails answer BAD_REQUEST with the guardrail verdict as JSON in the message.
    {.id = "databricks.guardrail_flagged", .error_class = EC::content_policy,
     .message = "\"flagged\":true|guardrail_triggered|guardrail intervened"},
    {.id = "databricks.quota_exceeded", .error_class = EC::quota_exhausted,
     .type = "QUOTA_EXCEEDED|BILLING_LIMIT_EXCEEDED"},
    {.id = "databricks.request_limit_exceeded", .error_class = EC::rate_limit,
     .type = "REQUEST_LIMIT_EXCEEDED|RESOURCE_EXHAUSTED|TOO_MANY_REQUESTS|RATE_LIMIT_EXCEEDED"},
    {.id = "databricks.temporarily_unavailable", .error_class = EC::overloaded,
     .type = "TEMPORARILY_UNAVAILABLE|SERVICE_UNDER_MAINTENANCE|WORKSPACE_TEMPORARILY_UNAVAILABLE"},
    {.id = "databricks.not_found", .error_class = EC::not_found,
     .type = "RESOURCE_DOES_NOT_EXIST|ENDPOINT_NOT_FOUND|NOT_FOUND|FEATURE_DISABLED|ENDPOINT_NOT_READY"},
    {.id = "databricks.permission_denied", .error_class = EC::permission_denied,
     .type = "PERMISSION_DENIED|IP_ADDRESS_BLOCKED|FORBIDDEN"},
    {.id = "databricks.unauthenticated", .error_class = EC::authentication,
     .type = "UNAUTHENTICATED|INVALID_TOKEN|CUSTOMER_UNAUTHORIZED|401"},
    {.id = "databricks.deadline_exceeded", .error_class = EC::timeout, .type = "DEADLINE_EXCEEDED|TIMEOUT"},
    {.id = "databricks.internal_error", .error_class = EC::server_error,
     .type = "INTERNAL_ERROR|INTERNAL_SERVER_ERROR|UNKNOWN|ABORTED|DATA_LOSS"},
    {.id = "databricks.bad_request", .error_class = EC::bad_request, .status = kPlainClientError,
     .type = "INVALID_PARAMETER_VALUE|BAD_REQUEST|MALFORMED_REQUEST|INVALID_REQUEST|INVALID_STATE|"
             "INVALID_PARAMETER|UNPROCESSABLE_ENTITY"},
    {.id = "databricks.invalid_token_message", .error_class = EC::authentication, .status = status_is(401),
     .message = "invalid access token|invalid token|credential was not sent|unauthorized"},
    {.id = "databricks.bad_request_odd_status", .error_class = EC::server_error, .status = status_in(500, 599),
     .type = "INVALID_PARAMETER_VALUE|BAD_REQUEST"},
}};
}  // namespace

std::span<const Rule> databricks_rules() { return kRules; }

}  // namespace switchyard::errors
