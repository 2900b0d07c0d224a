#include "providers/google/adc.h"

#include <cstdlib>

#include "core/text.h"
#include "providers/google/service_account.h"
#include "providers/json_fields.h"

namespace switchyard::providers::google {
namespace json = boost::json;
using auth::Credential;
using auth::Fetched;
using auth::Fetcher;
using http::beast_http::verb;
namespace {

constexpr core::Provider kProvider = core::Provider::vertex_ai;
constexpr std::string_view kDefaultMetadataHost = "metadata.google.internal";
constexpr std::string_view kTokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange";
constexpr std::string_view kAccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
constexpr std::string_view kDefaultStsUrl = "https://sts.googleapis.com/v1/token";
constexpr std::int64_t kImpersonatedLifetimeSeconds = 3600;
constexpr std::chrono::milliseconds kProjectLookupTimeout{3'000};

http::UpstreamRequest form_post(const http::UpstreamRequest& base, std::string body) {
  auto request = base;
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
  request.headers.emplace_back("accept", "application/json");
  request.body = std::move(body);
  return request;
}

class ServiceAccountFetcher final : public Fetcher {
 public:
  explicit ServiceAccountFetcher(ServiceAccount account) : account_(std::move(account)) {}
  http::Awaitable<Fetched> fetch() override {
    auto jwt = make_jwt_assertion(account_, kCloudPlatformScope, auth::WallClock::now());
    if (!jwt.ok()) co_return auth::refused_fetch(kProvider, jwt.error);
    auto request = auth::request_for(account_.token_uri, verb::post);
    if (!request) co_return auth::refused_fetch(kProvider, "token_uri '" + account_.token_uri + "' is not an http(s) URL");
    co_return co_await auth::fetch_oauth_token(kProvider, form_post(*request, token_request_body(*jwt.value)),
                                               "service-account token exchange at " + account_.token_uri);
  }
  std::string describe() const override { return "Google service account " + account_.client_email; }

 private:
  ServiceAccount account_;
};

class AuthorizedUserFetcher final : public Fetcher {
 public:
  AuthorizedUserFetcher(std::string client_id, std::string client_secret, std::string refresh_token, std::string token_uri)
      : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)),
        refresh_token_(std::move(refresh_token)), token_uri_(std::move(token_uri)) {}
  http::Awaitable<Fetched> fetch() override {
    auto request = auth::request_for(token_uri_, verb::post);
    if (!request) co_return auth::refused_fetch(kProvider, "token_uri '" + token_uri_ + "' is not an http(s) URL");
    const auto body = "grant_type=refresh_token&client_id=" + auth::form_encode(client_id_) +
                      "&client_secret=" + auth::form_encode(client_secret_) +
                      "&refresh_token=" + auth::form_encode(refresh_token_);
    co_return co_await auth::fetch_oauth_token(kProvider, form_post(*request, body),
                                               "refresh-token exchange at " + token_uri_);
  }
  std::string describe() const override { return "Google authorized user (refresh token, client " + client_id_ + ")"; }

 private:
  std::string client_id_, client_secret_, refresh_token_, token_uri_;
};

// Workload identity federation: subject token → Google STS → (optional) impersonated account.
class ExternalAccountFetcher final : public Fetcher {
 public:
  explicit ExternalAccountFetcher(json::object config) : config_(std::move(config)) {}

