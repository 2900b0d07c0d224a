// What the gateway must know of a chat answer that goes to a client of the same wire format: is
// it a well-formed answer (a JSON object with `choices` / `content` as an array and no `error`),
// and its token usage. Read in one forward pass (Boost.JSON's SAX parser) without building a
// DOM: the answer's bytes are then forwarded as they came (DESIGN: same-format calls are
// lossless). The DOM is built only when someone needs it (translation, Responses clients).
#pragma once

#include <optional>
#include <string_view>

#include "core/chat.h"

namespace switchyard::providers {

struct AnswerFacts {
  bool is_answer = false;  // `choices` (OpenAI) / `content` (Anthropic) is an array, no `error` key
  core::Usage usage;       // as usage_of() reads it from the DOM
  // OpenAI format: a choice's message.content is a list of parts, not a string (Databricks'
  // Claude, Mistral reasoning): the answer must be reshaped before any client reads it.
  bool content_parts = false;
};

// nullopt: not a JSON object (malformed, truncated, another type, trailing bytes).
std::optional<AnswerFacts> scan_answer(core::WireFormat format, std::string_view body);

}  // namespace switchyard::providers
