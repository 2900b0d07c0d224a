#include "providers/google/service_account.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/params_view.hpp>
#include <fstream>
#include <limits>
#include <memory>

#include "core/text.h"
#include "providers/json_fields.h"

namespace switchyard::providers::google {
namespace json = boost::json;
namespace {
using json_fields::integer;
using json_fields::str;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

// OpenSSL's error queue is per thread and shared with the TLS code on the same thread; a failed
// PEM parse must not leave entries there for SSL_get_error to misread later.
template <class T>
Result<T> openssl_failure(std::string why) {
  ERR_clear_error();
  return Result<T>::failure(std::move(why));
}

Bio memory_bio(std::string_view pem) {
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return nullptr;
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

Pkey read_private_key(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return nullptr;
  return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// A public key PEM, or else a private key PEM (whose EVP_PKEY verifies with its public half).
Pkey read_verification_key(std::string_view pem) {
  if (auto bio = memory_bio(pem))
    if (Pkey key{PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)}) return key;
  ERR_clear_error();
  return read_private_key(pem);
}

// Key files pasted into environment variables sometimes carry a literal "\n" instead of the
// newline the JSON escape stood for; PEM needs real line breaks.
std::string unescape_newlines(std::string_view pem) {
  if (pem.find('\n') != std::string_view::npos) return std::string(pem);
  std::string out;
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += pem[i];
    }
  }
  return out;
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

constexpr std::string_view kBase64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::uint32_t bits = 0;
  int pending = 0;
  for (const char ch : bytes) {
    bits = (bits << 8) | static_cast<unsigned char>(ch);
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out += kBase64UrlAlphabet[(bits >> pending) & 0x3f];
    }
  }
  if (pending > 0) out += kBase64UrlAlphabet[(bits << (6 - pending)) & 0x3f];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // no byte count leaves one stray character
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t bits = 0;
  int pending = 0;
  for (const char ch : text) {
    const int v = base64url_value(ch);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      out += static_cast<char>((bits >> pending) & 0xff);
    }
  }
  return out;
}

Result<ServiceAccount> parse_service_account(std::string_view json_text) {
  using R = Result<ServiceAccount>;
  const auto doc = parse_object(json_text);
  if (!doc) return R::failure("service account: not a JSON object");
  const auto type = str(*doc, "type");
  if (type.empty()) return R::failure("service account: missing field \"type\"");
  if (type != "service_account")
    return R::failure("service account: field \"type\" is \"" + std::string(type) + "\", expected \"service_account\"");
  ServiceAccount account;
  const std::pair<std::string_view, std::string*> required[] = {{"project_id", &account.project_id},
                                                                {"private_key_id", &account.private_key_id},
                                                                {"private_key", &account.private_key_pem},
                                                                {"client_email", &account.client_email}};
  for (const auto& [name, field] : required) {
    const auto value = str(*doc, name);
    if (value.empty()) return R::failure("service account: missing field \"" + std::string(name) + "\"");
    *field = std::string(value);
  }
  account.private_key_pem = unescape_newlines(account.private_key_pem);
  const auto token_uri = str(*doc, "token_uri");
  account.token_uri = token_uri.empty() ? std::string(kDefaultTokenUri) : std::string(token_uri);
  return R::success(std::move(account));
}

Result<ServiceAccount> load_service_account(std::string_view path_or_json) {
  if (core::trim(path_or_json).starts_with('{')) return parse_service_account(path_or_json);
  const std::string path(core::trim(path_or_json));
  std::ifstream file(path, std::ios::binary);
  if (!file) return Result<ServiceAccount>::failure("service account: cannot open file " + path);
  std::string text(kMaxKeyFileBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxKeyFileBytes) return Result<ServiceAccount>::failure("service account: file too large: " + path);
  auto parsed = parse_service_account(text);
  if (!parsed.ok()) parsed.error += " (in " + path + ")";
  return parsed;
}

