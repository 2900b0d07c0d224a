#include "core/chat.h"

namespace switchyard::core {

std::string_view to_string(WireFormat f) { return f == WireFormat::openai ? "openai" : "anthropic"; }

}  // namespace switchyard::core
