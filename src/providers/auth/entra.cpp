#include "providers/auth/entra.h"

#include <cstdlib>

#include "providers/cloud_params.h"

namespace switchyard::providers::auth {
namespace {
using http::beast_http::verb;

constexpr std::string_view kDefaultAuthority = "https://login.microsoftonline.com";
constexpr std::string_view kDefaultImds = "http://169.254.169.254";
constexpr std::string_view kJwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
constexpr std::string_view kDatabricksScope = "all-apis";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string without_trailing_slash(std::string s) {
  while (s.ends_with('/')) s.pop_back();
  return s;
}

http::UpstreamRequest form(http::UpstreamRequest request, std::string body) {
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("accept", "application/json");
  request.body = std::move(body);
  return request;
}

// Client credentials with a secret, or with a federated token file as the client assertion.
class EntraClientFetcher final : public Fetcher {
 public:
  EntraClientFetcher(std::string authority, std::string tenant, std::string client_id, std::string secret,
                     std::string assertion_file, std::string scope)
      : token_url_(without_trailing_slash(std::move(authority)) + "/" + tenant + "/oauth2/v2.0/token"),
        client_id_(std::move(client_id)), secret_(std::move(secret)), assertion_file_(std::move(assertion_file)),
        scope_(std::move(scope)) {}

  http::Awaitable<Fetched> fetch() override {
    auto request = request_for(token_url_, verb::post);
    if (!request) co_return refused_fetch(core::Provider::azure, "AZURE_AUTHORITY_HOST does not make a URL: " + token_url_);
    std::string body = "grant_type=client_credentials&client_id=" + form_encode(client_id_) +
                       "&scope=" + form_encode(scope_);
    if (!assertion_file_.empty()) {
      auto assertion = read_small_file(assertion_file_);
      if (!assertion || assertion->empty())
        co_return refused_fetch(core::Provider::azure, "federated token file " + assertion_file_ + " cannot be read");
      body += "&client_assertion_type=" + form_encode(kJwtBearerAssertion) + "&client_assertion=" + form_encode(*assertion);
    } else {
      body += "&client_secret=" + form_encode(secret_);
    }
    co_return co_await fetch_oauth_token(core::Provider::azure, form(std::move(*request), std::move(body)),
                                         "Entra ID token request at " + token_url_);
  }
  std::string describe() const override {
    return assertion_file_.empty() ? "Entra ID client secret (client " + client_id_ + ", " + token_url_ + ")"
                                   : "Entra ID workload identity (client " + client_id_ + ", token file " +
                                         assertion_file_ + ", " + token_url_ + ")";
  }
  std::vector<std::string> input_secrets() const override { return {secret_}; }

 private:
  std::string token_url_, client_id_, secret_, assertion_file_, scope_;
};

class ManagedIdentityFetcher final : public Fetcher {
 public:
  ManagedIdentityFetcher(std::string client_id, std::string resource) : client_id_(std::move(client_id)) {
    if (!env("IDENTITY_ENDPOINT").empty() && !env("IDENTITY_HEADER").empty()) {
      url_ = env("IDENTITY_ENDPOINT") + "?api-version=2019-08-01";
      header_ = {"x-identity-header", env("IDENTITY_HEADER")};
    } else {
      auto host = env("AZURE_POD_IDENTITY_AUTHORITY_HOST");
      url_ = without_trailing_slash(host.empty() ? std::string(kDefaultImds) : host) +
             "/metadata/identity/oauth2/token?api-version=2018-02-01";
      header_ = {"metadata", "true"};
    }
    url_ += "&resource=" + form_encode(resource);
    if (!client_id_.empty()) url_ += "&client_id=" + form_encode(client_id_);
  }
  http::Awaitable<Fetched> fetch() override {
    auto request = request_for(url_, verb::get);
    if (!request) co_return refused_fetch(core::Provider::azure, "managed identity endpoint is not a URL: " + url_);
    request->headers.push_back(header_);
    request->connect_timeout = kMetadataConnectTimeout;
    co_return co_await fetch_oauth_token(core::Provider::azure, std::move(*request),
                                         "managed identity token at " + url_.substr(0, url_.find('?')));
  }
  std::string describe() const override {
    return "Azure managed identity (" + url_.substr(0, url_.find('?')) + (client_id_.empty() ? ")" : ", client " + client_id_ + ")");
  }

