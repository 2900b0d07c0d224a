#include "providers/body_splice.h"

#include <algorithm>
#include <cstring>
#include <boost/json.hpp>

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

  std::optional<RawMembers> top_level() {
    RawMembers members;
    skip_space();
    if (!at('{')) return std::nullopt;
    const bool ok = object(0, [&](std::string_view key, std::string_view value) { members.push_back({key, value}); });
    skip_space();
    if (!ok || i_ != s_.size()) return std::nullopt;
    return members;
  }

 private:
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  // At the opening quote; leaves i_ after the closing one. memchr finds the closing quote (text
  // is most of a chat body); an escape in between moves the search past the escaped character.
  bool string(std::string_view& text, bool& escaped) {
    const char* const begin = s_.data() + i_ + 1;
    const char* const end = s_.data() + s_.size();
    const char* from = begin;
    escaped = false;
    while (from < end) {
      const auto* quote = static_cast<const char*>(std::memchr(from, '"', static_cast<std::size_t>(end - from)));
      if (!quote) return false;
      const auto* backslash = static_cast<const char*>(std::memchr(from, '\\', static_cast<std::size_t>(quote - from)));
      if (!backslash) {
        text = std::string_view(begin, static_cast<std::size_t>(quote - begin));
        i_ = static_cast<std::size_t>(quote + 1 - s_.data());
        return true;
      }
      escaped = true;
      from = backslash + 2;
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
      case '{': return object(depth, [](std::string_view, std::string_view) {});
      case '[': return array(depth);
      case '"': {
        std::string_view text;
        bool escaped = false;
        return string(text, escaped);
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
  bool object(int depth, OnMember&& on_member) {
    ++i_;
    const auto first_key = keys_.size();
    skip_space();
    if (at('}')) return ++i_, true;
    while (true) {
      skip_space();
      if (!at('"')) return false;
      std::string_view key;
      bool escaped = false;
      if (!string(key, escaped) || escaped) return false;
      if (keys_.size() - first_key >= kMaxKeysPerObject) return false;
      if (std::find(keys_.begin() + static_cast<std::ptrdiff_t>(first_key), keys_.end(), key) != keys_.end()) return false;
      keys_.push_back(key);
      skip_space();
      if (!at(':')) return false;
      ++i_;
      skip_space();
      const auto value_start = i_;
      if (!value(depth + 1)) return false;
      on_member(key, s_.substr(value_start, i_ - value_start));
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

// A JSON string as Boost.JSON's serializer writes it when nothing in it needs escaping (the
// common case: model names, keys); anything else goes through the serializer.
bool plain_string(std::string_view s) {
  for (const char c : s)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
  return true;
}

class ValueWriter {
 public:
  explicit ValueWriter(std::string& out) : out_(out) {}

  void string(std::string_view s) {
    if (plain_string(s)) {
      out_ += '"';
      out_ += s;
      out_ += '"';
      return;
    }
    serializer().reset(json::string_view(s.data(), s.size()));
    drain();
  }

  void value(const json::value& v) {
    if (const auto* s = v.if_string()) return string(*s);
    serializer().reset(&v);
    drain();
  }

  void member(std::string_view key, const json::value& v) {
    string(key);
    out_ += ':';
    value(v);
  }

 private:
  json::serializer& serializer() {
    if (!sr_) sr_.emplace();
    return *sr_;
  }
  void drain() {
    char buffer[256];
    while (!sr_->done()) {
      const auto part = sr_->read(buffer, sizeof buffer);
      out_.append(part.data(), part.size());
    }
  }

  std::string& out_;
  std::optional<json::serializer> sr_;  // only for values that are not plain strings
};

bool is_placeholder(std::string_view key) {
  return std::find(std::begin(kProbePlaceholders), std::end(kProbePlaceholders), key) != std::end(kProbePlaceholders);
}

// The routing controls rewrite this member in place (litellm_controls.cpp: an Anthropic client's
// metadata keeps only user_id): it is always written from the DOM.
constexpr std::string_view kRewrittenByControls = "metadata";

}  // namespace

std::optional<RawMembers> scan_top_level(std::string_view raw) { return Scanner(raw).top_level(); }

std::string splice_top_level(const RawMembers& members, std::span<const MemberEdit> edits) {
  std::size_t size = 2;
  for (const auto& m : members) size += m.key.size() + m.value.size() + 4;
  std::string out;
  out.reserve(size + 64);
  out += '{';
  boost::container::small_vector<bool, 16> used(edits.size(), false);
  ValueWriter writer(out);
  const auto separate = [&] {
    if (out.size() > 1) out += ',';
  };
  for (const auto& m : members) {
    const auto edit = std::find_if(edits.begin(), edits.end(), [&](const MemberEdit& e) { return e.key == m.key; });
    if (edit == edits.end()) {
      separate();
      out += '"';
      out += m.key;
      out += "\":";
      out += m.value;
      continue;
    }
    used[static_cast<std::size_t>(edit - edits.begin())] = true;
    if (!edit->value) continue;
    separate();
    out += '"';
    out += m.key;
    out += "\":";
    writer.value(*edit->value);
  }
  for (std::size_t i = 0; i < edits.size(); ++i)
    if (!used[i] && edits[i].value) {
      separate();
      writer.member(edits[i].key, *edits[i].value);
    }
  out += '}';
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

std::optional<std::string> splice_shaped_body(std::string_view raw, const json::object& parsed, const json::object& probe) {
  auto members = scan_top_level(raw);
  if (!members) return std::nullopt;
  boost::container::small_vector<MemberEdit, 8> edits;
  for (const auto& kv : probe) {
    const auto key = std::string_view(kv.key());
    const auto* before = parsed.if_contains(kv.key());
    if (before && is_placeholder(key) && before->is_array()) {
      // Unchanged only if still the empty stand-in; any other change is not known member-wise.
      if (!kv.value().is_array() || !kv.value().get_array().empty()) return std::nullopt;
      continue;
    }
    if (!before || *before != kv.value() || key == kRewrittenByControls) edits.push_back({key, &kv.value()});
  }
  // Removed by the shaping, or by the routing controls before it. A DOM member the bytes lack was
  // not parsed from them: nothing here knows where it came from.
  std::size_t parsed_seen = 0;
  for (const auto& m : *members) {
    const json::string_view key(m.key.data(), m.key.size());
    if (parsed.contains(key)) ++parsed_seen;
    if (!probe.contains(key)) edits.push_back({m.key, nullptr});
  }
  if (parsed_seen != parsed.size()) return std::nullopt;
  return splice_top_level(*members, edits);
}

}  // namespace switchyard::providers
