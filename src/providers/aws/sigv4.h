// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html):
// signs the requests the Bedrock provider sends, and verifies them in the mock server exactly as
// AWS would, so a signing mistake fails in our own tests instead of against AWS. Pure apart from
// OpenSSL's HMAC/SHA-256; never throws on malformed input (verify answers with a reason instead).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchyard::providers::aws {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials
};

struct SigningInput {
  std::string method;
  std::string host;    // the Host header value, with :port when not the scheme's default
  std::string target;  // path + query exactly as sent on the request line (already URI-encoded once)
  Headers headers;     // the request's other headers; content-type and x-amz-* ones get signed
  std::string_view payload;
  std::string region;
  std::string service;
  std::chrono::system_clock::time_point now;
};

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - _ . ~) kept,
// every other byte as %XX with upper-case hex; '/' kept unless `encode_slash`.
std::string uri_encode(std::string_view s, bool encode_slash);

// "20150830T123600Z" (ISO 8601 basic, UTC), the x-amz-date format.
std::string amz_date(std::chrono::system_clock::time_point t);

struct CanonicalRequest {
  std::string text;            // the canonical request itself
  std::string signed_headers;  // "host;x-amz-date", as it appears in the Authorization header
};

// `headers` are exactly the headers to sign (host included), in any case and order; repeated
// names are joined with ','. `service` matters: every service but S3 encodes the path twice.
CanonicalRequest canonical_request(std::string_view method, std::string_view target, const Headers& headers,
                                   std::string_view payload, std::string_view service);

// "<yyyymmdd>/<region>/<service>/aws4_request"
std::string credential_scope(std::string_view amz_date_value, std::string_view region, std::string_view service);

std::string string_to_sign(std::string_view amz_date_value, std::string_view scope,
                           std::string_view canonical_request_text);

// Hex HMAC-SHA256 of `string_to_sign` under the key derived from the secret and the scope.
std::string signature(std::string_view secret_access_key, std::string_view amz_date_value, std::string_view region,
                      std::string_view service, std::string_view string_to_sign_text);

// The headers to add to the request: x-amz-date, x-amz-security-token (temporary credentials
// only) and authorization. Signs host, content-type, x-amz-date, x-amz-security-token and every
// x-amz-* header of `in.headers`.
Headers sign(const SigningInput& in, const Credentials& credentials);

struct VerifyInput {
  std::string_view method;
  std::string_view target;  // path + query as received on the request line
  const Headers& headers;   // as received, host, authorization and x-amz-date included
  std::string_view payload;
  std::string_view region;   // expected; empty: accept the credential scope's
  std::string_view service;  // expected; empty: accept the credential scope's
  std::chrono::system_clock::time_point now;
  std::chrono::seconds max_clock_skew{300};  // AWS rejects requests more than 5 minutes off
};

// The secret for an access key id, nullopt when the key is unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key_id)>;

// nullopt when the request carries a valid signature; otherwise why it does not (for the mock's
// error message). Recomputes the signature over the headers the Authorization header lists.
std::optional<std::string> verify(const VerifyInput& in, const SecretLookup& secret_for);

}  // namespace switchyard::providers::aws
