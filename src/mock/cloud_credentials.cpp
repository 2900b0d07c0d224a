#include "mock/cloud_credentials.h"

#include <boost/json.hpp>

#include "mock/cloud_routes.h"
#include "providers/aws/sigv4.h"
#include "providers/aws/sts.h"
#include "providers/google/service_account.h"

namespace switchyard::mock {
namespace json = boost::json;
namespace beast_http = http::beast_http;
namespace aws = providers::aws;
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kXml = "text/xml";
constexpr std::string_view kTokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr std::string_view kJwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::string_view kCognitiveScope = "https://cognitiveservices.azure.com/.default";
constexpr std::string_view kCognitiveResource = "https://cognitiveservices.azure.com";
constexpr std::string_view kCloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";
constexpr std::string_view kImdsRole = "switchyard-mock-role";
constexpr std::string_view kBearer = "Bearer ";

http::Response respond(unsigned status, std::string_view type, std::string body) {
  http::Response res{static_cast<beast_http::status>(status), 11};
  res.set(beast_http::field::content_type, type);
  res.body() = std::move(body);
  return res;
}

http::Response oauth_error(unsigned status, std::string_view error, std::string_view description) {
  return respond(status, kJson, json::serialize(json::object{{"error", error}, {"error_description", description}}));
}

http::Response sts_error(unsigned status, std::string_view code, std::string_view message) {
  return respond(status, kXml, aws::sts_error_xml(code, message));
}

std::string field(const std::map<std::string, std::string>& form, const std::string& name) {
  const auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::string bearer_of(const http::Request& request) {
  const std::string_view value = request[beast_http::field::authorization];
  return value.starts_with(kBearer) ? std::string(value.substr(kBearer.size())) : std::string();
}

std::string base64(std::string_view raw) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < raw.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i])) << 16;
    if (i + 1 < raw.size()) n |= static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i + 1])) << 8;
    if (i + 2 < raw.size()) n |= static_cast<unsigned char>(raw[i + 2]);
    out += kB64[(n >> 18) & 63];
    out += kB64[(n >> 12) & 63];
    out += i + 1 < raw.size() ? kB64[(n >> 6) & 63] : '=';
    out += i + 2 < raw.size() ? kB64[n & 63] : '=';
  }
  return out;
}

json::object oauth_body(const std::string& token, long ttl) {
  return {{"access_token", token}, {"expires_in", ttl}, {"token_type", "Bearer"}};
}

}  // namespace

std::string CredentialIssuer::issue_token(std::string_view prefix, std::chrono::seconds ttl) {
  std::lock_guard lock(mutex_);
  std::string token = std::string(prefix) + std::to_string(next_++);
  tokens_[token] = Steady::now() + ttl;
  return token;
}

void CredentialIssuer::remember_google_token(const std::string& token, std::chrono::seconds ttl) {
  std::lock_guard lock(mutex_);
  tokens_[token] = Steady::now() + ttl;
}

bool CredentialIssuer::issued_token_ok(std::string_view token) const {
  std::lock_guard lock(mutex_);
  const auto it = tokens_.find(token);
  return it != tokens_.end() && Steady::now() < it->second;
}

bool CredentialIssuer::issued_google_token(std::string_view token) const { return issued_token_ok(token); }

std::string CredentialIssuer::issue_aws(std::string& secret, std::string& session_token,
                                        std::chrono::system_clock::time_point& expiry) {
  std::lock_guard lock(mutex_);
  const auto n = std::to_string(next_++);
  std::string akid = "ASIAMOCK" + std::string(12 - std::min<std::size_t>(12, n.size()), '0') + n;
  secret = "mockSecret/" + n + "/K7MDENGbPxRfiCY";
  session_token = "IQoJb3JpZ2luX2VjEMock" + n + "SessionToken//////////wEaCXVzLWVhc3QtMSJH";
  // Valid until the whole second announced in <Expiration> (ISO 8601 has no fraction here), not
  // a moment longer: a caller that uses keys up to their announced expiry gets refused.
  const auto now = std::chrono::system_clock::now();
  expiry = std::chrono::floor<std::chrono::seconds>(now + std::chrono::seconds(config_.aws->credentials_ttl_seconds));
  aws_[akid] = {secret, session_token, Steady::now() + std::chrono::duration_cast<Steady::duration>(expiry - now)};
  return akid;
}