Result<std::string> make_jwt_assertion(const ServiceAccount& account, std::string_view scope,
                                       std::chrono::system_clock::time_point now) {
  using R = Result<std::string>;
  const Pkey key = read_private_key(account.private_key_pem);
  if (!key || !EVP_PKEY_is_a(key.get(), "RSA"))
    return openssl_failure<std::string>("service account: private_key is not a PEM RSA private key");
  const json::object header{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", account.private_key_id}};
  const std::int64_t iat = unix_seconds(now);
  const json::object claims{{"iss", account.client_email},
                            {"scope", scope},
                            {"aud", account.token_uri},
                            {"iat", iat},
                            {"exp", iat + kAssertionLifetime.count()}};
  const std::string signing_input =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(claims));

  // RS256 = RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3); PKCS#1 v1.5 is RSA's default padding.
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t signature_size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &signature_size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1)
    return openssl_failure<std::string>("service account: cannot sign with private_key");
  std::string signature(signature_size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &signature_size,
                     reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1)
    return openssl_failure<std::string>("service account: cannot sign with private_key");
  signature.resize(signature_size);
  return R::success(signing_input + "." + base64url_encode(signature));
}

std::string token_request_body(std::string_view jwt) {
  // The assertion is base64url segments joined by '.', all unreserved in form encoding.
  return "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + std::string(jwt);
}

Result<AccessToken> parse_token_response(std::string_view body) {
  using R = Result<AccessToken>;
  const auto doc = parse_object(body);
  if (!doc) return R::failure("token endpoint: answer is not a JSON object");
  if (const auto error = str(*doc, "error"); !error.empty()) {
    const auto description = str(*doc, "error_description");
    return R::failure(description.empty() ? std::string(error) : std::string(error) + ": " + std::string(description));
  }
  AccessToken token;
  token.access_token = std::string(str(*doc, "access_token"));
  if (token.access_token.empty()) return R::failure("token endpoint: answer has no access_token");
  // Google always sends expires_in (3599); if a look-alike does not, assume the usual hour.
  token.expires_in_seconds = doc->contains("expires_in") ? integer(*doc, "expires_in") : kAssertionLifetime.count();
  return R::success(std::move(token));
}

Result<json::object> verify_jwt_rs256(std::string_view jwt, std::string_view public_or_private_key_pem,
                                      std::chrono::system_clock::time_point now) {
  using R = Result<json::object>;
  const auto first_dot = jwt.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : jwt.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || jwt.find('.', second_dot + 1) != std::string_view::npos)
    return R::failure("jwt: not three dot-separated segments");
  const auto header_text = base64url_decode(jwt.substr(0, first_dot));
  const auto claims_text = base64url_decode(jwt.substr(first_dot + 1, second_dot - first_dot - 1));
  const auto signature = base64url_decode(jwt.substr(second_dot + 1));
  if (!header_text || !claims_text || !signature) return R::failure("jwt: a segment is not base64url");
  const auto header = parse_object(*header_text);
  if (!header) return R::failure("jwt: header is not a JSON object");
  if (const auto alg = str(*header, "alg"); alg != "RS256")
    return R::failure("jwt: alg is \"" + std::string(alg) + "\", expected \"RS256\"");
  auto claims = parse_object(*claims_text);
  if (!claims) return R::failure("jwt: claims are not a JSON object");

  const Pkey key = read_verification_key(public_or_private_key_pem);
  if (!key || !EVP_PKEY_is_a(key.get(), "RSA")) return openssl_failure<json::object>("jwt: key is not a PEM RSA key");
  const std::string_view signing_input = jwt.substr(0, second_dot);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
    return openssl_failure<json::object>("jwt: cannot set up verification");
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1)
    return openssl_failure<json::object>("jwt: bad signature");

  const auto* exp = claims->if_contains("exp");
  if (!exp || !exp->is_number()) return R::failure("jwt: missing exp claim");
  if (integer(*claims, "exp") <= unix_seconds(now)) return R::failure("jwt: expired");
  return R::success(std::move(*claims));
}

Result<std::map<std::string, std::string>> parse_form(std::string_view body) {
  using R = Result<std::map<std::string, std::string>>;
  // Validated first: the params_view constructor below throws on malformed input. (Boost 1.81
  // does not export the non-throwing params_view(params_view, encoding_opts) it declares.)
  if (!boost::urls::parse_query(body)) return R::failure("form: malformed percent-encoding");
  boost::urls::encoding_opts form_encoding;
  form_encoding.space_as_plus = true;  // application/x-www-form-urlencoded, unlike URL queries
  std::map<std::string, std::string> fields;
  for (const auto& param : boost::urls::params_view(body, form_encoding)) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    fields[param.key] = param.value;
  }
  return R::success(std::move(fields));
}

}  // namespace switchyard::providers::google
