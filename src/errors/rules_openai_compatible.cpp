// OpenAI-compatible servers (vLLM, Ollama, Groq, Together, DeepSeek, Mistral, OpenRouter,
// Fireworks…): mostly OpenAI's shape (the OpenAI table runs next), plus each server's own habits:
// vLLM's {"object":"error","type":"BadRequestError","code":400}, Ollama's {"error":"…"},
// DeepSeek's and OpenRouter's 402 for an empty balance.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 14> kRules = {{
    // Groq's flex tier answers 498 capacity_exceeded when it is full (console.groq.com/docs/errors).
    // First, so that a bare invalid_request_error type cannot make it bad_request.
    {.id = "openai_compatible.flex_capacity_498", .error_class = EC::overloaded, .status = status_is(498)},
    // OpenRouter names its daily buckets "free-models-per-day[-high-balance]".
    {.id = "openai_compatible.per_day_limit", .error_class = EC::quota_exhausted, .status = status_is(429),
     .message = "per day (rpd)|per day (tpd)|requests per day|tokens per day|-per-day"},
    // Groq answers 413 when one request alone exceeds the per-minute token budget: no retry helps.
    {.id = "openai_compatible.request_too_large", .error_class = EC::context_window_exceeded, .status = status_is(413)},
    {.id = "openai_compatible.insufficient_balance", .error_class = EC::quota_exhausted,
     .message = "insufficient balance|insufficient credits|more credits|out of credits|"
                "credit limit|never purchased credits|requires more credits"},
    {.id = "openai_compatible.model_not_pulled", .error_class = EC::not_found, .message = "try pulling it first"},
    {.id = "openai_compatible.model_missing", .error_class = EC::not_found, .status = status_is(404),
     .message = "model not found|does not exist|not found"},
    {.id = "openai_compatible.vllm_not_found", .error_class = EC::not_found, .type = "NotFoundError"},
    {.id = "openai_compatible.context_length", .error_class = EC::context_window_exceeded,
     .message = "maximum context length|context length|context window|prompt is too long|"
                "input is too long|exceeds the max|too many tokens in|maximum prompt length|"
                "maximum model length|model max length|context size"},
    {.id = "openai_compatible.out_of_memory", .error_class = EC::overloaded,
     .message = "requires more system memory|out of memory|server is busy|no capacity|at capacity"},
    {.id = "openai_compatible.vllm_bad_request", .error_class = EC::bad_request, .status = kPlainClientError,
     .type = "BadRequestError|invalid_request_error|ValidationError"},
    {.id = "openai_compatible.vllm_server_error", .error_class = EC::server_error,
     .type = "InternalServerError|internal_server_error"},
    {.id = "openai_compatible.vllm_unavailable", .error_class = EC::overloaded,
     .type = "ServiceUnavailableError|service_unavailable"},
    {.id = "openai_compatible.unauthorized_message", .error_class = EC::authentication,
     .status = status_in(400, 403), .message = "unauthorized|invalid api key|no auth credentials|invalid_api_key"},
    // OpenAI's rate-limit types; relays also put "requests" on a 401 for a dead account.
    {.id = "openai_compatible.rate_limit_type", .error_class = EC::rate_limit, .status = status_is(429),
     .type = "tokens|requests"},
}};
}  // namespace

std::span<const Rule> openai_compatible_rules() { return kRules; }

}  // namespace switchyard::errors
