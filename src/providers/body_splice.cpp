#include "providers/body_splice.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <boost/json.hpp>

#include "providers/json_write.h"

namespace switchyard::providers {
namespace json = boost::json;
namespace {

// Boost.JSON's default parse refuses deeper documents; the gateway parsed the bytes with it.
constexpr int kMaxDepth = 64;
// Duplicate keys are found by comparing each key with its object's earlier ones: an object with
// more keys than this is left to the DOM rather than compared quadratically.
constexpr std::size_t kMaxKeysPerObject = 256;

// Walks JSON text the gateway already parsed successfully (so it is strict JSON: no comments,
// no trailing commas, valid UTF-8): it only locates values, and refuses anything out of shape
// instead of reading past the end. Scalars are skipped to their delimiter, not validated.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  // Calls on_member(key, value text) for each top-level member, in order.
  template <class OnMember>
  bool top_level(OnMember&& on_member) {
    skip_space();
    if (!at('{')) return false;
    const bool ok = object(0, on_member);
    skip_space();
    return ok && i_ == s_.size();
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  // At the opening quote; leaves i_ after the closing one. memchr finds the next quote (text
  // is most of a chat body); it closes the string unless an odd run of backslashes precedes it.
  bool string(std::string_view& text) {
    const char* const begin = s_.data() + i_ + 1;
    const char* const end = s_.data() + s_.size();
    for (const char* from = begin; from < end;) {
      const auto* quote = static_cast<const char*>(std::memchr(from, '"', static_cast<std::size_t>(end - from)));
      if (!quote) return false;
      const char* run = quote;
      while (run > begin && run[-1] == '\\') --run;
      if ((quote - run) % 2 == 0) {
        text = std::string_view(begin, static_cast<std::size_t>(quote - begin));
        i_ = static_cast<std::size_t>(quote + 1 - s_.data());
        return true;
      }
      from = quote + 1;
    }
    return false;
  }

  static bool ends_scalar(char c) {
    switch (c) {
      case ',': case '}': case ']': case ' ': case '\t': case '\n': case '\r': return true;
      default: return false;
    }
  }

  bool value(int depth) {
    if (depth > kMaxDepth || i_ >= s_.size()) return false;
    switch (s_[i_]) {
      case '{': {
        auto nested = [](std::string_view, std::string_view) { return true; };
        return object(depth, nested);
      }
      case '[': return array(depth);
      case '"': {
        std::string_view text;
        return string(text);
      }
      default: {
        const auto start = i_;
        while (i_ < s_.size() && !ends_scalar(s_[i_])) ++i_;
        return i_ > start;
      }
    }
  }

  bool array(int depth) {
    ++i_;
    skip_space();
    if (at(']')) return ++i_, true;
    while (true) {
      skip_space();
      if (!value(depth + 1)) return false;
      skip_space();
      if (at(',')) {
        ++i_;
        continue;
      }
      if (at(']')) return ++i_, true;
      return false;
    }
  }

  template <class OnMember>
  bool object(int depth, OnMember& on_member) {
    ++i_;
    const auto first_key = keys_.size();
    skip_space();
    if (at('}')) return ++i_, true;
    while (true) {
      skip_space();
      if (!at('"')) return false;
      std::string_view key;
      if (!string(key) || key.find('\\') != std::string_view::npos) return false;
      if (keys_.size() - first_key >= kMaxKeysPerObject) return false;
      if (std::find(keys_.begin() + static_cast<std::ptrdiff_t>(first_key), keys_.end(), key) != keys_.end()) return false;
      keys_.push_back(key);
      skip_space();
      if (!at(':')) return false;
      ++i_;
      skip_space();
      const auto value_start = i_;
      if (!value(depth + 1)) return false;
      if (!on_member(key, s_.substr(value_start, i_ - value_start))) return false;
      skip_space();
      if (at(',')) {
        ++i_;
        continue;
      }
      if (!at('}')) return false;
      ++i_;
      keys_.resize(first_key);
      return true;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  boost::container::small_vector<std::string_view, 32> keys_;  // of the objects being walked
};

bool is_placeholder(std::string_view key) {
  return std::find(std::begin(kProbePlaceholders), std::end(kProbePlaceholders), key) != std::end(kProbePlaceholders);
}

// The routing controls rewrite this member in place (litellm_controls.cpp: an Anthropic client's
// metadata keeps only user_id): it is always written from the DOM.
constexpr std::string_view kRewrittenByControls = "metadata";

}  // namespace

std::optional<RawMembers> scan_top_level(std::string_view raw) {
  std::optional<RawMembers> members(std::in_place);
  auto collect = [&](std::string_view key, std::string_view value) {
    members->push_back({key, value});
    return true;
  };
  if (!Scanner(raw).top_level(collect)) members.reset();
  return members;
}

namespace {

// Writes the spliced object member by member, as the scanner finds them.
class SpliceWriter {
 public:
  SpliceWriter(std::string& out, std::span<const MemberEdit> edits) : out_(out), edits_(edits), used_(edits.size(), false) {
    out_ += '{';
  }

  // A member as the client wrote it: kept, replaced by its edit, or left out.
  void member(std::string_view key, std::string_view value) {
    const auto edit = std::find_if(edits_.begin(), edits_.end(), [&](const MemberEdit& e) { return e.key == key; });
    if (edit != edits_.end()) {
      used_[static_cast<std::size_t>(edit - edits_.begin())] = true;
      if (!edit->value) return;
    }
    separate();
    out_ += '"';
    out_ += key;
    out_ += "\":";
    if (edit != edits_.end()) append_json(out_, *edit->value);
    else out_ += value;
  }

  void finish() {
    for (std::size_t i = 0; i < edits_.size(); ++i)
      if (!used_[i] && edits_[i].value) {
        separate();
        append_json_string(out_, edits_[i].key);
        out_ += ':';
        append_json(out_, *edits_[i].value);
      }
    out_ += '}';
  }

 private:
  void separate() {
    if (out_.size() > 1) out_ += ',';
  }

  std::string& out_;
  std::span<const MemberEdit> edits_;
  boost::container::small_vector<bool, 16> used_;
};

}  // namespace

std::string splice_top_level(const RawMembers& members, std::span<const MemberEdit> edits) {
  std::string out;
  SpliceWriter writer(out, edits);
  for (const auto& m : members) writer.member(m.key, m.value);
  writer.finish();
  return out;
}

json::object make_probe(const json::object& body, json::storage_ptr storage) {
  json::object probe(body.size(), storage);
  for (const auto& kv : body) {
    if (is_placeholder(kv.key()) && kv.value().is_array()) probe.emplace(kv.key(), json::array(storage));
    else probe.emplace(kv.key(), kv.value());
  }
  return probe;
}

namespace {

// json::value's ==, but a NaN equals a NaN: Boost.JSON 1.81 reads some finite spellings (0e499) as
// NaN, and a member holding one is still unchanged (the client's spelling is then the better one).
bool same_value(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double()) {
    const double x = a.get_double(), y = b.get_double();
    return x == y || (std::isnan(x) && std::isnan(y));
  }
  if (a.is_array() && b.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same_value(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& kv : x) {
      const auto* other = y.if_contains(kv.key());
      if (!other || !same_value(kv.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

// `o`'s member `key`, looked up first at `hint`: the probe is built in the parsed body's order,
// which is the bytes' order, and the shaping mostly edits in place.
const json::value* find_from(const json::object& o, std::size_t& hint, std::string_view key) {
  if (hint < o.size()) {
    const auto& kv = *(o.begin() + static_cast<std::ptrdiff_t>(hint));
    if (std::string_view(kv.key()) == key) {
      ++hint;
      return &kv.value();
    }
  }
  return o.if_contains(json::string_view(key.data(), key.size()));
}

}  // namespace

std::optional<std::string> splice_shaped_body(std::string_view raw, const json::object& parsed, const json::object& probe) {
  boost::container::small_vector<MemberEdit, 8> edits;  // replaced or appended; removals are found while writing
  std::size_t parsed_hint = 0;
  for (const auto& kv : probe) {
    const auto key = std::string_view(kv.key());
    const auto* before = find_from(parsed, parsed_hint, key);
    if (before && is_placeholder(key) && before->is_array()) {
      // Unchanged only if still the empty stand-in; any other change is not known member-wise.
      if (!kv.value().is_array() || !kv.value().get_array().empty()) return std::nullopt;
      continue;
    }
    if (!before || !same_value(*before, kv.value()) || key == kRewrittenByControls) edits.push_back({key, &kv.value()});
  }
  std::string out;
  out.reserve(raw.size() + 64);
  SpliceWriter writer(out, edits);
  // A DOM member the bytes lack was not parsed from them: nothing here knows where it came from.
  std::size_t parsed_seen = 0;
  std::size_t probe_hint = 0;
  parsed_hint = 0;
  auto on_member = [&](std::string_view key, std::string_view value) {
    if (find_from(parsed, parsed_hint, key)) ++parsed_seen;
    // Removed by the shaping, or by the routing controls before it: left out.
    if (find_from(probe, probe_hint, key)) writer.member(key, value);
    return true;
  };
  if (!Scanner(raw).top_level(on_member) || parsed_seen != parsed.size()) return std::nullopt;
  writer.finish();
  return out;
}

std::optional<std::string> write_shaped_probe(const json::object& parsed, const json::object& probe,
                                              std::size_t size_hint) {
  std::string out;
  out.reserve(size_hint);
  {
    JsonWriter writer(out);  // flushed into `out` at the end of this scope
    writer.raw('{');
    bool first = true;
    for (const auto& kv : probe) {
      const auto key = std::string_view(kv.key());
      const json::value* value = &kv.value();
      if (is_placeholder(key))
        if (const auto* before = parsed.if_contains(kv.key()); before && before->is_array()) {
          // Unchanged only if still the empty stand-in; any other change is not known item-wise.
          if (!value->is_array() || !value->get_array().empty()) return std::nullopt;
          value = before;
        }
      if (!first) writer.raw(',');
      first = false;
      writer.string(key);
      writer.raw(':');
      writer.value(*value);
    }
    writer.raw('}');
  }
  return out;
}

}  // namespace switchyard::providers
