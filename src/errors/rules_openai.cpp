// OpenAI errors: {"error":{"message","type","param","code"}}.
// https://platform.openai.com/docs/guides/error-codes — codes are the stable part; `type` is
// invalid_request_error for billing and context problems alike, so codes and messages come first.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 21> kRules = {{
    // A per-day limit will not reset in seconds: treat it as quota, not a rate limit.
    {.id = "openai.per_day_limit", .error_class = EC::quota_exhausted, .status = status_is(429),
     .message = "per day (rpd)|per day (tpd)|requests per day|tokens per day"},
    {.id = "openai.insufficient_quota", .error_class = EC::quota_exhausted, .code = "insufficient_quota"},
    {.id = "openai.insufficient_quota_type", .error_class = EC::quota_exhausted, .type = "insufficient_quota"},
    {.id = "openai.billing_hard_limit", .error_class = EC::quota_exhausted,
     .code = "billing_hard_limit_reached|billing_not_active|access_terminated"},
    {.id = "openai.billing_message", .error_class = EC::quota_exhausted,
     .message = "billing hard limit|check your plan and billing details|account is not active"},
    {.id = "openai.context_length_exceeded", .error_class = EC::context_window_exceeded,
     .code = "context_length_exceeded"},
    // string_above_max_length is the prompt only when a message content is too long
    // ("Invalid 'messages[17].content': string too long", or a part of it: '.content[0].text');
    // a tool name or call_id over 64
    // characters is the request's own fault, which no larger context window fixes.
    {.id = "openai.content_too_long", .error_class = EC::context_window_exceeded, .code = "string_above_max_length",
     .message = ".content'|.content["},
    {.id = "openai.string_above_max_length", .error_class = EC::bad_request, .code = "string_above_max_length"},
    {.id = "openai.content_policy", .error_class = EC::content_policy,
     .code = "content_policy_violation|content_filter|invalid_prompt|moderation_blocked"},
    {.id = "openai.content_policy_message", .error_class = EC::content_policy,
     .message = "content management policy|flagged as potentially violating|violating our usage policy|"
                "rejected as a result of our safety system"},
    {.id = "openai.rate_limit_exceeded", .error_class = EC::rate_limit, .code = "rate_limit_exceeded|rate_limit_error"},
    {.id = "openai.rate_limit_type", .error_class = EC::rate_limit, .status = status_is(429),
     .type = "requests|tokens|rate_limit_exceeded|rate_limit_error"},
    {.id = "openai.invalid_api_key", .error_class = EC::authentication,
     .code = "invalid_api_key|invalid_authentication|incorrect_api_key|mismatched_organization|"
             "invalid_organization|missing_api_key|account_deactivated"},
    // 400 invalid_request_error/unsupported_value "Your organization must be verified to stream
    // this model" / "to generate reasoning summaries": a right the organisation lacks for one
    // feature of this request (the same deployment still serves requests without it). A class
    // that falls back would cool the whole deployment down until reload for one request (with one
    // deployment: every later request fails), so it stays the client's: bad_request, with the
    // provider's message saying what to do.
    {.id = "openai.organization_not_verified", .error_class = EC::bad_request,
     .message = "organization must be verified"},
    {.id = "openai.unsupported_region", .error_class = EC::permission_denied,
     .code = "unsupported_country_region_territory|unsupported_country|model_not_available"},
    // "Project `proj_…` does not have access to model `gpt-4o`" is a 403 with code model_not_found.
    {.id = "openai.model_not_permitted", .error_class = EC::permission_denied, .status = status_is(403),
     .code = "model_not_found"},
    {.id = "openai.model_not_found", .error_class = EC::not_found, .code = "model_not_found|deployment_not_found"},
    {.id = "openai.model_overloaded", .error_class = EC::overloaded, .status = status_in(500, 599),
     .message = "overloaded|out of capacity"},
    {.id = "openai.server_error", .error_class = EC::server_error, .status = status_in(500, 599),
     .type = "server_error|internal_error|api_error|model_error"},
    {.id = "openai.invalid_request_error", .error_class = EC::bad_request, .status = status_in(400, 400),
     .type = "invalid_request_error"},
    {.id = "openai.unprocessable", .error_class = EC::bad_request, .status = status_is(422),
     .type = "invalid_request_error"},
}};
}  // namespace

std::span<const Rule> openai_rules() { return kRules; }

}  // namespace switchyard::errors
