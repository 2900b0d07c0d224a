#include "providers/deployment_defaults.h"

#include <array>
#include <boost/json.hpp>

namespace switchyard::providers {
namespace json = boost::json;
namespace {

struct Rename {
  std::string_view openai;
  std::string_view anthropic;
};
constexpr std::array<Rename, 8> kAnthropicNames = {{{"temperature", "temperature"},
                                                    {"top_p", "top_p"},
                                                    {"top_k", "top_k"},
                                                    {"max_tokens", "max_tokens"},
                                                    {"max_completion_tokens", "max_tokens"},
                                                    {"stop", "stop_sequences"},
                                                    {"thinking", "thinking"},
                                                    {"user", "metadata"}}};

const Rename* anthropic_rename(std::string_view name) {
  for (const auto& r : kAnthropicNames)
    if (r.openai == name) return &r;
  return nullptr;
}

}  // namespace

void apply_request_defaults(const config::Deployment& d, core::WireFormat format, json::object& body) {
  for (const auto& kv : d.request_defaults) {
    if (format == core::WireFormat::openai) {
      if (!body.contains(kv.key())) body[kv.key()] = kv.value();
      continue;
    }
    const auto* r = anthropic_rename(kv.key());
    if (!r || body.contains(r->anthropic)) continue;  // not Anthropic's, or the client's own value
    if (r->openai == "stop") {
      body[r->anthropic] = kv.value().is_string() ? json::value(json::array{kv.value()}) : kv.value();
    } else if (r->openai == "user") {
      if (kv.value().is_string()) body["metadata"] = {{"user_id", kv.value()}};
    } else if (r->openai == "max_completion_tokens" && body.contains("max_tokens")) {
      continue;
    } else {
      body[r->anthropic] = kv.value();
    }
  }
}

void add_extra_headers(const config::Deployment& d, http::UpstreamRequest& out) {
  for (const auto& [name, value] : d.extra_headers) http::set_header(out.headers, name, value);
}

}  // namespace switchyard::providers
