#pragma once
// Same-format request bodies without a DOM copy (issue 15): the upstream body is written as the
// client's own bytes with only the top-level members the gateway changes replaced, removed or
// appended. Anything this cannot prove identical to serialising the edited DOM is refused
// (nullopt) and the caller serialises the DOM as before.

#include <boost/container/small_vector.hpp>
#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchyard::providers {

// One top-level member as the client wrote it.
struct RawMember {
  std::string_view key;    // between the quotes; never holds an escape
  std::string_view value;  // the value's text, without surrounding whitespace
};
using RawMembers = boost::container::small_vector<RawMember, 16>;

// The top-level members of a JSON object's text. nullopt when the bytes cannot stand for their
// DOM member by member: not an object, malformed, a key written with an escape (its DOM spelling
// differs), or one key twice in an object at any depth (the DOM keeps only the last).
std::optional<RawMembers> scan_top_level(std::string_view raw);

// A top-level member the gateway sets (value) or removes (null value).
struct MemberEdit {
  std::string_view key;
  const boost::json::value* value = nullptr;
};

// The object `members` came from, with `edits`: a replaced member keeps its place, a new one is
// appended, a removed one is left out; the others are the client's bytes.
std::string splice_top_level(const RawMembers& members, std::span<const MemberEdit> edits);

// Top-level arrays the request shaping never reads item by item (beyond the nested edits the
// caller rules out first): the probe holds them as empty arrays instead of copies.
inline constexpr std::string_view kProbePlaceholders[] = {"messages", "tools"};

// A copy of `body` small enough to shape: every member, but the kProbePlaceholders arrays empty.
boost::json::object make_probe(const boost::json::object& body, boost::json::storage_ptr storage);

// The upstream body from the client's bytes `raw`, where `parsed` is their DOM after the gateway
// took out its routing controls (top-level members removed, `metadata` rewritten) and `probe` is
// make_probe(parsed) after the request shaping. nullopt when `raw` cannot be spliced or the
// shaping changed a placeholder (the edit is not known): the caller serialises the DOM.
std::optional<std::string> splice_shaped_body(std::string_view raw, const boost::json::object& parsed,
                                              const boost::json::object& probe);

// The upstream body without the client's bytes and without a copy of its DOM (bodies too small
// for the splice above to pay): `probe` is make_probe(parsed) after the request shaping, written
// member by member as json::serialize would write the shaped full DOM, byte for byte, with the
// placeholder arrays taken from `parsed`. nullopt when the shaping changed a placeholder (the edit
// is not known): the caller shapes and serialises a copy of the DOM. `size_hint`: bytes to reserve.
std::optional<std::string> write_shaped_probe(const boost::json::object& parsed, const boost::json::object& probe,
                                              std::size_t size_hint);

}  // namespace switchyard::providers
