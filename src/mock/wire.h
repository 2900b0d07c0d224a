// The two wire formats the mock speaks, chosen by path: Anthropic Messages (`…/v1/messages`) and
// OpenAI chat completions (`…/chat/completions`, which also covers Databricks serving endpoints
// and Azure deployments). Decodes just enough of a request to answer it, and encodes successful
// replies, whole or as server-sent events. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock/fault_bodies.h"

namespace switchyard::mock {

std::optional<WireFormat> format_for_path(std::string_view path);

struct Call {
  WireFormat format = WireFormat::openai;
  std::string model;
  bool stream = false;
  bool include_usage = false;  // OpenAI stream_options.include_usage
  std::int64_t input_tokens = 0;
};

// nullopt with `error` set when the body is not a request the mock can answer (not JSON, no
// model). Azure's model is the `{name}` of `/openai/deployments/{name}/…` when the body has none.
std::optional<Call> parse_call(WireFormat format, std::string_view path, std::string_view body, std::string& error);

// Rough token count: whitespace-separated words.
std::int64_t count_words(std::string_view text);

struct ReplyIds {
  std::uint64_t sequence = 0;  // msg_mock_N / chatcmpl-mock-N
  std::int64_t created = 0;    // unix seconds (OpenAI `created`)
};

std::string reply_body(const Call& call, std::string_view reply, ReplyIds ids);

// The complete SSE stream, one string per event ("event: …\ndata: …\n\n" or "data: …\n\n"),
// with the reply's text spread over at most kMaxStreamTextChunks deltas.
inline constexpr std::size_t kMaxStreamTextChunks = 4;
std::vector<std::string> reply_stream(const Call& call, std::string_view reply, ReplyIds ids);

// The mock's own refusal of a request it cannot parse, shaped like the provider's 400.
std::string invalid_request_body(WireFormat format, std::string_view message);

}  // namespace switchyard::mock
