#include "mock/replay.h"

#include <boost/json.hpp>

#include "mock/cloud_bedrock.h"
#include "providers/aws/eventstream.h"

namespace switchyard::mock {
namespace {
namespace es = providers::aws::eventstream;

std::vector<std::string> sse_chunks(const std::string& body) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    std::size_t sep = 2;
    const std::size_t crlf = body.find("\r\n\r\n", start);
    if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) {
      end = crlf;
      sep = 4;
    }
    end = end == std::string::npos ? body.size() : end + sep;
    out.push_back(body.substr(start, end - start));
    start = end;
  }
  // A body pasted without its final blank line still ends its last event.
  if (!out.empty() && !out.back().ends_with("\n\n") && !out.back().ends_with("\r\n\r\n"))
    out.back() += out.back().ends_with('\n') ? "\n" : "\n\n";
  return out;
}

}  // namespace

bool replay_streams(const Replay& replay) {
  return replay.status >= 200 && replay.status < 300 &&
         (replay.content_type.starts_with("text/event-stream") || replay.content_type == kEventStreamContentType);
}

std::optional<std::vector<std::string>> replay_chunks(const Replay& replay, std::string& error) {
  if (replay.content_type != kEventStreamContentType) return sse_chunks(replay.body);
  std::vector<std::string> frames;
  std::size_t start = 0;
  while (start < replay.body.size()) {
    std::size_t end = replay.body.find('\n', start);
    if (end == std::string::npos) end = replay.body.size();
    const std::string_view line(replay.body.data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    boost::system::error_code ec;
    const auto event = boost::json::parse(line, ec);
    if (ec || !event.is_object() || event.get_object().size() != 1 || !event.get_object().begin()->value().is_object()) {
      error = "replay: an event-stream line must be {\"<eventType>\": {payload}}: " + std::string(line);
      return std::nullopt;
    }
    const auto& [type, payload] = *event.get_object().begin();
    const std::vector<es::Header> headers{{":event-type", std::string(type)},
                                          {":content-type", std::string("application/json")},
                                          {":message-type", std::string("event")}};
    frames.push_back(es::encode(headers, boost::json::serialize(payload)));
  }
  return frames;
}

}  // namespace switchyard::mock
