#include "providers/forwarding.h"

#include <algorithm>
#include <boost/json.hpp>
#include <optional>

namespace switchyard::providers {
namespace json = boost::json;
namespace {

struct BetaFlag {
  std::string_view client;  // as Anthropic's API spells it
  std::string_view sent;    // as the platform takes it
};

// Beta flags Vertex AI's Claude accepts (LiteLLM's anthropic_beta_headers_config.json, vertex_ai).
constexpr BetaFlag kVertexBetas[] = {
    {"advanced-tool-use-2025-11-20", "tool-search-tool-2025-10-19"},
    {"compact-2026-01-12", "compact-2026-01-12"},
    {"compact-2026-09-04", "compact-2026-09-04"},
    {"computer-use-2025-01-24", "computer-use-2025-01-24"},
    {"computer-use-2025-11-24", "computer-use-2025-11-24"},
    {"context-1m-2025-08-07", "context-1m-2025-08-07"},
    {"context-management-2025-06-27", "context-management-2025-06-27"},
    {"dangerous-tool-use-2026-09-03", "dangerous-tool-use-2026-09-03"},
    {"interleaved-thinking-2025-05-14", "interleaved-thinking-2025-05-14"},
    {"per-turn-control-2026-07-01", "per-turn-control-2026-07-01"},
    {"thinking-binding-controls-2026-08-01", "thinking-binding-controls-2026-08-01"},
    {"thinking-display-updates-2026-08-18", "thinking-display-updates-2026-08-18"},
    {"tool-search-tool-2025-10-19", "tool-search-tool-2025-10-19"},
    {"web-search-2025-03-05", "web-search-2025-03-05"},
};

// Beta flags Bedrock Converse takes for Claude (the same file, bedrock_converse).
constexpr BetaFlag kBedrockConverseBetas[] = {
    {"computer-use-2025-01-24", "computer-use-2025-01-24"},
    {"computer-use-2025-11-24", "computer-use-2025-11-24"},
    {"context-1m-2025-08-07", "context-1m-2025-08-07"},
    {"effort-2025-11-24", "effort-2025-11-24"},
    {"fine-grained-tool-streaming-2025-05-14", "fine-grained-tool-streaming-2025-05-14"},
    {"structured-outputs-2025-11-13", "structured-outputs-2025-11-13"},
    {"thinking-binding-controls-2026-08-01", "thinking-binding-controls-2026-08-01"},
    {"thinking-display-updates-2026-08-18", "thinking-display-updates-2026-08-18"},
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

template <std::size_t N>
std::optional<std::string_view> mapped(const BetaFlag (&table)[N], std::string_view flag) {
  for (const auto& b : table)
    if (b.client == flag) return b.sent;
  return std::nullopt;
}

json::array to_array(const std::vector<std::string>& flags) {
  json::array out;
  for (const auto& f : flags) out.push_back(json::string(f));
  return out;
}

}  // namespace

std::vector<std::string> supported_betas(ApiKind kind, std::string_view value) {
  std::vector<std::string> flags;
  while (!value.empty()) {
    const auto comma = value.find(',');
    const auto flag = trim(value.substr(0, comma));
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    if (flag.empty()) continue;
    std::optional<std::string_view> sent;
    if (kind == ApiKind::anthropic) sent = flag;
    else if (kind == ApiKind::vertex_claude) sent = mapped(kVertexBetas, flag);
    else if (kind == ApiKind::bedrock_claude) sent = mapped(kBedrockConverseBetas, flag);
    if (sent && std::find(flags.begin(), flags.end(), *sent) == flags.end()) flags.emplace_back(*sent);
  }
  return flags;
}

void forward_client_headers(ApiKind kind, const std::vector<std::pair<std::string, std::string>>& headers,
                            json::object& body, http::UpstreamRequest& out) {
  for (const auto& [name, value] : headers) {
    if (name == "anthropic-version") {
      if (kind == ApiKind::anthropic) http::set_header(out.headers, name, value);
    } else if (name == "anthropic-beta") {
      const auto flags = supported_betas(kind, value);
      if (flags.empty()) continue;
      if (kind == ApiKind::anthropic) {
        std::string joined;
        for (const auto& f : flags) joined += (joined.empty() ? "" : ",") + f;
        http::set_header(out.headers, name, joined);
      } else if (kind == ApiKind::vertex_claude) {
        body["anthropic_beta"] = to_array(flags);
      } else if (kind == ApiKind::bedrock_claude) {
        auto& fields = body["additionalModelRequestFields"];
        if (!fields.is_object()) fields = json::object{};
        fields.get_object()["anthropic_beta"] = to_array(flags);
      }
    } else {
      http::set_header(out.headers, name, value);
    }
  }
}

}  // namespace switchyard::providers
