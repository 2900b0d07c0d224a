#include "mock/cloud_routes.h"

namespace switchyard::mock {
namespace {

constexpr std::string_view kVertexAnthropic = "/publishers/anthropic/models/";
constexpr std::string_view kVertexGoogle = "/publishers/google/models/";
constexpr std::string_view kGeminiModels = "/models/";
constexpr std::string_view kBedrockModel = "/model/";

// "{model}:{method}" after `marker`; empty model when the path does not have that shape.
std::pair<std::string, std::string_view> model_and_method(std::string_view path, std::string_view marker) {
  const auto at = path.find(marker);
  if (at == std::string_view::npos) return {};
  const auto rest = path.substr(at + marker.size());
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || rest.find('/') != std::string_view::npos) return {};
  return {percent_decode(rest.substr(0, colon)), rest.substr(colon + 1)};
}

std::optional<CloudRoute> google_route(std::string_view path) {
  if (auto [model, method] = model_and_method(path, kVertexAnthropic); !model.empty()) {
    if (method != "rawPredict" && method != "streamRawPredict") return std::nullopt;
    const bool count_tokens = model == "count-tokens" && method == "rawPredict";  // the model is in the body
    return CloudRoute{CloudApi::vertex_anthropic, std::move(model), method == "streamRawPredict",
                      WireFormat::vertex_anthropic, count_tokens};
  }
  const bool vertex = path.find(kVertexGoogle) != std::string_view::npos;
  auto [model, method] = model_and_method(path, vertex ? kVertexGoogle : kGeminiModels);
  if (model.empty() || (method != "generateContent" && method != "streamGenerateContent")) return std::nullopt;
  if (vertex)
    return CloudRoute{CloudApi::vertex_gemini, std::move(model), method == "streamGenerateContent",
                      WireFormat::vertex_gemini};
  return CloudRoute{CloudApi::gemini, std::move(model), method == "streamGenerateContent", WireFormat::gemini};
}

}  // namespace

std::optional<CloudRoute> cloud_route(std::string_view path) {
  if (auto google = google_route(path)) return google;
  const auto at = path.find(kBedrockModel);
  if (at == std::string_view::npos) return std::nullopt;
  const auto rest = path.substr(at + kBedrockModel.size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  const auto action = rest.substr(slash + 1);
  if (action != "converse" && action != "converse-stream" && action != "count-tokens") return std::nullopt;
  return CloudRoute{CloudApi::bedrock, percent_decode(rest.substr(0, slash)), action == "converse-stream",
                    WireFormat::bedrock, action == "count-tokens"};
}

bool is_token_path(std::string_view path) { return path.ends_with("/token"); }

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

HeaderList lower_cased_headers(const http::Request& request) {
  HeaderList out;
  for (const auto& field : request) {
    std::string name(field.name_string());
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.emplace_back(std::move(name), std::string(field.value()));
  }
  return out;
}

}  // namespace switchyard::mock