std::optional<std::string> CredentialIssuer::issued_aws_secret(std::string_view akid, std::string_view session_token,
                                                               bool& expired) const {
  std::lock_guard lock(mutex_);
  const auto it = aws_.find(akid);
  if (it == aws_.end() || it->second.session_token != session_token) return std::nullopt;
  if (Steady::now() >= it->second.expires) {
    expired = true;
    return std::nullopt;
  }
  return it->second.secret;
}

void CredentialIssuer::count(const std::string& flow, bool granted) {
  std::lock_guard lock(mutex_);
  auto& c = counts_[flow];
  (granted ? c.first : c.second)++;
}

std::optional<http::Response> CredentialIssuer::answer(const http::Request& request, std::string_view path) {
  const auto method = request.method();
  if (path == "/mock/credentials" && method == beast_http::verb::get) {
    json::object flows;
    std::lock_guard lock(mutex_);
    for (const auto& [flow, c] : counts_) flows[flow] = json::object{{"granted", c.first}, {"refused", c.second}};
    return respond(200, kJson, json::serialize(flows));
  }
  const bool form_post = method == beast_http::verb::post &&
                         request[beast_http::field::content_type].starts_with("application/x-www-form-urlencoded");
  std::map<std::string, std::string> form;
  if (form_post) {
    auto parsed = providers::google::parse_form(request.body());
    if (parsed.ok()) form = std::move(*parsed.value);
  }
  if (config_.aws) {
    if (form_post && form.contains("Action")) return sts(request, field(form, "Action"), form);
    if (method == beast_http::verb::get && (path == "/v1/credentials" || path.starts_with("/ecs/")))
      return aws_container(request);
    if (path.starts_with("/latest/")) return aws_imds(request, path);
  }
  if (config_.google) {
    if (path.starts_with("/computeMetadata/")) return google_metadata(request, path);
    // A subject-token URL for workload identity federation (as an OIDC provider's or Azure's
    // IMDS would serve it): JSON with the configured token, behind a required header.
    if (path == "/mock/subject-token" && method == beast_http::verb::get) {
      if (request["metadata"] != "True") return respond(400, kJson, R"({"error":"Metadata header required"})");
      return respond(200, kJson, json::serialize(json::object{{"access_token", config_.google->subject_token}}));
    }
    if (method == beast_http::verb::post && path.ends_with(":generateAccessToken")) return google_impersonate(request);
    const auto grant = field(form, "grant_type");
    if (form_post && is_token_path(path) && (grant == "refresh_token" || grant == kTokenExchangeGrant))
      return google_token(form, grant);
  }
  if (config_.azure) {
    if (form_post && path.ends_with("/oauth2/v2.0/token")) return entra_token(form);
    if (method == beast_http::verb::get && path == "/metadata/identity/oauth2/token") return azure_imds(request);
  }
  if (config_.databricks && form_post && path.ends_with("/oidc/v1/token")) return databricks_token(request, form);
  return std::nullopt;
}

