#include "core/chat.h"

namespace switchyard::core {

std::string_view to_string(WireFormat f) {
  switch (f) {
    case WireFormat::openai: return "openai";
    case WireFormat::anthropic: return "anthropic";
    case WireFormat::responses: return "responses";
  }
  return "openai";
}

}  // namespace switchyard::core
