#include "mock/fault_bodies.h"

#include <array>

namespace switchyard::mock {
namespace {

using F = Fault;
using W = WireFormat;
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kHtml = "text/html";

// Provider edges (nginx, Cloudflare) answer a gateway timeout with HTML, whatever the API.
constexpr std::string_view kNginx504 =
    "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway "
    "Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

// retry-after on rate_limit is added from the behaviour (retry_after), not from this table.
constexpr std::array<FaultBody, 22> kBodies = {{
    // ---------------------------------------------------------------- Anthropic Messages API
    {F::bad_request, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"}})json",
     {}, "anthropic_roles_must_alternate"},
    {F::context_window_exceeded, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"},"request_id":"req_011CVQe1dLrGNMJyE1ghG1av"})json",
     {}, "anthropic_prompt_too_long"},
    // Not in provider_errors.yaml (the table has no Anthropic safety refusal): the message
    // Anthropic returns when its output filter blocks a completion, as reported in claude-code issues.
    {F::content_policy, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"}})json",
     {}, "anthropic output filter (claude-code issue reports)"},
    {F::authentication, W::anthropic, 401, kJson,
     R"json({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CaJCR7Pm2Jh2LbWpBH5Y6"})json",
     {}, "anthropic_invalid_x_api_key"},
    {F::permission_denied, W::anthropic, 403, kJson,
     R"json({"type":"error","error":{"type":"permission_error","message":"OAuth token does not meet scope requirement any_of(user:inference, user:ccr_inference, user:voice, org:service_key_inference)"},"request_id":"req_011CY4ZKJWn3U6TnV1BMNW2o"})json",
     {}, "anthropic_permission_error_403"},
    {F::not_found, W::anthropic, 404, kJson,
     R"json({"type":"error","error":{"type":"not_found_error","message":"model: claude-3-5-sonnet-20241022 "}})json",
     {}, "anthropic_model_not_found_404"},
    {F::rate_limit, W::anthropic, 429, kJson,
     R"json({"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (0dccdde6-f924-4f1b-bb3b-92ef846e0a5b) of 20,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."}})json",
     {"anthropic-ratelimit-input-tokens-remaining", "0"}, "anthropic_rate_limit_429_input_tpm"},
    {F::quota_exhausted, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},"request_id":"req_011CbrFTcXhtiMzr3s6EocF7"})json",
     {}, "anthropic_credit_balance_too_low"},
    {F::overloaded, W::anthropic, 529, kJson,
     R"json({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CZAau32QzxDkriovTaFCB"})json",
     {"x-should-retry", "true"}, "anthropic_overloaded_529"},
    {F::timeout, W::anthropic, 504, kHtml, kNginx504, {}, "generic_nginx_504_gateway_timeout_html"},
    {F::server_error, W::anthropic, 500, kJson,
     R"json({"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011CYVB4LnZmcupS55mD1Jje"})json",
     {}, "anthropic_api_error_500"},
    // ------------------------------------------------- OpenAI chat completions (pretty-printed)
    {F::bad_request, W::openai, 400, kJson,
     "{\n  \"error\": {\n    \"message\": \"Unsupported value: 'messages[0].role' does not support 'system' with this "
     "model.\",\n    \"type\": \"invalid_request_error\",\n    \"param\": \"messages[0].role\",\n    \"code\": "
     "\"unsupported_value\"\n  }\n}",
     {}, "openai_unsupported_system_role_400"},
    {F::context_window_exceeded, W::openai, 400, kJson,
     R"json({"error":{"message":"This model's maximum context length is 4097 tokens. However, your messages resulted in 4294 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})json",
     {}, "openai_context_length_exceeded"},
    {F::content_policy, W::openai, 400, kJson,
     "{\n  \"error\": {\n    \"message\": \"Invalid prompt: your prompt was flagged as potentially violating our usage "
     "policy. Please try again with a different prompt: "
     "https://platform.openai.com/docs/guides/reasoning#advice-on-prompting\",\n    \"type\": "
     "\"invalid_request_error\",\n    \"param\": null,\n    \"code\": \"invalid_prompt\"\n  }\n}",
     {}, "openai_invalid_prompt_flagged"},
    {F::authentication, W::openai, 401, kJson,
     "{\n    \"error\": {\n        \"message\": \"Incorrect API key provided: "
     "sk-PMafP***************************************E873. You can find your API key at "
     "https://platform.openai.com/account/api-keys.\",\n        \"type\": \"invalid_request_error\",\n        "
     "\"param\": null,\n        \"code\": \"invalid_api_key\"\n    }\n}",
     {}, "openai_invalid_api_key_401"},
    {F::permission_denied, W::openai, 403, kJson,
     "{\n  \"error\": {\n    \"code\": \"unsupported_country_region_territory\",\n    \"message\": \"Country, region, "
     "or territory not supported\",\n    \"param\": null,\n    \"type\": \"request_forbidden\"\n  }\n}",
     {}, "openai_unsupported_country_403"},
    {F::not_found, W::openai, 404, kJson,
     "{\n    \"error\": {\n        \"message\": \"The model `gpt-4o` does not exist or you do not have access to "
     "it.\",\n        \"type\": \"invalid_request_error\",\n        \"param\": null,\n        \"code\": "
     "\"model_not_found\"\n    }\n}",
     {}, "openai_model_not_found_404"},
    {F::rate_limit, W::openai, 429, kJson,
     "{\n    \"error\": {\n        \"message\": \"Rate limit reached for gpt-4 in organization "
     "org-uVqpjtJiKqvVJMVfvpaounIh on tokens per min (TPM): Limit 10000, Used 8554, Requested 3082. Please try "
     "again in 9.816s. Visit https://platform.openai.com/account/rate-limits to learn more.\",\n        \"type\": "
     "\"tokens\",\n        \"param\": null,\n        \"code\": \"rate_limit_exceeded\"\n    }\n}",
     {"x-ratelimit-remaining-tokens", "0"}, "openai_rate_limit_exceeded_tpm"},
    {F::quota_exhausted, W::openai, 429, kJson,
     "{\n    \"error\": {\n        \"message\": \"You exceeded your current quota, please check your plan and billing "
     "details.\",\n        \"type\": \"insufficient_quota\",\n        \"param\": null,\n        \"code\": "
     "\"insufficient_quota\"\n    }\n}",
     {}, "openai_insufficient_quota_429"},
    {F::overloaded, W::openai, 503, kJson,
     "{\n  \"error\": {\n    \"message\": \"That model is currently overloaded with other requests. You can retry "
     "your request, or contact us through our help center at help.openai.com if the error persists. (Please "
     "include the request ID 500d9fff2057e4af93a280f67002c342 in your message.)\",\n    \"type\": "
     "\"server_error\",\n    \"param\": null,\n    \"code\": null\n  }\n}",
     {}, "openai_model_overloaded_503"},
    {F::timeout, W::openai, 504, kHtml, kNginx504, {}, "generic_nginx_504_gateway_timeout_html"},
    {F::server_error, W::openai, 500, kJson,
     "{\n  \"error\": {\n    \"message\": \"The server had an error processing your request. Sorry about that! You "
     "can retry your request, or contact us through our help center at help.openai.com if you keep seeing this "
     "error. (Please include the request ID req_540c6eaab7f4556b2baa22bcba915d51 in your email.)\",\n    "
     "\"type\": \"server_error\",\n    \"param\": null,\n    \"code\": null\n  }\n}",
     {}, "openai_server_error_500"},
}};

}  // namespace

const FaultBody* fault_body(Fault fault, WireFormat format) {
  for (const auto& b : kBodies)
    if (b.fault == fault && b.format == format) return &b;
  return nullptr;
}

}  // namespace switchyard::mock
