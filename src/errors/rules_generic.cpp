// Rules for every provider, after its own table: phrases all providers share, then the status
// code as the last word. A body that is HTML from a proxy, empty, truncated or garbage reaches the
// status rules; a response with no status at all is a transport problem.
#include <array>

#include "errors/rules.h"

namespace switchyard::errors {
namespace {
using EC = ErrorClass;
constexpr std::array<Rule, 45> kRules = {{
    // Money first: a billing problem is never the caller's fault, whatever the status says.
    {.id = "generic.quota_code", .error_class = EC::quota_exhausted,
     .code = "insufficient_quota|billing_hard_limit_reached|quota_exceeded|insufficient_balance|payment_required|"
             "insufficient_user_quota|billing_not_active|credits_exhausted"},
    {.id = "generic.quota_message", .error_class = EC::quota_exhausted,
     .message = "credit balance is too low|exceeded your current quota|check your plan and billing|"
                "billing hard limit|insufficient balance|insufficient credits|insufficient funds|out of credits|"
                "api usage limits|out of call volume quota|spending limit|payment required"},
    // Phrases, plus LiteLLM's exception names (a LiteLLM proxy upstream says
    // "litellm.ContextWindowExceededError: …" with a 400).
    {.id = "generic.context_window_message", .error_class = EC::context_window_exceeded,
     .status = status_in(400, 428),
     .message = "context_length_exceeded|maximum context length|context window|context length|"
                "prompt is too long|input is too long|too many input tokens|input token count|"
                "exceeds the maximum number of tokens|reduce the length of the messages|exceeds token limit|"
                "expected a string with maximum length|tokens + `max_new_tokens` must be <=|too many tokens in the prompt|"
                "maximum input length|exceeds the model's maximum|too many tokens|contextwindowexceedederror|"
                "maximum prompt length|maximum model length|available context size"},
    {.id = "generic.content_policy", .error_class = EC::content_policy, .status = status_in(400, 451),
     .message = "content_policy_violation|content management policy|content policy|content filter|"
                "responsibleaipolicyviolation|safety system|flagged as|input was flagged|usage policies|"
                "contentpolicyviolationerror"},
    // Cloudflare's origin codes come first: their pages speculate ("the origin may be overloaded")
    // but the code says what happened. 521/523 the origin is unreachable, 522/524 it timed out.
    {.id = "generic.status_521", .error_class = EC::connection, .status = status_is(521)},
    {.id = "generic.status_522", .error_class = EC::timeout, .status = status_is(522)},
    {.id = "generic.status_523", .error_class = EC::connection, .status = status_is(523)},
    {.id = "generic.status_524", .error_class = EC::timeout, .status = status_is(524)},
    {.id = "generic.status_525", .error_class = EC::connection, .status = status_in(525, 526)},
    {.id = "generic.overloaded_type", .error_class = EC::overloaded,
     .type = "overloaded_error|overloaded|service_unavailable|ServiceUnavailable|capacity_exceeded"},
    {.id = "generic.overloaded_message", .error_class = EC::overloaded,
     .message = "overloaded|over capacity|out of capacity|currently unavailable due to high demand"},
    {.id = "generic.rate_limit_type", .error_class = EC::rate_limit,
     .type = "rate_limit_error|rate_limit_exceeded|RateLimitError|too_many_requests"},
    {.id = "generic.rate_limit_code", .error_class = EC::rate_limit, .code = "rate_limit_exceeded|rate_limited|429"},
    {.id = "generic.rate_limit_message", .error_class = EC::rate_limit, .status = status_in(400, 499),
     .message = "rate limit|too many requests|requests per minute|tokens per minute|throttl"},
    // A banned account answers 400 invalid_request_error (Groq's organization_restricted): no
    // retry helps this key, another deployment serves the request.
    {.id = "generic.account_restricted", .error_class = EC::permission_denied,
     .code = "organization_restricted|account_restricted"},
    {.id = "generic.authentication_type", .error_class = EC::authentication,
     .type = "authentication_error|AuthenticationError|invalid_api_key|unauthenticated"},
    {.id = "generic.permission_type", .error_class = EC::permission_denied,
     .type = "permission_error|permission_denied|PermissionDeniedError|access_denied|forbidden"},
    {.id = "generic.not_found_type", .error_class = EC::not_found,
     .type = "not_found_error|NotFoundError|not_found|model_not_found"},
    {.id = "generic.timeout_type", .error_class = EC::timeout, .type = "timeout_error|timeout|TimeoutError"},
    {.id = "generic.server_error_type", .error_class = EC::server_error,
     .type = "api_error|server_error|internal_error|InternalServerError|internal_server_error"},
    // Status codes. 4xx other than those below are the request's fault.
    {.id = "generic.status_400", .error_class = EC::bad_request, .status = status_is(400)},
    {.id = "generic.status_401", .error_class = EC::authentication, .status = status_is(401)},
    {.id = "generic.status_402", .error_class = EC::quota_exhausted, .status = status_is(402)},
    {.id = "generic.status_403", .error_class = EC::permission_denied, .status = status_is(403)},
    {.id = "generic.status_404", .error_class = EC::not_found, .status = status_is(404)},
    {.id = "generic.status_405", .error_class = EC::not_found, .status = status_is(405)},
    {.id = "generic.status_408", .error_class = EC::timeout, .status = status_is(408)},
    {.id = "generic.status_409", .error_class = EC::server_error, .status = status_is(409)},
    {.id = "generic.status_410", .error_class = EC::not_found, .status = status_is(410)},
    {.id = "generic.status_413", .error_class = EC::context_window_exceeded, .status = status_is(413)},
    {.id = "generic.status_424", .error_class = EC::server_error, .status = status_is(424)},
    {.id = "generic.status_425", .error_class = EC::server_error, .status = status_is(425)},
    {.id = "generic.status_429", .error_class = EC::rate_limit, .status = status_is(429)},
    {.id = "generic.status_451", .error_class = EC::content_policy, .status = status_is(451)},
    {.id = "generic.status_499", .error_class = EC::timeout, .status = status_is(499)},
    {.id = "generic.status_4xx", .error_class = EC::bad_request, .status = status_in(400, 499)},
    {.id = "generic.status_503", .error_class = EC::overloaded, .status = status_is(503)},
    {.id = "generic.status_504", .error_class = EC::timeout, .status = status_is(504)},
    {.id = "generic.status_529", .error_class = EC::overloaded, .status = status_is(529)},
    {.id = "generic.status_598", .error_class = EC::timeout, .status = status_in(598, 599)},
    {.id = "generic.status_5xx", .error_class = EC::server_error, .status = status_in(500, 599)},
    // A "successful" status carrying an error (an SSE error event, a redirect) is the server's fault.
    {.id = "generic.status_1xx_3xx", .error_class = EC::server_error, .status = status_in(100, 399)},
    {.id = "generic.no_response", .error_class = EC::connection, .status = status_is(0)},
    {.id = "generic.status_unknown_low", .error_class = EC::server_error, .status = status_in(-2147483647 - 1, 99)},
    {.id = "generic.status_unknown_high", .error_class = EC::server_error, .status = status_in(600, 2147483647)},
}};
}  // namespace

std::span<const Rule> generic_rules() { return kRules; }

std::span<const std::span<const Rule>> rule_tables_for(core::Provider p) {
  using P = core::Provider;
  static const std::array<std::span<const Rule>, 2> anthropic = {anthropic_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 2> openai = {openai_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 3> azure = {azure_rules(), openai_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 4> databricks = {databricks_rules(), openai_rules(),
                                                                  anthropic_rules(), generic_rules()};
  // Claude on Vertex relays Anthropic's error bodies; Gemini models answer in Google RPC shape.
  static const std::array<std::span<const Rule>, 4> vertex = {vertex_ai_rules(), google_rules(),
                                                              anthropic_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 3> gemini = {gemini_rules(), google_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 3> bedrock = {bedrock_rules(), anthropic_rules(), generic_rules()};
  static const std::array<std::span<const Rule>, 3> compatible = {openai_compatible_rules(), openai_rules(),
                                                                  generic_rules()};
  switch (p) {
    case P::anthropic: return anthropic;
    case P::openai: return openai;
    case P::azure: return azure;
    case P::databricks: return databricks;
    case P::vertex_ai: return vertex;
    case P::gemini: return gemini;
    case P::bedrock: return bedrock;
    case P::openai_compatible: return compatible;
  }
  return compatible;
}

}  // namespace switchyard::errors
