#include "mock/fault_bodies.h"


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

// Bodies more than one Google-fronted row shares.
constexpr std::string_view kVertex401 =
    R"json({"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.","status":"UNAUTHENTICATED"}})json";
constexpr std::string_view kVertex403 =
    R"json({"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/projects/rhel-lightspeed/locations/us-central1/endpoints/openapi' (or it may not exist).","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"IAM_PERMISSION_DENIED","domain":"aiplatform.googleapis.com","metadata":{"resource":"projects/rhel-lightspeed/locations/us-central1/endpoints/openapi","permission":"aiplatform.endpoints.predict"}}]}})json";
constexpr std::string_view kVertex500 =
    R"json({"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}})json";
constexpr std::string_view kVertex504 =
    R"json({"error":{"code":504,"message":"Deadline expired before operation could complete.","status":"DEADLINE_EXCEEDED"}})json";
constexpr std::string_view kAmzn = kAmznErrorType;

// retry-after on rate_limit is added from the behaviour (retry_after), not from this table.
constexpr FaultBody kBodies[] = {
    // ---------------------------------------------------------------- Anthropic Messages API
    {F::bad_request, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"}})json",
     {}, "anthropic_roles_must_alternate"},
    {F::context_window_exceeded, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"},"request_id":"req_011CVQe1dLrGNMJyE1ghG1av"})json",
     {}, "anthropic_prompt_too_long"},
    {F::content_policy, W::anthropic, 400, kJson,
     R"json({"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"},"request_id":null})json",
     {}, "anthropic_output_blocked_request_id_null"},
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
    // --------------------------------------- Vertex AI, Claude (rawPredict / streamRawPredict)
    // Vertex's front end answers auth, quota, routing and deadline errors in the Google RPC shape;
    // what Claude itself says (bad request, overload, …) stays Anthropic-shaped.
    {F::rate_limit, W::vertex_anthropic, 429, kJson,
     R"json({"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: anthropic-claude. Please submit a quota increase request.","status":"RESOURCE_EXHAUSTED"}})json",
     {}, "vertex_quota_per_minute_per_base_model_429 (adapted: Claude's quota metric)"},
    {F::authentication, W::vertex_anthropic, 401, kJson, kVertex401, {}, "vertex_unauthenticated_401 (with status, as QwenLM/qwen-code#9016)"},
    {F::permission_denied, W::vertex_anthropic, 403, kJson, kVertex403, {}, "vertex_permission_denied_predict_array (unwrapped)"},
    {F::not_found, W::vertex_anthropic, 404, kJson,
     R"json({"error":{"code":404,"message":"Publisher Model `projects/248190060486/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet@20240620` was not found or your project does not have access to it. Please ensure you are using a valid model version. For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions","status":"NOT_FOUND"}})json",
     {}, "vertex_publisher_model_not_found_404 (publisher anthropic)"},
    {F::context_window_exceeded, W::vertex_anthropic, 400, kJson,
     R"json({"error":{"code":400,"message":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 200903 tokens \u003e 200000 maximum\"},\"request_id\":\"req_vrtx_011CYiBK5uLAKyWtwdYmsgQa\"}","status":"INVALID_ARGUMENT"}})json",
     {}, "vertex_claude_prompt_too_long_wrapped"},
    {F::overloaded, W::vertex_anthropic, 529, kJson,
     R"json({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_vrtx_011CYiBK5uLAKyWtwdYmsgQa"})json",
     {}, "vertex_claude_overloaded_529"},
    {F::timeout, W::vertex_anthropic, 504, kJson, kVertex504, {}, "vertex_deadline_exceeded_504"},
    {F::server_error, W::vertex_anthropic, 500, kJson, kVertex500, {}, "vertex_internal_500"},
    // ------------------------------------------------- Vertex AI, Gemini (generateContent)
    {F::bad_request, W::vertex_gemini, 400, kJson,
     R"json({"error":{"code":400,"message":"Please ensure that multiturn requests alternate between user and model.","status":"INVALID_ARGUMENT"}})json",
     {}, "vertex_invalid_argument_multiturn_alternate"},
    {F::rate_limit, W::vertex_gemini, 429, kJson,
     R"json({"error":{"code":429,"message":"Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.","status":"RESOURCE_EXHAUSTED"}})json",
     {}, "vertex_quota_per_minute_per_base_model_429"},
    {F::overloaded, W::vertex_gemini, 429, kJson,
     R"json({"error":{"code":429,"message":"Unable to submit request because the service is temporarily out of capacity. Try again later.","status":"RESOURCE_EXHAUSTED"}})json",
     {}, "vertex_out_of_capacity_resource_exhausted"},
    {F::authentication, W::vertex_gemini, 401, kJson, kVertex401, {}, "vertex_unauthenticated_401 (with status)"},
    {F::permission_denied, W::vertex_gemini, 403, kJson, kVertex403, {}, "vertex_permission_denied_predict_array (unwrapped)"},
    {F::not_found, W::vertex_gemini, 404, kJson,
     R"json({"error":{"code":404,"message":"Publisher Model `projects/248190060486/locations/global/publishers/openai/models/gpt-oss` was not found or your project does not have access to it. Please ensure you are using a valid model version. For more information, see: https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions","status":"NOT_FOUND"}})json",
     {}, "vertex_publisher_model_not_found_404"},
    {F::timeout, W::vertex_gemini, 504, kJson, kVertex504, {}, "vertex_deadline_exceeded_504"},
    {F::server_error, W::vertex_gemini, 500, kJson, kVertex500, {}, "vertex_internal_500"},
    // ------------------------------------------------------------------ Gemini API (v1beta)
    {F::bad_request, W::gemini, 400, kJson,
     R"json({"error":{"code":400,"message":"Please ensure that multiturn requests alternate between user and model.","status":"INVALID_ARGUMENT"}})json",
     {}, "vertex_invalid_argument_multiturn_alternate (same Google front end)"},
    {F::context_window_exceeded, W::gemini, 400, kJson,
     R"json({"error":{"code":400,"message":"The input token count (1091639) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})json",
     {}, "gemini_input_token_count_exceeds"},
    // Not in provider_errors.yaml: Gemini refuses a blocked prompt with a 200 whose promptFeedback
    // carries the blockReason and no candidates (ai.google.dev GenerateContentResponse docs).
    {F::content_policy, W::gemini, 200, kJson,
     R"json({"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH","blocked":true}]},"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.0-flash"})json",
     {}, "Gemini API docs: promptFeedback.blockReason SAFETY"},
    {F::authentication, W::gemini, 400, kJson, kGeminiKeyInvalid, {}, "gemini_api_key_invalid"},
    {F::permission_denied, W::gemini, 400, kJson,
     R"json({"error":{"code":400,"message":"User location is not supported for the API use.","status":"FAILED_PRECONDITION"}})json",
     {}, "gemini_user_location_not_supported"},
    {F::not_found, W::gemini, 404, kJson,
     R"json({"error":{"code":404,"message":"models/gemini-pro is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}})json",
     {}, "gemini_model_not_found_404"},
    {F::rate_limit, W::gemini, 429, kJson,
     R"json({"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_input_token_count","quotaId":"GenerateContentInputTokensPerModelPerMinute-FreeTier","quotaDimensions":{"location":"global","model":"gemini-2.5-pro"},"quotaValue":"250000"}]}]}})json",
     {}, "gemini_free_tier_per_minute_input_tokens_429 (Help entry dropped)"},
    {F::quota_exhausted, W::gemini, 429, kJson,
     R"json({"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 20, model: gemini-3.6-flash\nPlease retry in 36.429760048s.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests","quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-3.6-flash"},"quotaValue":"20"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"36s"}]}})json",
     {}, "gemini_free_tier_per_day_quota_429"},
    {F::overloaded, W::gemini, 503, kJson, kGeminiOverloaded, {}, "gemini_model_overloaded_503"},
    {F::timeout, W::gemini, 504, kJson, kVertex504, {}, "vertex_deadline_exceeded_504 (same Google front end)"},
    {F::server_error, W::gemini, 500, kJson,
     R"json({"error":{"code":500,"message":"An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting","status":"INTERNAL"}})json",
     {}, "gemini_internal_500"},
    // ------------------------------------------------------ Bedrock runtime (Converse, restJson1)
    {F::bad_request, W::bedrock, 400, kJson,
     R"json({"message":"Malformed input request: #: subject must not be valid against schema {\"required\":[\"messages\"]}#: extraneous key [stream] is not permitted#: extraneous key [model] is not permitted, please reformat your input and try again."})json",
     {kAmzn, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_validation_malformed_input"},
    {F::context_window_exceeded, W::bedrock, 400, kJson, R"json({"message":"Input is too long for requested model."})json",
     {kAmzn, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_validation_input_too_long"},
    // Not in provider_errors.yaml: a guardrail answers 200 with stopReason guardrail_intervened
    // (Converse API reference, ConverseResponse.stopReason).
    {F::content_policy, W::bedrock, 200, kJson,
     R"json({"output":{"message":{"role":"assistant","content":[{"text":"Sorry, the model cannot answer this question."}]}},"stopReason":"guardrail_intervened","usage":{"inputTokens":8,"outputTokens":0,"totalTokens":8},"metrics":{"latencyMs":1}})json",
     {}, "Bedrock Converse docs: stopReason guardrail_intervened"},
    {F::authentication, W::bedrock, 403, kJson, R"json({"message":"The security token included in the request is invalid."})json",
     {kAmzn, "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/"}, "bedrock_unrecognized_client_invalid_token"},
    {F::permission_denied, W::bedrock, 403, kJson, R"json({"message":"You don't have access to the model with the specified model ID."})json",
     {kAmzn, "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_access_denied_model"},
    {F::not_found, W::bedrock, 404, kJson, R"json({"message":"Model not found."})json",
     {kAmzn, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_resource_not_found"},
    {F::rate_limit, W::bedrock, 429, kJson, R"json({"message":"Too many requests, please wait before trying again."})json",
     {kAmzn, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_throttling_too_many_requests"},
    {F::quota_exhausted, W::bedrock, 400, kJson,
     R"json({"message":"Your request exceeds the service quota for your account. You can view your service quotas at Viewing service quotas. You can resubmit your request later."})json",
     {kAmzn, "ServiceQuotaExceededException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_service_quota_exceeded"},
    {F::overloaded, W::bedrock, 503, kJson, R"json({"message":"Bedrock is unable to process your request."})json",
     {kAmzn, "ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_service_unavailable_503"},
    {F::timeout, W::bedrock, 408, kJson, R"json({"message":"Model has timed out in processing the request. Try your request again."})json",
     {kAmzn, "ModelTimeoutException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_model_timeout_408"},
    {F::server_error, W::bedrock, 500, kJson,
     R"json({"message":"The system encountered an unexpected error during processing. Try your request again."})json",
     {kAmzn, "InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/"}, "bedrock_internal_server_500"},
};


}  // namespace

const FaultBody* fault_body(Fault fault, WireFormat format) {
  for (const auto& b : kBodies)
    if (b.fault == fault && b.format == format) return &b;
  if (format == WireFormat::vertex_anthropic) return fault_body(fault, WireFormat::anthropic);
  if (format == WireFormat::vertex_gemini) return fault_body(fault, WireFormat::gemini);
  if (format == WireFormat::openai_responses) return fault_body(fault, WireFormat::openai);
  return nullptr;
}

}  // namespace switchyard::mock
