#include "providers/aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

#include "core/digest.h"
#include "core/text.h"

namespace switchyard::providers::aws {
namespace {
using namespace std::chrono;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kScopeTerminator = "aws4_request";
constexpr std::size_t kAmzDateLength = 16;  // 20150830T123600Z
constexpr std::size_t kSha256Bytes = 32;

using Digest = std::array<unsigned char, kSha256Bytes>;

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
std::string_view view_of(const Digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

Digest hmac_sha256(std::string_view key, std::string_view data) {
  Digest out{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes_of(data), data.size(), out.data(), &length);
  return out;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

// Dot segments and empty segments removed, as botocore's normalize_url_path does for every
// service but S3 (the published suite's normalize-path vectors expect it).
std::string normalize_path(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> kept;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    const auto segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  if (path.back() == '/' && !kept.empty()) out += '/';
  return out;
}

// The path as sent is already URI-encoded once; AWS encodes each segment again for every service
// except S3, so "%3A" in a Bedrock model id ("…-v1%3A0") is signed as "%253A". Botocore does
// the same (quote(path, safe='/~') over the already-quoted path).
std::string canonical_uri(std::string_view path, std::string_view service) {
  if (service == "s3") return path.empty() ? "/" : std::string(path);
  return uri_encode(normalize_path(path), /*encode_slash=*/false);
}

// Each name and value decoded then encoded once, so a query sent raw ("?ሴ=bar") and one sent
// encoded sign alike; sorted by name, then value.
std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start < query.size()) {
    auto amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    const auto pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const auto name = pair.substr(0, eq);
    const auto value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    params.emplace_back(uri_encode(core::percent_decode(name), true), uri_encode(core::percent_decode(value), true));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

// Leading/trailing spaces trimmed, inner runs of spaces collapsed to one (the "get-header-value-trim" rule).
std::string canonical_header_value(std::string_view value) {
  const auto trimmed = core::trim(value);
  std::string out;
  out.reserve(trimmed.size());
  for (const char c : trimmed) {
    const bool space = c == ' ' || c == '\t';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

std::optional<system_clock::time_point> parse_amz_date(std::string_view s) {
  if (s.size() != kAmzDateLength || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int y = number(0, 4), mo = number(4, 2), d = number(6, 2), h = number(9, 2), mi = number(11, 2),
            sec = number(13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return sys_days{date} + hours{h} + minutes{mi} + seconds{sec};
}

std::string_view find_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers)
    if (core::iequals(n, name)) return v;
  return {};
}

bool has_header(const Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return core::iequals(h.first, name); });
}

std::string authorization_value(std::string_view access_key_id, std::string_view scope,
                                std::string_view signed_headers, std::string_view sig) {
  std::string out(kAlgorithm);
  out += " Credential=";
  out += access_key_id;
  out += '/';
  out += scope;
  out += ", SignedHeaders=";
  out += signed_headers;
  out += ", Signature=";
  out += sig;
  return out;
}

struct ParsedAuthorization {
  std::string access_key_id, date, region, service;
  std::string signed_headers, signature;
};

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::optional<ParsedAuthorization> parse_authorization(std::string_view value) {
  if (!value.starts_with(kAlgorithm) || value.size() <= kAlgorithm.size() || value[kAlgorithm.size()] != ' ')
    return std::nullopt;
  ParsedAuthorization out;
  bool credential = false, signed_headers = false, sig = false;
  for (const auto raw : split(value.substr(kAlgorithm.size() + 1), ',')) {
    const auto part = core::trim(raw);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    const auto name = part.substr(0, eq), v = part.substr(eq + 1);
    if (name == "Credential") {
      const auto scope = split(v, '/');
      if (scope.size() != 5 || scope[4] != kScopeTerminator) return std::nullopt;
      out.access_key_id = scope[0];
      out.date = scope[1];
      out.region = scope[2];
      out.service = scope[3];
      credential = true;
    } else if (name == "SignedHeaders") {
      out.signed_headers = v;
      signed_headers = true;
    } else if (name == "Signature") {
      out.signature = v;
      sig = true;
    }
  }
  if (!credential || !signed_headers || !sig) return std::nullopt;
  return out;
}

}  // namespace

std::string uri_encode(std::string_view s, bool encode_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (c == '/' && !encode_slash)) {
      out += ch;
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 0xf];
    }
  }
  return out;
}

std::string amz_date(system_clock::time_point t) {
  const auto day_start = floor<days>(t);
  const year_month_day date{day_start};
  const hh_mm_ss time{floor<seconds>(t - day_start)};
  char buf[64];  // roomy: the compiler cannot see that years stay four digits
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buf;
}

