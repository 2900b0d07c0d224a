#include "core/url_userinfo.h"

#include "core/text.h"

namespace switchyard::core {
namespace {

struct Authority {
  std::size_t begin = 0;  // first byte after "scheme://"
  std::size_t end = 0;    // the '/', '?', '#' that ends it, or the URL's end
  std::size_t at = std::string_view::npos;  // the last '@' inside it
};

std::optional<Authority> authority_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  Authority a;
  a.begin = scheme_end + 3;
  a.end = url.find_first_of("/?#", a.begin);
  if (a.end == std::string_view::npos) a.end = url.size();
  // RFC 3986 forbids '@' in a host, so the last one ends the userinfo (curl reads it the same way).
  const auto at = url.substr(a.begin, a.end - a.begin).rfind('@');
  if (at != std::string_view::npos) a.at = a.begin + at;
  return a;
}

}  // namespace

std::optional<Userinfo> userinfo_of(std::string_view url) {
  const auto a = authority_of(url);
  if (!a || a->at == std::string_view::npos) return std::nullopt;
  Userinfo u;
  u.raw = std::string(url.substr(a->begin, a->at - a->begin));
  const auto colon = u.raw.find(':');
  u.user = percent_decode(std::string_view(u.raw).substr(0, colon));
  if (colon != std::string::npos) u.password = percent_decode(std::string_view(u.raw).substr(colon + 1));
  return u;
}

std::string without_userinfo(std::string_view url) {
  const auto a = authority_of(url);
  if (!a || a->at == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, a->begin));
  out += url.substr(a->at + 1);
  return out;
}

}  // namespace switchyard::core
