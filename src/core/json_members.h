// Several members of a JSON object found in one pass over it. A request body is a small object
// (Boost.JSON keeps up to 18 members in a plain array and looks a key up by walking it), and the
// gateway reads a handful of fields from it: one walk instead of one per field (decode_chat's
// model, messages and stream; LiteLLM's six controls, usually all absent).
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace switchyard::core {

// found[i] is the value of keys[i] in `object`, or null (keys of an object are unique, so this
// is what object.if_contains(keys[i]) returns). The pointers are valid until the object changes.
template <typename Object, std::size_t N>
auto find_members(Object& object, const std::array<std::string_view, N>& keys) {
  using Value = std::conditional_t<std::is_const_v<Object>, const boost::json::value, boost::json::value>;
  std::array<Value*, N> found{};
  for (auto& member : object) {
    const std::string_view key = member.key();
    for (std::size_t i = 0; i < N; ++i) {
      if (key == keys[i]) {
        found[i] = &member.value();
        break;
      }
    }
  }
  return found;
}

}  // namespace switchyard::core
