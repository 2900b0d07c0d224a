#include "api/litellm_controls.h"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <boost/json.hpp>
#include <utility>

#include "core/json_members.h"

namespace switchyard::api {
namespace json = boost::json;
namespace {

std::optional<std::string> read_names(const json::value& v, const char* what, std::vector<std::string>& out) {
  if (v.is_string()) {
    out.emplace_back(v.get_string());
    return std::nullopt;
  }
  if (!v.is_array()) return std::string("'") + what + "' must be a list of model names";
  for (const auto& item : v.get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
    else if (item.is_object() && item.get_object().contains("model") && item.get_object().at("model").is_string())
      out.emplace_back(item.get_object().at("model").get_string());  // LiteLLM's [{"model": …}] form
    else return std::string("'") + what + "' entries must be model names";
  }
  return std::nullopt;
}

bool truthy(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_string()) return v.get_string() == "true" || v.get_string() == "True";
  return false;
}

}  // namespace

std::optional<std::string> take_litellm_controls(core::WireFormat format, json::object& body,
                                                 core::RoutingControls& controls) {
  // Most requests carry none of them: one walk over the body says so (six lookups cost ~550
  // instructions a request). Those that do are read below by name: erasing one moves the others.
  static constexpr std::array<std::string_view, 6> kControls = {"fallbacks", "disable_fallbacks", "num_retries",
                                                                "mock_testing_fallbacks", "tags", "metadata"};
  const auto found = core::find_members(std::as_const(body), kControls);
  if (std::all_of(found.begin(), found.end(), [](const json::value* v) { return v == nullptr; })) return std::nullopt;
  if (const auto* v = body.if_contains("fallbacks")) {
    std::vector<std::string> names;
    if (auto problem = read_names(*v, "fallbacks", names)) return problem;
    controls.fallbacks = std::move(names);
    body.erase("fallbacks");
  }
  if (const auto* v = body.if_contains("disable_fallbacks")) {
    controls.disable_fallbacks = truthy(*v);
    body.erase("disable_fallbacks");
  }
  if (const auto* v = body.if_contains("num_retries")) {
    if (const auto n = v->if_int64(); n && *n >= 0 && *n <= 100) controls.num_retries = static_cast<int>(*n);
    else if (!v->is_null()) return std::string("'num_retries' must be a whole number from 0 to 100");
    body.erase("num_retries");
  }
  if (const auto* v = body.if_contains("mock_testing_fallbacks")) {
    controls.mock_testing_fallbacks = truthy(*v);
    body.erase("mock_testing_fallbacks");
  }
  if (const auto* v = body.if_contains("tags")) {
    if (!v->is_null())
      if (auto problem = read_names(*v, "tags", controls.tags)) return problem;
    body.erase("tags");
  }
  if (auto* md = body.if_contains("metadata")) {
    // LiteLLM reads metadata (tags among it) for itself. Anthropic's Messages API has its own
    // `metadata` with only `user_id`: that much is the client's and goes upstream.
    if (md->is_object()) {
      if (const auto* tags = md->get_object().if_contains("tags"); tags && !tags->is_null())
        if (auto problem = read_names(*tags, "metadata.tags", controls.tags)) return problem;
    }
    const json::value* user_id = md->is_object() ? md->get_object().if_contains("user_id") : nullptr;
    if (format == core::WireFormat::responses && md->is_object()) {
      // The Responses API's own `metadata` (string pairs, echoed in the response): the client's,
      // less LiteLLM's tags.
      md->get_object().erase("tags");
    } else if (format == core::WireFormat::anthropic && user_id && user_id->is_string()) {
      json::object kept{{"user_id", *user_id}};
      *md = std::move(kept);
    } else {
      body.erase("metadata");
    }
  }
  return std::nullopt;
}

void add_header_lines(const http::Request& req, core::RoutingControls& controls) {
  for (const auto& field : req) {
    const auto name = field.name_string();
    if (boost::beast::iequals(name, "authorization") || boost::beast::iequals(name, "x-api-key")) continue;  // never matched on secrets
    controls.header_lines.push_back(std::string(name) + ": " + std::string(field.value()));
  }
}

}  // namespace switchyard::api
