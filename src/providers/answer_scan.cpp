#include "providers/answer_scan.h"

#include "providers/json_fields.h"

#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <string>

namespace switchyard::providers {
namespace json = boost::json;
namespace {

using boost::system::error_code;
using string_view = json::string_view;

// The keys that matter, by the object they appear in. Anything else is skipped (but validated).
enum class TopKey { other, answer_array, error, usage };
enum class UsageKey { other, input, output, cache_read, cache_creation, prompt_details };

class AnswerHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit AnswerHandler(core::WireFormat format) : anthropic_(format == core::WireFormat::anthropic) {}

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    if (depth_ == 0) top_is_object_ = true;
    if (depth_ == 3) in_message_ = in_choices() && choice_key_is_message_;
    if (depth_ == 1 && top_key_ == TopKey::usage) in_usage_ = true;
    if (depth_ == 2 && in_usage_ && usage_key_ == UsageKey::prompt_details) in_details_ = true;
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    --depth_;
    if (depth_ == 1) in_usage_ = false;
    if (depth_ == 2) in_details_ = false;
    if (depth_ == 3) in_message_ = false;
    return true;
  }
  bool on_array_begin(error_code&) {
    if (depth_ == 1 && top_key_ == TopKey::answer_array) facts_.is_answer_array = true;
    if (depth_ == 4 && in_message_ && message_key_is_content_) facts_.content_parts = true;
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_key_part(string_view part, std::size_t, error_code&) {
    if (depth_ <= 3 || (in_message_ && depth_ == 4)) key_.append(part.data(), part.size());
    return true;
  }
  bool on_key(string_view last, std::size_t, error_code&) {
    if (depth_ <= 3 || (in_message_ && depth_ == 4)) {
      std::string_view key(last.data(), last.size());
      if (!key_.empty()) key = key_.append(last.data(), last.size());
      take_key(key);
      key_.clear();
    }
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t v, string_view, error_code&) { return number(v); }
  bool on_uint64(std::uint64_t v, string_view, error_code&) { return number(static_cast<std::int64_t>(v)); }
  bool on_double(double v, string_view, error_code&) { return number(json_fields::integer_from_double(v)); }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  struct Facts {
    bool is_answer_array = false;
    bool has_error = false;
    bool content_parts = false;
    std::int64_t input = 0, output = 0, cache_read = 0, cache_creation = 0, cached = 0;
  };
  bool top_is_object() const { return top_is_object_; }
  const Facts& facts() const { return facts_; }

 private:
  // A key repeated at the top level replaces the earlier value, as in the DOM (last one wins).
  void take_key(std::string_view key) {
    if (depth_ == 1) {
      top_key_ = TopKey::other;
      if (key == (anthropic_ ? "content" : "choices")) {
        top_key_ = TopKey::answer_array;
        facts_.is_answer_array = false;
        facts_.content_parts = false;
      } else if (key == "error") {
        top_key_ = TopKey::error;
        facts_.has_error = true;
      } else if (key == "usage") {
        top_key_ = TopKey::usage;
        facts_.input = facts_.output = facts_.cache_read = facts_.cache_creation = facts_.cached = 0;
      }
    } else if (depth_ == 2 && in_usage_) {
      usage_key_ = usage_key_of(key);
      clear_usage_field();
    } else if (depth_ == 3 && in_choices()) {
      choice_key_is_message_ = key == "message";
    } else if (depth_ == 4 && in_message_) {
      message_key_is_content_ = key == "content";
    } else if (depth_ == 3 && in_details_) {
      details_cached_ = key == "cached_tokens";
      if (details_cached_) facts_.cached = 0;
    }
  }
  UsageKey usage_key_of(std::string_view key) const {
    if (key == (anthropic_ ? "input_tokens" : "prompt_tokens")) return UsageKey::input;
    if (key == (anthropic_ ? "output_tokens" : "completion_tokens")) return UsageKey::output;
    if (key == "cache_creation_input_tokens") return UsageKey::cache_creation;
    if (anthropic_ && key == "cache_read_input_tokens") return UsageKey::cache_read;
    if (!anthropic_ && key == "prompt_tokens_details") return UsageKey::prompt_details;
    return UsageKey::other;
  }
  void clear_usage_field() {
    if (auto* field = usage_field()) *field = 0;
    if (usage_key_ == UsageKey::prompt_details) facts_.cached = 0;
  }
  std::int64_t* usage_field() {
    switch (usage_key_) {
      case UsageKey::input: return &facts_.input;
      case UsageKey::output: return &facts_.output;
      case UsageKey::cache_read: return &facts_.cache_read;
      case UsageKey::cache_creation: return &facts_.cache_creation;
      default: return nullptr;
    }
  }
  bool number(std::int64_t v) {
    if (depth_ == 2 && in_usage_) {
      if (auto* field = usage_field()) *field = v;
    } else if (depth_ == 3 && in_details_ && details_cached_) {
      facts_.cached = v;
    }
    return true;
  }

  // Inside OpenAI's `choices` array (depth 2 holds its elements, depth 3 their keys).
  bool in_choices() const { return !anthropic_ && top_key_ == TopKey::answer_array; }

  bool anthropic_;
  int depth_ = 0;
  bool choice_key_is_message_ = false;
  bool in_message_ = false;  // inside choices[i].message
  bool message_key_is_content_ = false;
  bool top_is_object_ = false;
  bool in_usage_ = false;
  bool in_details_ = false;
  bool details_cached_ = false;
  TopKey top_key_ = TopKey::other;
  UsageKey usage_key_ = UsageKey::other;
  std::string key_;  // a key delivered in parts (escapes); usually unused
  Facts facts_;
};

}  // namespace

std::optional<AnswerFacts> scan_answer(core::WireFormat format, std::string_view body) {
  json::basic_parser<AnswerHandler> parser(json::parse_options{}, format);
  error_code ec;
  const auto used = parser.write_some(false, body.data(), body.size(), ec);
  if (ec || used != body.size() || !parser.done() || !parser.handler().top_is_object()) return std::nullopt;
  const auto& f = parser.handler().facts();
  AnswerFacts out;
  out.is_answer = f.is_answer_array && !f.has_error;
  out.content_parts = f.content_parts;
  if (format == core::WireFormat::anthropic) {
    out.usage.cache_creation_tokens = f.cache_creation;
    out.usage.input_tokens = f.input + f.cache_read + f.cache_creation;
    out.usage.output_tokens = f.output;
    out.usage.cached_tokens = f.cache_read;
  } else {
    out.usage.input_tokens = f.input;
    out.usage.output_tokens = f.output;
    out.usage.cached_tokens = f.cached;
    out.usage.cache_creation_tokens = f.cache_creation;
  }
  return out;
}

}  // namespace switchyard::providers