 private:
  std::string client_id_, url_;
  std::pair<std::string, std::string> header_;
};

class DatabricksM2MFetcher final : public Fetcher {
 public:
  DatabricksM2MFetcher(std::string token_url, std::string client_id, std::string secret)
      : token_url_(std::move(token_url)), client_id_(std::move(client_id)), secret_(std::move(secret)) {}
  http::Awaitable<Fetched> fetch() override {
    auto request = request_for(token_url_, verb::post);
    if (!request) co_return refused_fetch(core::Provider::databricks, "workspace token URL is not a URL: " + token_url_);
    std::string basic;
    static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const std::string raw = client_id_ + ":" + secret_;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
      std::uint32_t n = static_cast<unsigned char>(raw[i]) << 16;
      if (i + 1 < raw.size()) n |= static_cast<unsigned char>(raw[i + 1]) << 8;
      if (i + 2 < raw.size()) n |= static_cast<unsigned char>(raw[i + 2]);
      basic += kB64[(n >> 18) & 63];
      basic += kB64[(n >> 12) & 63];
      basic += i + 1 < raw.size() ? kB64[(n >> 6) & 63] : '=';
      basic += i + 2 < raw.size() ? kB64[n & 63] : '=';
    }
    request->headers.emplace_back("authorization", "Basic " + basic);
    co_return co_await fetch_oauth_token(
        core::Provider::databricks,
        form(std::move(*request), "grant_type=client_credentials&scope=" + std::string(kDatabricksScope)),
        "Databricks OAuth token request at " + token_url_);
  }
  std::string describe() const override { return "Databricks OAuth M2M (client " + client_id_ + ", " + token_url_ + ")"; }
  std::vector<std::string> input_secrets() const override { return {secret_}; }

 private:
  std::string token_url_, client_id_, secret_;
};

}  // namespace

std::shared_ptr<CredentialSource> choose_entra_credentials(const config::Deployment& d) {
  if (!d.api_key.empty() || !param_or_env(d, {"azure_ad_token"}).empty()) return nullptr;
  auto authority = param_or_env(d, {"azure_authority_host"}, {"AZURE_AUTHORITY_HOST"});
  if (authority.empty()) authority = kDefaultAuthority;
  const auto tenant = param_or_env(d, {"tenant_id", "azure_tenant_id"}, {"AZURE_TENANT_ID"});
  const auto client_id = param_or_env(d, {"client_id", "azure_client_id"}, {"AZURE_CLIENT_ID"});
  const auto secret = param_or_env(d, {"client_secret", "azure_client_secret"}, {"AZURE_CLIENT_SECRET"});
  // LiteLLM's azure_scope; managed identity asks for the resource the scope names.
  auto scope = param_or_env(d, {"azure_scope"}, {"AZURE_SCOPE"});
  if (scope.empty()) scope = kCognitiveServicesScope;
  auto resource = scope;
  if (resource.ends_with("/.default")) resource.resize(resource.size() - 9);
  if (!tenant.empty() && !client_id.empty() && !secret.empty())
    return shared_source("entra-secret\n" + authority + '\n' + tenant + '\n' + client_id + '\n' + secret + '\n' + scope, [&] {
      return std::make_unique<EntraClientFetcher>(authority, tenant, client_id, secret, "", scope);
    });
  if (const auto file = env("AZURE_FEDERATED_TOKEN_FILE"); !file.empty() && !tenant.empty() && !client_id.empty())
    return shared_source("entra-workload\n" + authority + '\n' + tenant + '\n' + client_id + '\n' + file + '\n' + scope,
                         [&] { return std::make_unique<EntraClientFetcher>(authority, tenant, client_id, "", file, scope); });
  return shared_source("entra-managed\n" + client_id + '\n' + env("IDENTITY_ENDPOINT") + '\n' +
                           env("AZURE_POD_IDENTITY_AUTHORITY_HOST") + '\n' + resource,
                       [&] { return std::make_unique<ManagedIdentityFetcher>(client_id, resource); });
}

std::shared_ptr<CredentialSource> choose_databricks_credentials(const config::Deployment& d, const http::Url& base) {
  if (!d.api_key.empty()) return nullptr;
  const auto client_id = param_or_env(d, {"client_id", "databricks_client_id"}, {"DATABRICKS_CLIENT_ID"});
  const auto secret = param_or_env(d, {"client_secret", "databricks_client_secret"}, {"DATABRICKS_CLIENT_SECRET"});
  if (client_id.empty() || secret.empty()) return nullptr;
  // The workspace is api_base without /serving-endpoints (or DATABRICKS_HOST).
  std::string workspace = param_or_env(d, {"databricks_host"}, {"DATABRICKS_HOST"});
  if (workspace.empty() || !d.api_base.empty()) {
    std::string path = base.path;
    if (const auto at = path.rfind("/serving-endpoints"); at != std::string::npos) path.resize(at);
    workspace = (base.tls ? "https://" : "http://") + http::host_header(base) + path;
  }
  if (!workspace.starts_with("http")) workspace = "https://" + workspace;
  const auto token_url = without_trailing_slash(workspace) + "/oidc/v1/token";
  return shared_source("databricks-m2m\n" + token_url + '\n' + client_id + '\n' + secret,
                       [&] { return std::make_unique<DatabricksM2MFetcher>(token_url, client_id, secret); });
}

}  // namespace switchyard::providers::auth