http::Response CredentialIssuer::sts(const http::Request& request, std::string_view action,
                                     const std::map<std::string, std::string>& form) {
  const auto& cfg = *config_.aws;
  const auto role = field(form, "RoleArn");
  const auto session = field(form, "RoleSessionName");
  const std::string flow = "sts_" + std::string(action == "AssumeRole" ? "assume_role" : "assume_role_with_web_identity");
  const auto refuse = [&](unsigned status, std::string_view code, std::string_view message) {
    count(flow, false);
    return sts_error(status, code, message);
  };
  if (field(form, "Version") != aws::kStsVersion) return refuse(400, "InvalidAction", "Could not find operation for version");
  if (role.empty() || session.empty()) return refuse(400, "MissingParameter", "RoleArn and RoleSessionName are required");
  if (action == "AssumeRoleWithWebIdentity") {
    if (request.count(beast_http::field::authorization))
      return refuse(400, "InvalidParameterValue", "AssumeRoleWithWebIdentity must not be signed");
    if (cfg.web_identity_token.empty() || field(form, "WebIdentityToken") != cfg.web_identity_token)
      return refuse(400, "InvalidIdentityToken", "Couldn't verify the provided web identity token");
  } else if (action == "AssumeRole") {
    const auto headers = lower_cased_headers(request);
    std::string session_token;
    for (const auto& [name, value] : headers)
      if (name == "x-amz-security-token") session_token = value;
    bool unknown = false, expired = false;
    const aws::SecretLookup lookup = [&](std::string_view akid) -> std::optional<std::string> {
      if (!cfg.access_key_id.empty() && akid == cfg.access_key_id) return cfg.secret_access_key;
      auto issued = issued_aws_secret(akid, session_token, expired);
      if (!issued) unknown = true;
      return issued;
    };
    const aws::VerifyInput in{request.method_string(), request.target(), headers, request.body(), {}, "sts",
                              std::chrono::system_clock::now()};
    if (const auto why = aws::verify(in, lookup)) {
      if (expired) return refuse(403, "ExpiredToken", "The security token included in the request is expired");
      if (unknown) return refuse(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      return refuse(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided. (" + *why + ")");
    }
    if (!cfg.external_id.empty() && field(form, "ExternalId") != cfg.external_id)
      return refuse(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole on resource: " + role +
                                             " (external id mismatch)");
  } else {
    return refuse(400, "InvalidAction", "Could not find operation " + std::string(action));
  }
  if (!cfg.role_arn.empty() && role != cfg.role_arn)
    return refuse(403, "AccessDenied", "Not authorized to perform sts:" + std::string(action) + " on " + role);
  aws::TemporaryCredentials t;
  t.keys.access_key_id = issue_aws(t.keys.secret_access_key, t.keys.session_token, t.expiration);
  count(flow, true);
  return respond(200, kXml, aws::sts_success_xml(action, t, role, session));
}

http::Response CredentialIssuer::aws_container(const http::Request& request) {
  const auto& cfg = *config_.aws;
  if (!cfg.container_token.empty() && request[beast_http::field::authorization] != cfg.container_token) {
    count("aws_container", false);
    return respond(401, kJson, R"({"code":"AccessDeniedException","message":"Unauthorized"})");
  }
  aws::TemporaryCredentials t;
  t.keys.access_key_id = issue_aws(t.keys.secret_access_key, t.keys.session_token, t.expiration);
  count("aws_container", true);
  return respond(200, kJson, json::serialize(json::object{{"AccessKeyId", t.keys.access_key_id},
                                                          {"SecretAccessKey", t.keys.secret_access_key},
                                                          {"Token", t.keys.session_token},
                                                          {"AccountId", "123456789012"},
                                                          {"Expiration", aws::iso8601(t.expiration)}}));
}

http::Response CredentialIssuer::aws_imds(const http::Request& request, std::string_view path) {
  if (path == "/latest/api/token") {
    if (request.method() != beast_http::verb::put || request["x-aws-ec2-metadata-token-ttl-seconds"].empty())
      return respond(400, "text/plain", "Missing or invalid parameters");
    const auto token = issue_token("mock-imds-session-", std::chrono::seconds(21600));
    std::lock_guard lock(mutex_);
    imds_sessions_[token] = token;
    return respond(200, "text/plain", token);
  }
  {
    std::lock_guard lock(mutex_);
    if (!imds_sessions_.contains(std::string(request["x-aws-ec2-metadata-token"]))) {
      ++counts_["aws_imds"].second;
      return respond(401, "text/plain", "Unauthorized");
    }
  }
  constexpr std::string_view kCredentials = "/latest/meta-data/iam/security-credentials/";
  if (path == kCredentials) return respond(200, "text/plain", std::string(kImdsRole));
  if (path.starts_with(kCredentials) && path.substr(kCredentials.size()) == kImdsRole) {
    aws::TemporaryCredentials t;
    t.keys.access_key_id = issue_aws(t.keys.secret_access_key, t.keys.session_token, t.expiration);
    count("aws_imds", true);
    return respond(200, "text/plain",
                   json::serialize(json::object{{"Code", "Success"}, {"LastUpdated", aws::iso8601(std::chrono::system_clock::now())},
                                                {"Type", "AWS-HMAC"}, {"AccessKeyId", t.keys.access_key_id},
                                                {"SecretAccessKey", t.keys.secret_access_key},
                                                {"Token", t.keys.session_token}, {"Expiration", aws::iso8601(t.expiration)}}));
  }
  return respond(404, "text/plain", "Not Found");
}

http::Response CredentialIssuer::google_token(const std::map<std::string, std::string>& form, std::string_view grant) {
  const auto& g = *config_.google;
  const auto ttl = std::chrono::seconds(config_.google_token_ttl_seconds);
  if (grant == "refresh_token") {
    if (g.refresh_token.empty() || field(form, "refresh_token") != g.refresh_token ||
        field(form, "client_id") != g.client_id || field(form, "client_secret") != g.client_secret) {
      count("google_refresh_token", false);
      return oauth_error(400, "invalid_grant", "Bad Request");
    }
    count("google_refresh_token", true);
    return respond(200, kJson, json::serialize(oauth_body(issue_token("mock-user-token-", ttl), config_.google_token_ttl_seconds)));
  }
  if (g.subject_token.empty() || field(form, "subject_token") != g.subject_token) {
    count("google_sts", false);
    return oauth_error(400, "invalid_grant", "The incoming token has expired or could not be validated.");
  }
  if (!g.audience.empty() && field(form, "audience") != g.audience) {
    count("google_sts", false);
    return oauth_error(400, "invalid_target", "The target service indicated by the \"audience\" parameters is invalid.");
  }
  if (field(form, "scope").find(kCloudPlatformScope) == std::string::npos) {
    count("google_sts", false);
    return oauth_error(400, "invalid_scope", "Invalid scope");
  }
  count("google_sts", true);
  auto body = oauth_body(issue_token("mock-federated-token-", ttl), config_.google_token_ttl_seconds);
  body["issued_token_type"] = "urn:ietf:params:oauth:token-type:access_token";
  return respond(200, kJson, json::serialize(body));
}

http::Response CredentialIssuer::google_impersonate(const http::Request& request) {
  if (!issued_token_ok(bearer_of(request))) {
    count("google_impersonation", false);
    return respond(401, kJson, R"({"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}})");
  }
  const auto ttl = std::chrono::seconds(config_.google_token_ttl_seconds);
  const auto token = issue_token("mock-impersonated-token-", ttl);
  count("google_impersonation", true);
  return respond(200, kJson, json::serialize(json::object{
                                 {"accessToken", token}, {"expireTime", aws::iso8601(std::chrono::system_clock::now() + ttl)}}));
}

