#include "providers/auth/credential.h"

#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <ctime>
#include <fstream>

#include "core/text.h"
#include "providers/json_fields.h"

namespace switchyard::providers::auth {
namespace json = boost::json;

errors::UpstreamError refused(core::Provider provider, std::string message) {
  errors::UpstreamError e;
  e.provider = provider;
  e.status = 401;
  json::object error{{"code", 401}, {"type", "authentication_error"}, {"status", "UNAUTHENTICATED"},
                     {"message", std::move(message)}};
  e.body = json::serialize(json::object{{"error", std::move(error)}});
  return e;
}

Fetched refused_fetch(core::Provider provider, std::string message) { return Fetched{nullptr, refused(provider, std::move(message))}; }

http::Awaitable<http::UpstreamResponse> send(http::UpstreamRequest request) {
  const auto executor = co_await boost::asio::this_coro::executor;
  co_return co_await http::client_pool_for_this_thread(executor).send(request);
}

errors::UpstreamError call_failed(core::Provider provider, std::string_view what, const http::UpstreamResponse& response,
                                  std::string_view provider_message) {
  if (response.transport_error != errors::TransportError::none) {
    errors::UpstreamError e;
    e.provider = provider;
    e.transport_error = response.transport_error;
    e.body = std::string(what) + ": " + response.transport_message;
    return e;
  }
  std::string message = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!provider_message.empty()) message += ": " + std::string(provider_message);
  if (response.status >= 500) {
    errors::UpstreamError e;
    e.provider = provider;
    e.status = response.status;
    e.body = json::serialize(json::object{{"error", json::object{{"type", "api_error"}, {"message", message}}}});
    return e;
  }
  return refused(provider, std::move(message));
}

std::optional<OAuthToken> parse_oauth_token(std::string_view body, std::string& error) {
  const auto doc = json_fields::parse_object(body);
  if (!doc) {
    error = "token endpoint answer is not a JSON object";
    return std::nullopt;
  }
  if (const auto code = json_fields::str(*doc, "error"); !code.empty()) {
    const auto description = json_fields::str(*doc, "error_description");
    error = description.empty() ? std::string(code) : std::string(code) + ": " + std::string(description);
    return std::nullopt;
  }
  OAuthToken token;
  token.access_token = std::string(json_fields::str(*doc, "access_token"));
  if (token.access_token.empty()) {
    error = "token endpoint answer has no access_token";
    return std::nullopt;
  }
  if (const auto* v = doc->if_contains("expires_in")) {
    if (v->is_string()) token.expires_in_seconds = std::strtoll(std::string(v->get_string()).c_str(), nullptr, 10);
    else if (v->is_number()) token.expires_in_seconds = json_fields::integer(*doc, "expires_in");
  }
  return token;
}

http::Awaitable<Fetched> fetch_oauth_token(core::Provider provider, http::UpstreamRequest request, std::string what) {
  const auto requested_at = WallClock::now();
  auto response = co_await send(std::move(request));
  std::string error;
  std::optional<OAuthToken> token;
  if (response.transport_error == errors::TransportError::none) token = parse_oauth_token(response.body, error);
  if (!response.ok() || !token) {
    // A non-2xx that still parsed as a token: say so without echoing the token.
    if (error.empty() && response.transport_error == errors::TransportError::none)
      error = token ? "answered HTTP " + std::to_string(response.status) + " with a token" : response.body.substr(0, 512);
    co_return Fetched{nullptr, call_failed(provider, what, response, error)};
  }
  auto c = std::make_shared<Credential>();
  c->bearer = std::move(token->access_token);
  c->expires_at = requested_at + std::chrono::seconds(token->expires_in_seconds);
  co_return Fetched{std::move(c), {}};
}

std::optional<http::UpstreamRequest> request_for(std::string_view url, http::beast_http::verb method) {
  const auto query_at = url.find('?');
  const auto parsed = http::parse_url(url.substr(0, query_at));
  if (!parsed) return std::nullopt;
  http::UpstreamRequest request;
  request.url = *parsed;
  request.method = method;
  // The path exactly as given (parse_url drops a trailing slash, which IMDS paths need).
  const auto scheme_end = url.find("://");
  const auto path_at = scheme_end == std::string_view::npos ? std::string_view::npos : url.find('/', scheme_end + 3);
  if (path_at == std::string_view::npos || (query_at != std::string_view::npos && path_at > query_at)) {
    // Appended, not `"/" + …`: GCC 12 -O3 reports a false -Wrestrict on a prepended literal (PR105329).
    request.target.assign(1, '/');
    if (query_at != std::string_view::npos) request.target.append(url.substr(query_at));
  } else {
    request.target.assign(url.substr(path_at));
  }
  request.timeout = kCredentialRequestTimeout;
  request.connect_timeout = kCredentialRequestTimeout;
  return request;
}

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string text(kMaxCredentialFileBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxCredentialFileBytes) return std::nullopt;
  return std::string(core::trim(text));
}

std::string form_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::optional<WallClock::time_point> parse_iso8601(std::string_view text) {
  text = core::trim(text);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  int consumed = 0;
  const std::string copy(text.substr(0, 64));
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6) return std::nullopt;
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (rest.starts_with('.'))  // fractional seconds: ignored
    while (!rest.empty() && (rest.front() == '.' || (rest.front() >= '0' && rest.front() <= '9'))) rest.remove_prefix(1);
  long offset_seconds = 0;
  if (rest == "Z" || rest == "z" || rest.empty()) {
  } else if ((rest.front() == '+' || rest.front() == '-') && rest.size() == 6 && rest[3] == ':') {
    const int oh = (rest[1] - '0') * 10 + (rest[2] - '0');
    const int om = (rest[4] - '0') * 10 + (rest[5] - '0');
    offset_seconds = (oh * 3600L + om * 60L) * (rest.front() == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const std::time_t t = timegm(&tm);
  return WallClock::from_time_t(t - offset_seconds);
}

}  // namespace switchyard::providers::auth
