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

bool istarts_with(std::string_view name, std::string_view prefix) {
  return name.size() >= prefix.size() && core::iequals(name.substr(0, prefix.size()), prefix);
}

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view name) {
  return std::any_of(std::begin(list), std::end(list), [name](std::string_view l) { return core::iequals(name, l); });
}

// `name` as the client spelled it, compared without case (the lists are lower-case, the
// allow-list too: the config loader lowers it). The rules that can forward a header are tried
// first: most headers (content-type, user-agent, accept…) match none of them and cost a few
// length comparisons, with no lowered copy of their name.
bool forwardable(const config::RequestPassing& passing, std::string_view name) {
  const bool wanted =
      listed(kAnthropicHeaders, name) ||
      std::any_of(passing.forward_headers.begin(), passing.forward_headers.end(),
                  [name](const std::string& allowed) { return core::iequals(name, allowed); }) ||
      // LiteLLM's rule for `true`: x-* headers, not the OpenAI SDK's x-stainless-* (they upset it).
      (passing.forward_x_headers && istarts_with(name, "x-") && !istarts_with(name, "x-stainless"));
  if (!wanted) return false;
  if (listed(kNeverForwarded, name) || istarts_with(name, "x-switchyard-")) return false;
  return std::none_of(std::begin(kNeverForwardedPrefixes), std::end(kNeverForwardedPrefixes),
                      [name](std::string_view prefix) { return istarts_with(name, prefix); });
}

}  // namespace

void take_passing_controls(const http::Request& req, const config::RequestPassing& passing, core::ChatRequest& request) {
  request.drop_params = passing.drop_params;
  if (const auto* drop = request.body.if_contains("drop_params")) {
    if (drop->is_bool()) request.drop_params = drop->get_bool();
    request.body.erase("drop_params");  // LiteLLM's control, not the provider's parameter
  }
  for (const auto& field : req) {
    const auto name = field.name_string();
    if (forwardable(passing, name))
      request.forward_headers.emplace_back(core::to_lower_ascii(name), std::string(field.value()));
  }
}

}  // namespace switchyard::api
