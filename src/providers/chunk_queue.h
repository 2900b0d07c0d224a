// The OpenAI side of a native stream decoder (native_dialect.h): chat.completion.chunk events
// built with one id, created time and model, queued until the decoder's next() hands them out,
// ending with the usage chunk (when asked for) and "[DONE]". Shared by the Gemini and Bedrock
// decoders, which differ only in how they read their upstream.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "http/sse.h"

namespace switchyard::providers {

class OpenAiChunkQueue {
 public:
  OpenAiChunkQueue(std::string_view model, std::string id, std::int64_t created)
      : model_(model), id_(std::move(id)), created_(created) {}

  // Gemini learns its id (responseId) and, when none was given, its model (modelVersion) from
  // the first event.
  void set_id_if_unset(std::string id) {
    if (id_.empty()) id_ = std::move(id);
  }
  void set_model_if_unset(std::string_view model) {
    if (model_.empty()) model_ = model;
  }

  // One choice's delta, with its finish_reason (null while the choice goes on).
  void choice(std::int64_t index, boost::json::object delta, boost::json::value finish_reason = nullptr) {
    auto chunk = base();
    chunk["choices"] = boost::json::array{{{"index", index},
                                           {"delta", std::move(delta)},
                                           {"logprobs", nullptr},
                                           {"finish_reason", std::move(finish_reason)}}};
    push(chunk);
  }
  // The usage chunk OpenAI sends with stream_options.include_usage: no choices.
  void usage(boost::json::object usage) {
    auto chunk = base();
    chunk["choices"] = boost::json::array{};
    chunk["usage"] = std::move(usage);
    push(chunk);
  }
  void done() { ready_.push_back({"", "[DONE]"}); }

  bool empty() const { return ready_.empty(); }
  std::optional<http::SseEvent> pop() {
    if (ready_.empty()) return std::nullopt;
    auto event = std::move(ready_.front());
    ready_.pop_front();
    return event;
  }

 private:
  boost::json::object base() const {
    return {{"id", id_}, {"object", "chat.completion.chunk"}, {"created", created_}, {"model", model_}};
  }
  void push(const boost::json::object& chunk) { ready_.push_back({"", boost::json::serialize(chunk)}); }

  std::string model_;
  std::string id_;
  std::int64_t created_;
  std::deque<http::SseEvent> ready_;
};

}  // namespace switchyard::providers