http::Response CredentialIssuer::google_metadata(const http::Request& request, std::string_view path) {
  if (request["metadata-flavor"] != "Google") {
    count("google_metadata", false);
    return respond(403, "text/html", "Missing required header: Metadata-Flavor");
  }
  if (path == "/computeMetadata/v1/project/project-id") return respond(200, "application/text", config_.google->metadata_project);
  if (path == "/computeMetadata/v1/instance/service-accounts/default/token") {
    count("google_metadata", true);
    return respond(200, kJson, json::serialize(oauth_body(issue_token("mock-metadata-token-",
                                                                      std::chrono::seconds(config_.google_token_ttl_seconds)),
                                                          config_.google_token_ttl_seconds)));
  }
  return respond(404, "text/html", "Not Found");
}

http::Response CredentialIssuer::entra_token(const std::map<std::string, std::string>& form) {
  const auto& a = *config_.azure;
  const auto refuse = [&](std::string_view error, std::string_view description) {
    count("entra", false);
    return oauth_error(401, error, description);
  };
  if (field(form, "grant_type") != "client_credentials") return refuse("unsupported_grant_type", "AADSTS70003");
  if (field(form, "scope") != kCognitiveScope) return refuse("invalid_scope", "AADSTS70011: The provided scope is not valid.");
  if (field(form, "client_id") != a.client_id)
    return refuse("unauthorized_client", "AADSTS700016: Application with identifier was not found in the directory.");
  const bool by_secret = !a.client_secret.empty() && field(form, "client_secret") == a.client_secret;
  const bool by_assertion = !a.federated_token.empty() && field(form, "client_assertion_type") == kJwtBearerAssertion &&
                            field(form, "client_assertion") == a.federated_token;
  if (!by_secret && !by_assertion)
    return refuse("invalid_client", "AADSTS7000215: Invalid client secret provided.");
  count("entra", true);
  auto body = oauth_body(issue_token("mock-entra-token-", std::chrono::seconds(a.token_ttl_seconds)), a.token_ttl_seconds);
  body["ext_expires_in"] = a.token_ttl_seconds;
  return respond(200, kJson, json::serialize(body));
}