  http::Awaitable<Fetched> fetch() override {
    using json_fields::object_at;
    using json_fields::str;
    std::string subject;
    const auto* source = object_at(config_, "credential_source");
    if (!source) co_return auth::refused_fetch(kProvider, "external_account: no credential_source");
    if (const auto file = str(*source, "file"); !file.empty()) {
      auto read = auth::read_small_file(std::string(file));
      if (!read) co_return auth::refused_fetch(kProvider, "external_account: cannot read subject token file " + std::string(file));
      subject = std::move(*read);
    } else if (const auto url = str(*source, "url"); !url.empty()) {
      auto request = auth::request_for(url, verb::get);
      if (!request) co_return auth::refused_fetch(kProvider, "external_account: credential_source.url is not an http(s) URL");
      if (const auto* headers = object_at(*source, "headers"))
        for (const auto& [name, value] : *headers)
          if (value.is_string()) request->headers.emplace_back(std::string(name), std::string(value.get_string()));
      request->connect_timeout = auth::kMetadataConnectTimeout;
      auto response = co_await auth::send(std::move(*request));
      if (!response.ok())
        co_return Fetched{nullptr, auth::call_failed(kProvider, "subject token from " + std::string(url), response,
                                                     response.body.substr(0, 512))};
      subject = std::move(response.body);
    } else {
      co_return auth::refused_fetch(kProvider, "external_account: credential_source needs file or url "
                                               "(aws and executable sources are not supported)");
    }
    if (const auto* format = object_at(*source, "format"); format && str(*format, "type") == "json") {
      const auto doc = json_fields::parse_object(subject);
      const auto field = str(*format, "subject_token_field_name");
      subject = doc ? std::string(str(*doc, field)) : std::string();
      if (subject.empty())
        co_return auth::refused_fetch(kProvider, "external_account: subject token has no field '" + std::string(field) + "'");
    }
    subject = std::string(core::trim(subject));

    std::string token_url(str(config_, "token_url"));
    if (token_url.empty()) token_url = kDefaultStsUrl;
    auto sts = auth::request_for(token_url, verb::post);
    if (!sts) co_return auth::refused_fetch(kProvider, "external_account: token_url is not an http(s) URL");
    const auto body = "grant_type=" + auth::form_encode(kTokenExchangeGrant) +
                      "&audience=" + auth::form_encode(str(config_, "audience")) +
                      "&scope=" + auth::form_encode(kCloudPlatformScope) +
                      "&requested_token_type=" + auth::form_encode(kAccessTokenType) +
                      "&subject_token=" + auth::form_encode(subject) +
                      "&subject_token_type=" + auth::form_encode(str(config_, "subject_token_type"));
    auto federated = co_await auth::fetch_oauth_token(kProvider, form_post(*sts, body), "STS token exchange at " + token_url);
    const auto impersonation_url = str(config_, "service_account_impersonation_url");
    if (!federated.ok() || impersonation_url.empty()) co_return federated;
    co_return co_await impersonate(std::string(impersonation_url), federated.credential->bearer);
  }

  std::string describe() const override {
    using json_fields::str;
    std::string d = "Google workload identity federation (" + std::string(str(config_, "audience")) + ")";
    if (const auto url = str(config_, "service_account_impersonation_url"); !url.empty()) {
      const auto at = url.find("serviceAccounts/");
      d += ", impersonating " + std::string(at == std::string_view::npos ? url : url.substr(at + 16));
    }
    return d;
  }

 private:
  http::Awaitable<Fetched> impersonate(std::string url, std::string federated_token) {
    auto request = auth::request_for(url, verb::post);
    if (!request) co_return auth::refused_fetch(kProvider, "external_account: service_account_impersonation_url is not a URL");
    std::int64_t lifetime = kImpersonatedLifetimeSeconds;
    if (const auto* options = json_fields::object_at(config_, "service_account_impersonation"))
      if (const auto n = json_fields::integer(*options, "token_lifetime_seconds"); n > 0) lifetime = n;
    request->headers.emplace_back("content-type", "application/json");
    request->headers.emplace_back("authorization", "Bearer " + federated_token);
    request->body = json::serialize(json::object{{"scope", json::array{kCloudPlatformScope}},
                                                 {"lifetime", std::to_string(lifetime) + "s"}});
    const std::string what = "service account impersonation at " + url;
    auto response = co_await auth::send(std::move(*request));
    const auto doc = response.ok() ? json_fields::parse_object(response.body) : std::nullopt;
    const auto token = doc ? json_fields::str(*doc, "accessToken") : std::string_view();
    const auto expiry = doc ? auth::parse_iso8601(json_fields::str(*doc, "expireTime")) : std::nullopt;
    if (token.empty() || !expiry) {
      const auto error = json_fields::parse_object(response.body);
      const auto* e = error ? json_fields::object_at(*error, "error") : nullptr;
      co_return Fetched{nullptr, auth::call_failed(kProvider, what, response,
                                                   e ? std::string(json_fields::str(*e, "message")) : response.body.substr(0, 512))};
    }
    auto c = std::make_shared<Credential>();
    c->bearer = std::string(token);
    c->expires_at = *expiry;
    co_return Fetched{std::move(c), {}};
  }

