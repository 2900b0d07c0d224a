#include "api/embeddings_api.h"

#include <algorithm>
#include <boost/json.hpp>

#include "api/litellm_controls.h"
#include "api/passing.h"

namespace switchyard::api {
namespace json = boost::json;
namespace bh = http::beast_http;
namespace {

http::Response openai_error(unsigned version, bh::status status, std::string_view message, json::value param,
                            json::value code) {
  http::Response res{status, version};
  res.set(bh::field::content_type, "application/json");
  res.body() = json::serialize(json::object{
      {"error", {{"message", message}, {"type", "invalid_request_error"}, {"param", std::move(param)}, {"code", std::move(code)}}}});
  return res;
}

bool valid_input(const json::value& input) {
  if (input.is_string()) return true;
  if (!input.is_array() || input.get_array().empty()) return false;
  const auto& items = input.get_array();
  const auto all = [&](auto pred) { return std::all_of(items.begin(), items.end(), pred); };
  const auto is_tokens = [](const json::value& v) {
    return v.is_array() && !v.get_array().empty() &&
           std::all_of(v.get_array().begin(), v.get_array().end(), [](const json::value& t) { return t.is_int64() || t.is_uint64(); });
  };
  return all([](const json::value& v) { return v.is_string(); }) ||
         all([](const json::value& v) { return v.is_int64() || v.is_uint64(); }) || all(is_tokens);
}

}  // namespace

bool is_embeddings_path(std::string_view path) { return path == "/v1/embeddings" || path == "/embeddings"; }

std::variant<core::ChatRequest, http::Response> decode_embeddings_request(const http::Request& req,
                                                                         const router::Router& router,
                                                                         std::string request_id) {
  const auto version = req.version();
  boost::system::error_code ec;
  auto parsed = json::parse(req.body(), ec, json::make_shared_resource<json::monotonic_resource>());
  if (ec) return openai_error(version, bh::status::bad_request, "request body is not valid JSON: " + ec.message(), nullptr, nullptr);
  if (!parsed.is_object()) return openai_error(version, bh::status::bad_request, "request body must be a JSON object", nullptr, nullptr);
  // Constructed from the parsed object: assignment would deep-copy it out of its arena.
  core::ChatRequest request{.operation = core::Operation::embeddings, .body = std::move(parsed.get_object())};
  request.request_id = std::move(request_id);
  // LiteLLM's request-body controls (fallbacks, num_retries, tags, drop_params…) and the client
  // headers meant for the provider, as on the chat routes.
  take_passing_controls(req, router.config().passing, request);
  if (auto problem = take_litellm_controls(core::WireFormat::openai, request.body, request.controls))
    return openai_error(version, bh::status::bad_request, *problem, nullptr, nullptr);
  if (router.config().router.enable_tag_filtering) add_header_lines(req, request.controls);
  const auto& body = request.body;
  const auto* model = body.if_contains("model");
  if (!model || !model->is_string() || model->get_string().empty())
    return openai_error(version, bh::status::bad_request, "'model' is required: the model group to route to", "model", nullptr);
  request.model = std::string(model->get_string());
  const auto* input = body.if_contains("input");
  if (!input || !valid_input(*input))
    return openai_error(version, bh::status::bad_request,
                        "'input' must be a string, an array of strings, or token ids (an array of integers or of "
                        "integer arrays)",
                        "input", nullptr);
  if (const auto* f = body.if_contains("encoding_format"); f && !f->is_null())
    if (!f->is_string() || (f->get_string() != "float" && f->get_string() != "base64"))
      return openai_error(version, bh::status::bad_request, "'encoding_format' must be 'float' or 'base64'",
                          "encoding_format", nullptr);
  if (const auto* d = body.if_contains("dimensions"); d && !d->is_null())
    if (!(d->is_int64() && d->get_int64() > 0) && !d->is_uint64())
      return openai_error(version, bh::status::bad_request, "'dimensions' must be a positive integer", "dimensions", nullptr);
  if (!router.has_group(request.model))
    return openai_error(version, bh::status::not_found,
                        "model '" + request.model + "' is not a model group of this gateway (see /v1/models)", "model",
                        "model_not_found");
  return request;
}

}  // namespace switchyard::api
