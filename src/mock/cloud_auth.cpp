#include "mock/cloud_auth.h"

#include <boost/json.hpp>

#include "providers/aws/sigv4.h"
#include "providers/google/service_account.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace google = providers::google;
namespace {

constexpr std::string_view kBearerPrefix = "Bearer ";
constexpr std::string_view kBedrockService = "bedrock";

TokenAnswer refuse(std::string_view error, std::string_view description) {
  return {400, json::serialize(json::object{{"error", error}, {"error_description", description}}), false};
}

// Google's answer to an assertion whose signature (or signer) it cannot verify.
TokenAnswer invalid_signature() { return refuse("invalid_grant", "Invalid JWT Signature."); }

std::string claim(const json::object& claims, std::string_view name) {
  if (const auto* v = claims.if_contains(name); v && v->is_string()) return std::string(v->get_string());
  return {};
}

bool has_scope(std::string_view scopes, std::string_view wanted) {
  while (!scopes.empty()) {
    const auto space = scopes.find(' ');
    if (scopes.substr(0, space) == wanted) return true;
    if (space == std::string_view::npos) break;
    scopes.remove_prefix(space + 1);
  }
  return false;
}

}  // namespace

TokenAnswer CloudAuth::grant(std::string_view form_body, std::chrono::system_clock::time_point now) {
  const auto form = google::parse_form(form_body);
  if (!form.ok()) return refuse("invalid_request", "Invalid request body: " + form.error);
  const auto grant_type = form.value->find("grant_type");
  if (grant_type == form.value->end() || grant_type->second != kJwtBearerGrant)
    return refuse("unsupported_grant_type", "Invalid grant_type: " +
                                                (grant_type == form.value->end() ? std::string() : grant_type->second));
  const auto assertion = form.value->find("assertion");
  if (assertion == form.value->end()) return refuse("invalid_request", "Missing required parameter: assertion");
  if (!credentials_.google_account) return invalid_signature();
  const auto& account = *credentials_.google_account;
  const auto claims = google::verify_jwt_rs256(assertion->second, account.private_key_pem, now);
  if (!claims.ok()) {
    if (claims.error == "jwt: expired" || claims.error == "jwt: missing exp claim")
      return refuse("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.");
    return invalid_signature();
  }
  if (claim(*claims.value, "iss") != account.client_email) return invalid_signature();
  if (claim(*claims.value, "aud") != account.token_uri)
    return refuse("invalid_grant", "Invalid JWT: Failed audience check. The right audience is " + account.token_uri);
  if (!has_scope(claim(*claims.value, "scope"), google::kCloudPlatformScope))
    return refuse("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
  std::string token = "mock-token-" + std::to_string(next_token_.fetch_add(1, std::memory_order_relaxed));
  issuer_.remember_google_token(token, std::chrono::seconds(credentials_.google_token_ttl_seconds));
  return {200,
          json::serialize(json::object{
              {"access_token", token}, {"expires_in", credentials_.google_token_ttl_seconds}, {"token_type", "Bearer"}}),
          true};
}

bool CloudAuth::bearer_ok(std::string_view authorization_header) const {
  if (!authorization_header.starts_with(kBearerPrefix)) return false;
  const auto token = authorization_header.substr(kBearerPrefix.size());
  if (token.empty()) return false;
  if (!credentials_.google_account && !credentials_.google) return true;
  return issuer_.issued_google_token(token);
}

bool CloudAuth::gemini_key_ok(std::string_view key) const {
  if (key.empty()) return false;
  return !credentials_.gemini_api_key || key == *credentials_.gemini_api_key;
}

SigV4Check CloudAuth::check_sigv4(std::string_view method, std::string_view target, const HeaderList& headers,
                                  std::string_view payload, std::chrono::system_clock::time_point now) const {
  if (!credentials_.aws) return SigV4Check::ok;
  const auto& aws = *credentials_.aws;
  bool unknown_key = false, expired = false;
  std::string session_token;
  for (const auto& [name, value] : headers)
    if (name == "x-amz-security-token") session_token = value;
  const providers::aws::SecretLookup lookup = [&](std::string_view akid) -> std::optional<std::string> {
    if (!aws.access_key_id.empty() && akid == aws.access_key_id) return aws.secret_access_key;
    auto issued = issuer_.issued_aws_secret(akid, session_token, expired);
    if (!issued) unknown_key = true;
    return issued;
  };
  const providers::aws::VerifyInput in{method, target, headers, payload, aws.region, kBedrockService, now};
  const auto why = providers::aws::verify(in, lookup);
  if (!why) return SigV4Check::ok;
  if (expired) return SigV4Check::expired_token;
  return unknown_key ? SigV4Check::unknown_access_key : SigV4Check::bad_signature;
}

}  // namespace switchyard::mock