CanonicalRequest canonical_request(std::string_view method, std::string_view target, const Headers& headers,
                                   std::string_view payload, std::string_view service) {
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);

  std::map<std::string, std::string> canonical;  // sorted by lower-case name
  for (const auto& [name, value] : headers) {
    auto [it, fresh] = canonical.try_emplace(core::to_lower_ascii(name), canonical_header_value(value));
    if (!fresh) it->second += ',' + canonical_header_value(value);
  }
  CanonicalRequest out;
  out.text.append(method).append("\n");
  out.text.append(canonical_uri(path, service)).append("\n");
  out.text.append(canonical_query(query)).append("\n");
  for (const auto& [name, value] : canonical) {
    out.text.append(name).append(":").append(value).append("\n");
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  out.text.append("\n").append(out.signed_headers).append("\n").append(core::sha256_hex(payload));
  return out;
}

std::string credential_scope(std::string_view amz_date_value, std::string_view region, std::string_view service) {
  std::string out(amz_date_value.substr(0, 8));
  out.append("/").append(region).append("/").append(service).append("/").append(kScopeTerminator);
  return out;
}

std::string string_to_sign(std::string_view amz_date_value, std::string_view scope,
                           std::string_view canonical_request_text) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date_value).append("\n").append(scope).append("\n");
  out.append(core::sha256_hex(canonical_request_text));
  return out;
}

std::string signature(std::string_view secret_access_key, std::string_view amz_date_value, std::string_view region,
                      std::string_view service, std::string_view string_to_sign_text) {
  const std::string secret = "AWS4" + std::string(secret_access_key);
  const auto date_key = hmac_sha256(secret, amz_date_value.substr(0, 8));
  const auto region_key = hmac_sha256(view_of(date_key), region);
  const auto service_key = hmac_sha256(view_of(region_key), service);
  const auto signing_key = hmac_sha256(view_of(service_key), kScopeTerminator);
  return core::hex_lower(view_of(hmac_sha256(view_of(signing_key), string_to_sign_text)));
}

Headers sign(const SigningInput& in, const Credentials& credentials) {
  const auto date = amz_date(in.now);
  Headers added{{"x-amz-date", date}};
  if (!credentials.session_token.empty()) added.emplace_back("x-amz-security-token", credentials.session_token);

  Headers to_sign{{"host", in.host}};
  for (const auto& [name, value] : in.headers) {
    const auto lower = core::to_lower_ascii(name);
    if (lower == "content-type" || (lower.starts_with("x-amz-") && lower != "x-amz-date" &&
                                    lower != "x-amz-security-token"))
      to_sign.emplace_back(name, value);
  }
  to_sign.insert(to_sign.end(), added.begin(), added.end());

  const auto canonical = canonical_request(in.method, in.target, to_sign, in.payload, in.service);
  const auto scope = credential_scope(date, in.region, in.service);
  const auto sig = signature(credentials.secret_access_key, date, in.region, in.service,
                             string_to_sign(date, scope, canonical.text));
  added.emplace_back("authorization", authorization_value(credentials.access_key_id, scope, canonical.signed_headers, sig));
  return added;
}

std::optional<std::string> verify(const VerifyInput& in, const SecretLookup& secret_for) {
  if (!has_header(in.headers, "authorization")) return "missing Authorization header";
  const auto auth = parse_authorization(find_header(in.headers, "authorization"));
  if (!auth) return "malformed Authorization header";

  const auto date_value = find_header(in.headers, "x-amz-date");
  const auto signed_at = parse_amz_date(date_value);
  if (!signed_at) return "missing or malformed x-amz-date header";
  if (auth->date != date_value.substr(0, 8)) return "credential scope date does not match x-amz-date";
  const auto skew = in.now > *signed_at ? in.now - *signed_at : *signed_at - in.now;
  if (skew > in.max_clock_skew) return "signature expired: x-amz-date is more than the allowed clock skew from now";

  if (!in.region.empty() && auth->region != in.region) return "credential scope region '" + auth->region + "' is wrong";
  if (!in.service.empty() && auth->service != in.service)
    return "credential scope service '" + auth->service + "' is wrong";

  const auto secret = secret_for ? secret_for(auth->access_key_id) : std::nullopt;
  if (!secret) return "unknown access key id";

  Headers signed_headers;
  bool host_signed = false;
  for (const auto name : split(auth->signed_headers, ';')) {
    if (name.empty()) return "empty name in SignedHeaders";
    host_signed = host_signed || name == "host";
    bool present = false;
    for (const auto& [n, v] : in.headers)
      if (core::iequals(n, name)) {
        signed_headers.emplace_back(n, v);
        present = true;
      }
    if (!present) return "signed header '" + std::string(name) + "' is missing";
  }
  if (!host_signed) return "the host header must be signed";

  const auto canonical = canonical_request(in.method, in.target, signed_headers, in.payload, auth->service);
  const auto scope = credential_scope(date_value, auth->region, auth->service);
  const auto expected = signature(*secret, date_value, auth->region, auth->service,
                                  string_to_sign(date_value, scope, canonical.text));
  if (canonical.signed_headers != auth->signed_headers) return "SignedHeaders is not sorted lower-case names";
  if (expected.size() != auth->signature.size() ||
      CRYPTO_memcmp(expected.data(), auth->signature.data(), expected.size()) != 0)
    return "signature does not match";
  return std::nullopt;
}

}  // namespace switchyard::providers::aws
