// Google RPC errors, shared by Vertex AI and the Gemini API:
// {"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}}.
// https://cloud.google.com/apis/design/errors and https://ai.google.dev/gemini-api/docs/troubleshooting
// RESOURCE_EXHAUSTED covers both per-minute rate limits and exhausted daily/free-tier quota; the
// QuotaFailure quotaId in `details` ("…PerDay…" vs "…PerMinute…") tells them apart.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 24> kGoogle = {{
    // A key with no allowance at all for the model ("…limit: 0, model: gemini-2.5-pro", "doesn't
    // have a free quota tier") is refused whatever the quota window says: its RetryInfo and
    // per-minute quota ids promise a retry that never succeeds.
    {.id = "google.no_quota_for_model", .error_class = EC::quota_exhausted,
     .message = "limit: 0, model|doesn't have a free quota tier|does not have a free quota tier"},
    // A daily quota outlasts any retry; when a body lists both, the daily one decides.
    {.id = "google.quota_per_day", .error_class = EC::quota_exhausted, .marker = "PerDay"},
    {.id = "google.quota_per_minute", .error_class = EC::rate_limit, .marker = "PerMinute"},
    {.id = "google.out_of_capacity", .error_class = EC::overloaded,
     .message = "out of capacity|model is overloaded|overloaded"},
    {.id = "google.billing_disabled", .error_class = EC::quota_exhausted, .marker = "BILLING_DISABLED"},
    {.id = "google.api_key_invalid", .error_class = EC::authentication,
     .marker = "API_KEY_INVALID|API_KEY_EXPIRED|ACCESS_TOKEN_EXPIRED|CREDENTIALS_MISSING"},
    {.id = "google.api_key_message", .error_class = EC::authentication,
     .message = "api key not valid|api key expired|api_key_invalid|invalid authentication credentials|"
                "request had invalid authentication"},
    {.id = "google.location_unsupported", .error_class = EC::permission_denied,
     .message = "user location is not supported|not available in your country|region is not supported"},
    {.id = "google.service_disabled", .error_class = EC::permission_denied,
     .marker = "SERVICE_DISABLED|CONSUMER_INVALID|API_KEY_SERVICE_BLOCKED|IAM_PERMISSION_DENIED"},
    // "Request payload size exceeds the limit: 20971520 bytes" is the prompt's size (inline media
    // included), like a 413: a bigger window may take it, retrying this one cannot.
    {.id = "google.input_too_long", .error_class = EC::context_window_exceeded,
     .message = "input token count|exceeds the maximum number of tokens|prompt is too long|"
                "input is too long|exceeds the context window|payload size exceeds the limit"},
    {.id = "google.billing_quota_message", .error_class = EC::quota_exhausted,
     .message = "check your plan and billing details|billing account|billing to be enabled"},
    {.id = "google.resource_exhausted", .error_class = EC::rate_limit, .gstatus = "RESOURCE_EXHAUSTED"},
    {.id = "google.unauthenticated", .error_class = EC::authentication, .gstatus = "UNAUTHENTICATED"},
    {.id = "google.permission_denied", .error_class = EC::permission_denied, .gstatus = "PERMISSION_DENIED"},
    {.id = "google.failed_precondition", .error_class = EC::permission_denied, .gstatus = "FAILED_PRECONDITION"},
    {.id = "google.not_found", .error_class = EC::not_found, .gstatus = "NOT_FOUND|UNIMPLEMENTED"},
    {.id = "google.unavailable", .error_class = EC::overloaded, .gstatus = "UNAVAILABLE"},
    {.id = "google.deadline_exceeded", .error_class = EC::timeout, .gstatus = "DEADLINE_EXCEEDED"},
    {.id = "google.internal", .error_class = EC::server_error,
     .gstatus = "INTERNAL|UNKNOWN|ABORTED|DATA_LOSS|CANCELLED"},
    {.id = "google.invalid_argument", .error_class = EC::bad_request, .status = kPlainClientError,
     .gstatus = "INVALID_ARGUMENT|OUT_OF_RANGE|ALREADY_EXISTS"},
    {.id = "google.invalid_argument_odd_status", .error_class = EC::server_error, .status = status_in(500, 599),
     .gstatus = "INVALID_ARGUMENT|OUT_OF_RANGE|ALREADY_EXISTS"},
    // Gemini answers a blocked prompt with 200 and promptFeedback.blockReason.
    {.id = "google.prompt_blocked", .error_class = EC::content_policy, .type = "prompt_blocked"},
    // …and an answer stopped by SAFETY / PROHIBITED_CONTENT / BLOCKLIST before any content.
    {.id = "google.response_blocked", .error_class = EC::content_policy, .type = "response_blocked"},
    {.id = "google.safety_message", .error_class = EC::content_policy,
     .message = "blocked due to safety|safety reasons|prohibited content"},
}};
}  // namespace

std::span<const Rule> google_rules() { return kGoogle; }
// Vertex and Gemini have no rules of their own beyond the shared Google vocabulary today; the
// separate entry points keep `rule_tables_for` readable and leave room for their quirks.
std::span<const Rule> vertex_ai_rules() { return {}; }
std::span<const Rule> gemini_rules() { return {}; }

}  // namespace switchyard::errors