  json::object config_;
};

// A GET to the metadata server (GCE_METADATA_HOST honoured), with the header it requires and the
// short connect timeout that keeps a machine without one from waiting; nullopt: not a URL.
std::optional<http::UpstreamRequest> metadata_request(const std::string& root, std::string_view path) {
  auto request = auth::request_for(root + std::string(path), verb::get);
  if (!request) return std::nullopt;
  request->headers.emplace_back("metadata-flavor", "Google");
  request->connect_timeout = auth::kMetadataConnectTimeout;
  return request;
}

class MetadataFetcher final : public Fetcher {
 public:
  http::Awaitable<Fetched> fetch() override {
    const auto root = metadata_root();
    auto request = metadata_request(root, "/computeMetadata/v1/instance/service-accounts/default/token");
    if (!request) co_return auth::refused_fetch(kProvider, "GCE_METADATA_HOST does not make a URL: " + root);
    co_return co_await auth::fetch_oauth_token(kProvider, std::move(*request), "metadata server token at " + root);
  }
  std::string describe() const override { return "Google metadata server (" + metadata_root() + ")"; }
};

// The project id from the metadata server, fetched like a credential (on the credential thread).
class ProjectFetcher final : public Fetcher {
 public:
  http::Awaitable<Fetched> fetch() override {
    const auto root = metadata_root();
    auto request = metadata_request(root, "/computeMetadata/v1/project/project-id");
    if (!request) co_return auth::refused_fetch(kProvider, "GCE_METADATA_HOST does not make a URL: " + root);
    auto response = co_await auth::send(std::move(*request));
    if (!response.ok() || core::trim(response.body).empty())
      co_return Fetched{nullptr, auth::call_failed(kProvider, "project id from " + root, response, response.body)};
    auto c = std::make_shared<Credential>();
    c->bearer = std::string(core::trim(response.body));  // not a secret: the project id
    co_return Fetched{std::move(c), {}};
  }
  std::string describe() const override { return "Google metadata server project id"; }
};

std::string read_credentials_text(const std::string& path_or_json, std::string& error) {
  if (core::trim(path_or_json).starts_with('{')) return path_or_json;
  auto text = auth::read_small_file(std::string(core::trim(path_or_json)));
  if (!text) error = "cannot read credentials file " + std::string(core::trim(path_or_json));
  return text.value_or(std::string());
}

}  // namespace

std::string metadata_root() {
  const char* host = std::getenv("GCE_METADATA_HOST");
  return "http://" + std::string(host && *host ? host : kDefaultMetadataHost);
}

AdcChoice choose_credentials(const std::string& credentials, bool want_project) {
  AdcChoice choice;
  if (credentials.empty()) {
    choice.source = auth::shared_source("google-metadata\n" + metadata_root(), [] { return std::make_unique<MetadataFetcher>(); });
    if (want_project) {
      static const auto project_source = std::make_shared<auth::CredentialSource>(std::make_unique<ProjectFetcher>());
      auto project = project_source->get_blocking(kProjectLookupTimeout);
      if (project.ok()) choice.project = project.credential->bearer;
    }
    return choice;
  }
  std::string error;
  const auto text = read_credentials_text(credentials, error);
  if (!error.empty()) return {nullptr, {}, error};
  const auto doc = json_fields::parse_object(text);
  if (!doc) return {nullptr, {}, "credentials are not a JSON object"};
  const auto type = json_fields::str(*doc, "type");
  if (type == "service_account") {
    auto account = parse_service_account(text);
    if (!account.ok()) return {nullptr, {}, account.error};
    choice.project = account.value->project_id;
    const auto key = "google-sa\n" + account.value->client_email + '\n' + account.value->private_key_id + '\n' +
                     account.value->token_uri + '\n' + account.value->private_key_pem;
    choice.source = auth::shared_source(key, [&] { return std::make_unique<ServiceAccountFetcher>(*account.value); });
    return choice;
  }
  if (type == "authorized_user") {
    using json_fields::str;
    const std::string id(str(*doc, "client_id")), secret(str(*doc, "client_secret")), refresh(str(*doc, "refresh_token"));
    if (id.empty() || secret.empty() || refresh.empty())
      return {nullptr, {}, "authorized_user credentials need client_id, client_secret and refresh_token"};
    std::string token_uri(str(*doc, "token_uri"));
    if (token_uri.empty()) token_uri = kDefaultTokenUri;
    choice.source = auth::shared_source("google-user\n" + id + '\n' + secret + '\n' + refresh + '\n' + token_uri, [&] {
      return std::make_unique<AuthorizedUserFetcher>(id, secret, refresh, token_uri);
    });
    return choice;
  }
  if (type == "external_account") {
    if (json_fields::str(*doc, "audience").empty() || !json_fields::object_at(*doc, "credential_source"))
      return {nullptr, {}, "external_account credentials need audience and credential_source"};
    choice.source = auth::shared_source("google-external\n" + text, [&] { return std::make_unique<ExternalAccountFetcher>(*doc); });
    return choice;
  }
  return {nullptr, {}, "credentials type '" + std::string(type) +
                           "' is not supported (service_account, authorized_user, external_account)"};
}

}  // namespace switchyard::providers::google
