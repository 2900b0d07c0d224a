// Azure OpenAI errors: OpenAI's shape with Azure codes ("DeploymentNotFound", "429",
// "content_filter" + innererror.code "ResponsibleAIPolicyViolation").
// https://learn.microsoft.com/azure/ai-services/openai/ — the OpenAI table runs after this one.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 12> kRules = {{
    {.id = "azure.content_filter", .error_class = EC::content_policy, .code = "content_filter"},
    {.id = "azure.responsible_ai_policy", .error_class = EC::content_policy,
     .marker = "ResponsibleAIPolicyViolation"},
    {.id = "azure.content_filter_result", .error_class = EC::content_policy, .marker = "content_filter_result"},
    {.id = "azure.rate_limit_message", .error_class = EC::rate_limit,
     .message = "exceeded token rate limit|exceeded call rate limit|rate limit of your current"},
    {.id = "azure.call_volume_quota", .error_class = EC::quota_exhausted,
     .message = "out of call volume quota|quota exceeded|insufficient quota|exceeded your current quota|"
                "subscription is disabled|spending limit"},
    {.id = "azure.deployment_not_found", .error_class = EC::not_found,
     .code = "DeploymentNotFound|ModelNotFound|NotFound|404"},
    {.id = "azure.operation_not_supported", .error_class = EC::not_found, .code = "OperationNotSupported"},
    // The api-version is the deployment's configuration, not the caller's request: this
    // deployment cannot answer until its config changes, another one can.
    {.id = "azure.api_version_unsupported", .error_class = EC::not_found,
     .message = "api version not supported|enabled only for api versions|unsupported api version"},
    {.id = "azure.invalid_subscription_key", .error_class = EC::authentication,
     .message = "invalid subscription key|wrong api endpoint|access token is missing|invalid audience|"
                "token is expired"},
    {.id = "azure.code_401", .error_class = EC::authentication, .code = "401|PermissionDenied"},
    {.id = "azure.code_429", .error_class = EC::rate_limit, .code = "429|TooManyRequests"},
    {.id = "azure.forbidden", .error_class = EC::permission_denied, .status = status_is(403),
     .message = "firewall|virtual network|not authorized|permission|access denied|forbidden"},
}};
}  // namespace

std::span<const Rule> azure_rules() { return kRules; }

}  // namespace switchyard::errors
