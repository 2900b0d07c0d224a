#include "config/redis_endpoint.h"

#include <charconv>

#include "core/text.h"

namespace switchyard::config {
namespace {

constexpr int kMaxPort = 65535;
constexpr int kMaxDb = 1'000'000;

bool parse_int(std::string_view s, int max, int& out) {
  if (s.empty()) return false;
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 0 || v > max) return false;
  out = v;
  return true;
}

}  // namespace

std::string RedisEndpoint::display() const {
  return (tls ? "rediss://" : "redis://") + host + ":" + std::to_string(port) + "/" + std::to_string(db);
}

std::variant<RedisEndpoint, std::string> parse_redis_url(std::string_view url) {
  RedisEndpoint ep;
  if (url.starts_with("rediss://")) {
    ep.tls = true;
    url.remove_prefix(9);
  } else if (url.starts_with("redis://")) {
    url.remove_prefix(8);
  } else {
    return std::string("redis_url must start with redis:// or rediss://");
  }
  if (const auto q = url.find_first_of("?#"); q != std::string_view::npos) url = url.substr(0, q);
  if (const auto at = url.rfind('@'); at != std::string_view::npos) {
    const auto info = url.substr(0, at);
    url.remove_prefix(at + 1);
    if (const auto colon = info.find(':'); colon != std::string_view::npos) {
      ep.username = core::percent_decode(info.substr(0, colon));
      ep.password = core::percent_decode(info.substr(colon + 1));
    } else {
      ep.password = core::percent_decode(info);  // redis://secret@host, as redis-py reads it
    }
  }
  std::string_view hostport = url;
  if (const auto slash = url.find('/'); slash != std::string_view::npos) {
    hostport = url.substr(0, slash);
    const auto db = url.substr(slash + 1);
    if (!db.empty() && !parse_int(db, kMaxDb, ep.db)) return "redis_url: database '" + std::string(db) + "' is not a number";
  }
  std::string_view host = hostport;
  if (hostport.starts_with('[')) {  // [::1]:6379
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return std::string("redis_url: unclosed '[' in the host");
    host = hostport.substr(1, close - 1);
    const auto rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':') || !parse_int(rest.substr(1), kMaxPort, ep.port))
        return "redis_url: bad port '" + std::string(rest) + "'";
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    if (!parse_int(hostport.substr(colon + 1), kMaxPort, ep.port) || ep.port == 0)
      return "redis_url: bad port '" + std::string(hostport.substr(colon + 1)) + "'";
  }
  if (host.empty()) return std::string("redis_url: the host is missing");
  ep.host = std::string(host);
  return ep;
}

}  // namespace switchyard::config
