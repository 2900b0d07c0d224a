#include "config/model_patterns.h"

#include <algorithm>

namespace switchyard::config {
namespace {

// Python's re.escape (3.7+) escapes exactly these; the specificity key counts on the same text.
constexpr std::string_view kPythonEscaped = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
constexpr std::string_view kComplexityChars = "*+?\\^$|()";

std::string python_regex(std::string_view pattern) {
  std::string out;
  for (char c : pattern) {
    if (c == '*') out += "(.*)";
    else if (kPythonEscaped.find(c) != std::string_view::npos) (out += '\\') += c;
    else out += c;
  }
  return out;
}

}  // namespace

bool has_wildcard(std::string_view name) { return name.find('*') != std::string_view::npos; }

WildcardPattern::WildcardPattern(std::string pattern) : pattern_(std::move(pattern)) {
  const auto py = python_regex(pattern_);
  std::size_t complexity = 0;
  for (char c : py) complexity += kComplexityChars.find(c) != std::string_view::npos ? 1 : 0;
  specificity_ = {py.size(), complexity};
  std::string re2_text = "^";
  for (char c : pattern_) {
    if (c == '*') {
      re2_text += "(.*)";
      ++captures_;
    } else {
      re2_text += RE2::QuoteMeta(std::string_view(&c, 1));
    }
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_dot_nl(true);
  regex_ = std::make_shared<const re2::RE2>(re2_text, options);
}

std::optional<std::vector<std::string>> WildcardPattern::match(std::string_view name) const {
  if (!regex_->ok()) return std::nullopt;
  std::vector<std::string> segments(static_cast<std::size_t>(captures_));
  std::vector<re2::RE2::Arg> args(segments.size());
  std::vector<const re2::RE2::Arg*> arg_ptrs(segments.size());
  for (std::size_t i = 0; i < segments.size(); ++i) {
    args[i] = &segments[i];
    arg_ptrs[i] = &args[i];
  }
  if (!RE2::PartialMatchN(name, *regex_, arg_ptrs.data(), static_cast<int>(arg_ptrs.size()))) return std::nullopt;
  return segments;
}

std::string substitute_wildcards(std::string_view litellm_model, const std::vector<std::string>& segments,
                                 std::string_view requested) {
  const auto stars = static_cast<std::size_t>(std::count(litellm_model.begin(), litellm_model.end(), '*'));
  if (stars == 0) return std::string(litellm_model);
  if (segments.size() > stars) return std::string(requested);
  std::string out(litellm_model);
  for (const auto& segment : segments) {
    const auto at = out.find('*');
    if (at == std::string::npos) break;
    out.replace(at, 1, segment);
  }
  return out;
}

}  // namespace switchyard::config
