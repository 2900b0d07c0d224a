// Azure OpenAI errors: OpenAI's shape with Azure codes ("DeploymentNotFound", "429",
// "content_filter" + innererror.code "ResponsibleAIPolicyViolation").
// https://learn.microsoft.com/azure/ai-services/openai/ — the OpenAI table runs after this one.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 13> kRules = {{
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
    // "response_format value as json_schema is enabled only for api versions 2024-08-01-preview
    // and later", "tool_choice value as required …": one request's feature that this deployment's
    // api-version lacks; its other requests are served. Not a reason to cool the deployment down
    // until reload (the next rule's class would): the client's, as any unsupported parameter.
    {.id = "azure.feature_needs_newer_api_version", .error_class = EC::bad_request,
     .message = "value as"},
    // The api-version is the deployment's configuration, not the caller's request ("Model o4-mini
    // is enabled only for api versions 2024-12-01-preview and later"): this deployment cannot
    // answer until its config changes, another one can.
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
