#include "api/passing.h"

#include "core/text.h"

#include <algorithm>

namespace switchyard::api {
namespace {

// Headers that carry the gateway's own credentials or are hop-by-hop: never forwarded, whatever
// the allow-list says.
constexpr std::string_view kNeverForwarded[] = {"authorization", "x-api-key",      "api-key", "x-goog-api-key",
                                                "host",          "content-length", "cookie",  "proxy-authorization",
                                                "x-litellm-api-key"};
// Headers the clouds sign or authorise with (SigV4's x-amz-*, Google's x-goog-*, Azure's x-ms-*):
// a client's copy would break the gateway's signature or switch its project, and the resulting
// 403 would cool the deployment down for every client.
constexpr std::string_view kNeverForwardedPrefixes[] = {"x-amz-", "x-amzn-", "x-goog-", "x-ms-"};
// Always captured: the Anthropic adapters decide where they go (headers, or body fields).
constexpr std::string_view kAnthropicHeaders[] = {"anthropic-beta", "anthropic-version"};

// Into a reused buffer: most headers are not forwarded, so no string is made for them.
void lower_into(std::string& out, std::string_view s) {
  out.assign(s);
  for (auto& c : out) c = core::ascii_lower(c);  // ASCII only: header names are tokens
}

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

bool forwardable(const config::RequestPassing& passing, std::string_view name) {
  if (listed(kNeverForwarded, name) || name.starts_with("x-switchyard-")) return false;
  for (const auto prefix : kNeverForwardedPrefixes)
    if (name.starts_with(prefix)) return false;
  if (listed(kAnthropicHeaders, name)) return true;
  if (std::find(passing.forward_headers.begin(), passing.forward_headers.end(), name) != passing.forward_headers.end())
    return true;
  // LiteLLM's rule for `true`: x-* headers, not the OpenAI SDK's x-stainless-* (they upset it).
  return passing.forward_x_headers && name.starts_with("x-") && !name.starts_with("x-stainless");
}

}  // namespace

void take_passing_controls(const http::Request& req, const config::RequestPassing& passing, core::ChatRequest& request) {
  request.drop_params = passing.drop_params;
  if (const auto* drop = request.body.if_contains("drop_params")) {
    if (drop->is_bool()) request.drop_params = drop->get_bool();
    request.body.erase("drop_params");  // LiteLLM's control, not the provider's parameter
  }
  std::string name;
  for (const auto& field : req) {
    lower_into(name, field.name_string());
    if (forwardable(passing, name)) request.forward_headers.emplace_back(name, std::string(field.value()));
  }
}

}  // namespace switchyard::api
