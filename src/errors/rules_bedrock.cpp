// AWS Bedrock runtime errors: body {"message":…} (sometimes with "__type") and the exception name
// in the `x-amzn-ErrorType` header ("ThrottlingException:http://internal.amazon.com/coral/…").
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
// ValidationException is both "your request is malformed" and "your prompt is too long" and
// "this model id is wrong for this account", so its message decides.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 18> kRules = {{
    {.id = "bedrock.throttling_per_day", .error_class = EC::quota_exhausted,
     .type = "ThrottlingException|TooManyRequestsException", .message = "per day"},
    {.id = "bedrock.throttling", .error_class = EC::rate_limit,
     .type = "ThrottlingException|TooManyRequestsException|Throttling|ThrottledException"},
    {.id = "bedrock.service_quota_exceeded", .error_class = EC::quota_exhausted,
     .type = "ServiceQuotaExceededException|LimitExceededException"},
    {.id = "bedrock.model_not_ready", .error_class = EC::overloaded, .type = "ModelNotReadyException"},
    {.id = "bedrock.service_unavailable", .error_class = EC::overloaded,
     .type = "ServiceUnavailableException|ServiceUnavailable"},
    // The account, not the request: "Operation not allowed" is Bedrock refusing every model to a
    // blocked account; the Anthropic use-case form gates a model per account.
    {.id = "bedrock.use_case_form", .error_class = EC::permission_denied,
     .message = "use-case form|use case form|use case details"},
    {.id = "bedrock.operation_not_allowed", .error_class = EC::permission_denied, .type = "ValidationException",
     .message = "operation not allowed"},
    // "expected maxLength: 42000, actual: 46735" is the JSON-schema cap on the prompt text.
    {.id = "bedrock.input_too_long", .error_class = EC::context_window_exceeded, .type = "ValidationException",
     .message = "input is too long|prompt is too long|too many input tokens|maximum context length|"
                "context length|exceeds the maximum|context window|too many tokens|expected maxlength"},
    // The model id is the deployment's configuration: a malformed one makes this deployment useless.
    {.id = "bedrock.invalid_model_id", .error_class = EC::not_found, .type = "ValidationException",
     .message = "model identifier is invalid|on-demand throughput isn|inference profile|model is not supported|"
                "at 'modelid' failed to satisfy constraint"},
    {.id = "bedrock.content_blocked", .error_class = EC::content_policy, .type = "ValidationException",
     .message = "content filtering|blocked by|guardrail"},
    {.id = "bedrock.validation", .error_class = EC::bad_request, .status = kPlainClientError,
     .type = "ValidationException"},
    {.id = "bedrock.payment_instrument", .error_class = EC::quota_exhausted,
     .message = "invalid_payment_instrument|payment instrument"},
    {.id = "bedrock.access_denied", .error_class = EC::permission_denied,
     .type = "AccessDeniedException|AccessDenied"},
    {.id = "bedrock.credentials", .error_class = EC::authentication,
     .type = "UnrecognizedClientException|InvalidSignatureException|ExpiredTokenException|"
             "IncompleteSignatureException|MissingAuthenticationTokenException|InvalidClientTokenId|"
             "SignatureDoesNotMatch|ExpiredToken|MissingAuthenticationToken"},
    {.id = "bedrock.resource_not_found", .error_class = EC::not_found, .type = "ResourceNotFoundException"},
    {.id = "bedrock.model_timeout", .error_class = EC::timeout, .type = "ModelTimeoutException"},
    {.id = "bedrock.internal", .error_class = EC::server_error,
     .type = "InternalServerException|InternalFailure|ModelErrorException|ModelStreamErrorException|"
             "ConflictException|InternalServerError"},
    {.id = "bedrock.security_token_message", .error_class = EC::authentication,
     .message = "security token included in the request is invalid|signature we calculated does not match|"
                "security token included in the request is expired"},
}};
}  // namespace

std::span<const Rule> bedrock_rules() { return kRules; }

}  // namespace switchyard::errors