http::Response CredentialIssuer::azure_imds(const http::Request& request) {
  const auto& a = *config_.azure;
  if (request["metadata"] != "true" || query_param(request.target(), "resource").value_or("") != kCognitiveResource) {
    count("azure_managed_identity", false);
    return respond(400, kJson, R"({"error":"invalid_request","error_description":"Required metadata header not specified"})");
  }
  count("azure_managed_identity", true);
  const auto token = issue_token("mock-msi-token-", std::chrono::seconds(a.token_ttl_seconds));
  // IMDS sends its numbers as strings.
  return respond(200, kJson, json::serialize(json::object{{"access_token", token},
                                                          {"expires_in", std::to_string(a.token_ttl_seconds)},
                                                          {"resource", kCognitiveResource},
                                                          {"token_type", "Bearer"}}));
}

http::Response CredentialIssuer::databricks_token(const http::Request& request, const std::map<std::string, std::string>& form) {
  const auto& d = *config_.databricks;
  const auto expected = "Basic " + base64(d.client_id + ":" + d.client_secret);
  if (d.client_id.empty() || request[beast_http::field::authorization] != expected ||
      field(form, "grant_type") != "client_credentials") {
    count("databricks_m2m", false);
    return oauth_error(401, "invalid_client", "Client authentication failed");
  }
  count("databricks_m2m", true);
  auto body = oauth_body(issue_token("mock-dbx-token-", std::chrono::seconds(d.token_ttl_seconds)), d.token_ttl_seconds);
  body["scope"] = "all-apis";
  return respond(200, kJson, json::serialize(body));
}

std::optional<http::Response> CredentialIssuer::check_azure(const http::Request& request) const {
  if (!config_.azure) return std::nullopt;
  const auto& a = *config_.azure;
  if (!a.api_key.empty() && request["api-key"] == a.api_key) return std::nullopt;
  if (issued_token_ok(bearer_of(request))) return std::nullopt;
  return respond(401, kJson,
                 R"({"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource."}})");
}

std::optional<http::Response> CredentialIssuer::check_databricks(const http::Request& request) const {
  if (!config_.databricks) return std::nullopt;
  const auto token = bearer_of(request);
  if ((!config_.databricks->token.empty() && token == config_.databricks->token) || issued_token_ok(token)) return std::nullopt;
  return respond(401, kJson, R"({"error_code":"401","message":"Credential was not sent or was of an unsupported type for this API."})");
}

}  // namespace switchyard::mock
