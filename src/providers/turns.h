// Anthropic Messages, Bedrock Converse and Gemini all want user and assistant turns to alternate:
// consecutive messages of one role (several tool results, a tool result followed by a user
// remark) become one turn. One merge for the three translators.
#pragma once

#include <boost/json.hpp>
#include <string_view>

#include "providers/json_fields.h"

namespace switchyard::providers {

// Appends {role, <items_key>: items} to `turns`, or adds the items to the last turn when it has
// the same role. Nothing is appended for no items.
inline void append_turn(boost::json::array& turns, std::string_view role, boost::json::array items,
                        std::string_view items_key = "content") {
  if (items.empty()) return;
  if (!turns.empty()) {
    auto& last = turns.back().as_object();
    if (json_fields::str(last, "role") == role) {
      auto& existing = last[items_key].as_array();
      for (auto& item : items) existing.push_back(std::move(item));
      return;
    }
  }
  turns.push_back(boost::json::object{{"role", role}, {items_key, std::move(items)}});
}

}  // namespace switchyard::providers
