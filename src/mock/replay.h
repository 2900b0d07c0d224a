// A replayed answer (Behaviour::replay) cut into the chunks a streamed call is written in: SSE
// text one event per chunk (events end at a blank line, "\n\n" or "\r\n\r\n"), Bedrock's
// event stream one frame per line of `{"<eventType>": {payload}}` JSON. No I/O here.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mock/behaviour.h"

namespace switchyard::mock {

// True when the replay is written as a chunked stream (a 2xx event stream); otherwise the body
// is sent whole, as a provider answers an error or a JSON body.
bool replay_streams(const Replay& replay);

// The chunks of a streamed replay; nullopt with `error` when an event-stream line is not a
// one-member JSON object.
std::optional<std::vector<std::string>> replay_chunks(const Replay& replay, std::string& error);

}  // namespace switchyard::mock
