// A chat client for integration tests, in either wire format: request bodies, and a reader
// that checks a streamed answer is well-formed in its format (every data line JSON, Anthropic
// events named after their type) while collecting its text, tool call, finish reason and error.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness.h"

namespace switchyard::testing {

enum class Client { openai, anthropic };
inline constexpr Client kClients[] = {Client::openai, Client::anthropic};

std::string name(Client c);
std::string path(Client c);  // /v1/chat/completions or /v1/messages

// A one-message chat request for `model`; streams ask for usage (OpenAI's stream_options).
std::string chat_body(Client c, const std::string& model, bool stream, boost::json::object extra = {});

// POSTs a chat body to the gateway on `port` with the headers the format's SDK sends.
HttpResult post_chat(std::uint16_t port, Client c, const std::string& body);

// What a client reads from a stream in its own format.
struct Streamed {
  std::vector<SseEvent> events;
  std::string text;
  std::string finish;  // finish_reason / stop_reason
  std::string tool_id, tool_name, tool_arguments;
  int tool_calls = 0;
  std::optional<boost::json::object> error;  // the error event's payload
  bool error_is_last = false;
  bool done = false;  // OpenAI [DONE] / Anthropic message_stop seen
};

// Reads a streamed answer; gtest EXPECTs flag anything malformed.
Streamed read_stream(Client c, const HttpResult& r);

}  // namespace switchyard::testing
