#include "providers/aws/credential_chain.h"

#include <cstdlib>

#include "core/text.h"
#include "providers/aws/shared_config.h"
#include "providers/aws/sts.h"
#include "providers/cloud_params.h"

namespace switchyard::providers::aws {
namespace {
using auth::Credential;
using auth::CredentialSource;
using auth::Fetched;
using auth::Fetcher;
using http::beast_http::verb;

constexpr core::Provider kProvider = core::Provider::bedrock;
constexpr std::string_view kStsService = "sts";
constexpr std::string_view kDefaultImdsEndpoint = "http://169.254.169.254";
constexpr std::string_view kEcsHost = "http://169.254.170.2";
constexpr std::string_view kImdsTokenTtlSeconds = "21600";
constexpr int kMaxProfileDepth = 8;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool env_true(const char* name) { return core::iequals(env(name), "true"); }

std::string unix_now() {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(auth::WallClock::now().time_since_epoch()).count());
}

Fetched temporary(const TemporaryCredentials& t) {
  auto c = std::make_shared<Credential>();
  c->aws = t.keys;
  c->expires_at = t.expiration;
  return Fetched{std::move(c), {}};
}

// Where STS is: aws_sts_endpoint, else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL (unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else the regional endpoint. Signing region as LiteLLM
// picks it: from an sts.<region>.amazonaws.com host, else AWS_REGION / AWS_DEFAULT_REGION, else
// the deployment's.
struct StsEndpoint {
  std::string url;
  std::string region;
};

StsEndpoint sts_endpoint(const std::string& param, const std::string& deployment_region) {
  StsEndpoint e;
  e.url = param;
  if (e.url.empty() && !env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    e.url = env("AWS_ENDPOINT_URL_STS");
    if (e.url.empty()) e.url = env("AWS_ENDPOINT_URL");
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
    if (e.region.empty()) e.region = env(name);
  if (e.region.empty()) e.region = deployment_region;
  if (e.region.empty()) e.region = "us-east-1";
  if (e.url.find("://sts.amazonaws.com") != std::string::npos) e.region = "us-east-1";  // the global endpoint
  if (const auto at = e.url.find("sts."); at != std::string::npos) {
    const auto rest = e.url.substr(at + 4);
    const auto dot = rest.find('.');
    if (dot != std::string::npos && rest.substr(dot).starts_with(".amazonaws.com")) e.region = rest.substr(0, dot);
  }
  if (e.url.empty()) e.url = "https://sts." + e.region + ".amazonaws.com";
  return e;
}

std::string sts_message(const StsAnswer& answer) {
  return answer.error_code + (answer.error_message.empty() ? "" : ": " + answer.error_message);
}

http::Awaitable<Fetched> call_sts(http::UpstreamRequest request, std::string what) {
  auto response = co_await auth::send(std::move(request));
  auto answer = response.transport_error == errors::TransportError::none ? parse_sts_response(response.body) : StsAnswer{};
  if (!response.ok() || !answer.credentials)
    co_return Fetched{nullptr, auth::call_failed(kProvider, what, response, sts_message(answer))};
  co_return temporary(*answer.credentials);
}

http::UpstreamRequest sts_request(const StsEndpoint& sts, std::string body) {
  auto request = *auth::request_for(sts.url, verb::post);
  request.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = std::move(body);
  return request;
}

// AssumeRoleWithWebIdentity: unsigned; the token is the caller's proof (a file the platform
// rotates, re-read at every fetch, or a token given in the config).
class WebIdentityFetcher final : public Fetcher {
 public:
  WebIdentityFetcher(std::string role_arn, std::string session_name, std::string token_file, std::string token,
                     StsEndpoint sts, std::int64_t duration_seconds)
      : role_arn_(std::move(role_arn)), session_name_(std::move(session_name)), token_file_(std::move(token_file)),
        token_(std::move(token)), sts_(std::move(sts)), duration_seconds_(duration_seconds) {}

  http::Awaitable<Fetched> fetch() override {
    std::string token = token_;
    if (!token_file_.empty()) {
      auto read = auth::read_small_file(token_file_);
      if (!read || read->empty())
        co_return auth::refused_fetch(kProvider, "web identity token file " + token_file_ + " cannot be read");
      token = std::move(*read);
    }
    AssumeRoleParams p{role_arn_, session_name_, {}, std::move(token), duration_seconds_};
    co_return co_await call_sts(sts_request(sts_, assume_role_with_web_identity_body(p)),
                                "STS AssumeRoleWithWebIdentity for " + role_arn_ + " at " + sts_.url);
  }
  std::string describe() const override {
    return "AWS web identity: STS AssumeRoleWithWebIdentity for " + role_arn_ +
           (token_file_.empty() ? " with aws_web_identity_token" : " with the token in " + token_file_) + " (" + sts_.url + ")";
  }

 private:
  std::string role_arn_, session_name_, token_file_, token_;
  StsEndpoint sts_;
  std::int64_t duration_seconds_;
};

// AssumeRole, SigV4-signed (service sts) with the base credentials.
class AssumeRoleFetcher final : public Fetcher {
 public:
  AssumeRoleFetcher(std::shared_ptr<CredentialSource> base, AssumeRoleParams params, StsEndpoint sts)
      : base_(std::move(base)), params_(std::move(params)), sts_(std::move(sts)) {}

  http::Awaitable<Fetched> fetch() override {
    auto base = co_await base_->get();
    if (!base.ok()) co_return base;
    auto request = sts_request(sts_, assume_role_body(params_));
    SigningInput in;
    in.method = "POST";
    in.host = http::host_header(request.url);
    in.target = request.target;
    in.headers = request.headers;
    in.payload = request.body;
    in.region = sts_.region;
    in.service = std::string(kStsService);
    in.now = auth::WallClock::now();
    for (auto& header : sign(in, base.credential->aws)) request.headers.push_back(std::move(header));
    co_return co_await call_sts(std::move(request), "STS AssumeRole for " + params_.role_arn + " at " + sts_.url);
  }
  std::string describe() const override {
    return "AWS AssumeRole " + params_.role_arn + (params_.external_id.empty() ? "" : " (with external id)") + " (" +
           sts_.url + "), signed with [" + base_->describe() + "]";
  }

 private:
  std::shared_ptr<CredentialSource> base_;
  AssumeRoleParams params_;
  StsEndpoint sts_;
};

// ECS task roles and EKS Pod Identity: GET the URI, with the authorization token (re-read from
// its file at every fetch: EKS rotates it).
class ContainerFetcher final : public Fetcher {
 public:
  ContainerFetcher(std::string url, std::string token_file, std::string token)
      : url_(std::move(url)), token_file_(std::move(token_file)), token_(std::move(token)) {}

  http::Awaitable<Fetched> fetch() override {
    auto request = auth::request_for(url_, verb::get);
    if (!request) co_return auth::refused_fetch(kProvider, "container credentials URI '" + url_ + "' is not an http(s) URL");
    // As the SDKs: plain http only to the container agents' link-local addresses or loopback.
    const auto& host = request->url.host;
    if (!request->url.tls && host != "169.254.170.2" && host != "169.254.170.23" && host != "[fd00:ec2::23]" &&
        host != "localhost" && host != "[::1]" && !host.starts_with("127."))
      co_return auth::refused_fetch(kProvider, "container credentials URI '" + url_ +
                                                   "' must be https, loopback or the ECS/EKS agent address");
    std::string token = token_;
    if (!token_file_.empty()) {
      auto read = auth::read_small_file(token_file_);
      if (!read) co_return auth::refused_fetch(kProvider, "container authorization token file " + token_file_ + " cannot be read");
      token = std::move(*read);
    }
    if (!token.empty()) request->headers.emplace_back("authorization", std::move(token));
    request->headers.emplace_back("accept", "application/json");
    request->connect_timeout = auth::kMetadataConnectTimeout;
    const std::string what = "container credentials at " + url_;
    auto response = co_await auth::send(std::move(*request));
    if (!response.ok()) co_return Fetched{nullptr, auth::call_failed(kProvider, what, response, response.body)};
    std::string error;
    auto parsed = parse_credentials_json(response.body, error);
    if (!parsed) co_return auth::refused_fetch(kProvider, what + ": " + error);
    co_return temporary(*parsed);
  }
  std::string describe() const override {
    return "AWS container credentials (" + url_ + (token_file_.empty() && token_.empty() ? ")" : ", with authorization token)");
  }

 private:
  std::string url_, token_file_, token_;
};

// EC2 instance metadata, IMDSv2: PUT a session token, then the role name, then its credentials.
class ImdsFetcher final : public Fetcher {
 public:
  explicit ImdsFetcher(std::string endpoint) : endpoint_(std::move(endpoint)) {
    while (endpoint_.ends_with('/')) endpoint_.pop_back();
  }

  http::Awaitable<Fetched> fetch() override {
    const std::string what = "EC2 instance metadata at " + endpoint_;
    auto token_request = auth::request_for(endpoint_ + "/latest/api/token", verb::put);
    if (!token_request) co_return auth::refused_fetch(kProvider, what + ": not an http(s) URL");
    token_request->headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", std::string(kImdsTokenTtlSeconds));
    token_request->connect_timeout = auth::kMetadataConnectTimeout;
    auto token = co_await auth::send(*token_request);
    if (!token.ok()) co_return Fetched{nullptr, no_credentials(what + " (session token)", token)};

    auto role_request = *auth::request_for(endpoint_ + "/latest/meta-data/iam/security-credentials/", verb::get);
    role_request.headers.emplace_back("x-aws-ec2-metadata-token", token.body);
    auto role = co_await auth::send(role_request);
    const auto role_name = std::string(core::trim(role.body.substr(0, role.body.find('\n'))));
    if (!role.ok() || role_name.empty()) co_return Fetched{nullptr, no_credentials(what + " (role name)", role)};

    auto creds_request = role_request;
    creds_request.target += role_name;
    auto creds = co_await auth::send(creds_request);
    if (!creds.ok()) co_return Fetched{nullptr, no_credentials(what + " (role " + role_name + ")", creds)};
    std::string error;
    auto parsed = parse_credentials_json(creds.body, error);
    if (!parsed) co_return auth::refused_fetch(kProvider, what + ": " + error);
    co_return temporary(*parsed);
  }
  std::string describe() const override { return "AWS EC2 instance metadata (IMDSv2, " + endpoint_ + ")"; }

 private:
  // IMDS is the chain's last resort: when nothing listens there (off EC2) there are no
  // credentials at all, which is how the SDKs report it; a slow or failing IMDS keeps its class.
  static errors::UpstreamError no_credentials(const std::string& what, const http::UpstreamResponse& r) {
    using T = errors::TransportError;
    const bool absent = r.transport_error == T::connection_refused || r.transport_error == T::connect_timeout ||
                        r.transport_error == T::dns;
    if (absent || r.status == 404)
      return auth::refused(kProvider, "Unable to locate credentials: " + what + ": " +
                                          (absent ? r.transport_message : std::string("HTTP 404")));
    return auth::call_failed(kProvider, what, r, r.body);
  }
  std::string endpoint_;
};

// ---- choosing the source ----------------------------------------------------------------------

struct Inputs {
  const config::Deployment& d;
  std::string region;
  std::string param(const char* name, const char* litellm_env = nullptr) const {
    if (litellm_env) return param_or_env(d, {name}, {litellm_env});
    return param_or_env(d, {name});
  }
};

std::shared_ptr<CredentialSource> fixed(Credentials keys, std::string description) {
  Credential c;
  c.aws = std::move(keys);
  return CredentialSource::fixed(std::move(c), std::move(description));
}

std::shared_ptr<CredentialSource> web_identity(std::string role, std::string session, std::string file, std::string token,
                                               const StsEndpoint& sts, std::int64_t duration) {
  const auto key = "aws-web-identity\n" + role + '\n' + session + '\n' + file + '\n' + token + '\n' + sts.url;
  return auth::shared_source(key, [&] {
    return std::make_unique<WebIdentityFetcher>(role, session, file, token, sts, duration);
  });
}

std::shared_ptr<CredentialSource> assume_role(std::shared_ptr<CredentialSource> base, AssumeRoleParams p,
                                              const StsEndpoint& sts, const std::string& base_key) {
  const auto key = "aws-assume-role\n" + p.role_arn + '\n' + p.session_name + '\n' + p.external_id + '\n' + sts.url +
                   '\n' + sts.region + '\n' + base_key;
  return auth::shared_source(key, [&] { return std::make_unique<AssumeRoleFetcher>(base, p, sts); });
}

std::shared_ptr<CredentialSource> container() {
  auto url = env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (const auto relative = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !relative.empty())
    url = std::string(kEcsHost) + relative;  // the relative URI wins, as in the SDKs
  if (url.empty()) return nullptr;
  const auto file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
  const auto token = file.empty() ? env("AWS_CONTAINER_AUTHORIZATION_TOKEN") : std::string();
  return auth::shared_source("aws-container\n" + url + '\n' + file + '\n' + token,
                             [&] { return std::make_unique<ContainerFetcher>(url, file, token); });
}

std::shared_ptr<CredentialSource> imds() {
  if (env_true("AWS_EC2_METADATA_DISABLED")) return nullptr;
  auto endpoint = env("AWS_EC2_METADATA_SERVICE_ENDPOINT");
  if (endpoint.empty()) endpoint = kDefaultImdsEndpoint;
  return auth::shared_source("aws-imds\n" + endpoint, [&] { return std::make_unique<ImdsFetcher>(endpoint); });
}

// A profile of the shared files, or why it cannot give credentials. `key` is what identifies it.
ChainChoice from_profile(const Inputs& in, const SharedFiles& files, const std::string& name, int depth, std::string& key) {
  const auto found = files.profiles.find(name);
  if (found == files.profiles.end())
    return {nullptr, "AWS profile '" + name + "' is in neither " + files.config_path + " nor " + files.credentials_path};
  if (depth > kMaxProfileDepth) return {nullptr, "AWS profile '" + name + "': source_profile chain too long (a cycle?)"};
  const auto& p = found->second;
  const auto get = [&p](const char* k) {
    const auto it = p.find(k);
    return it == p.end() ? std::string() : it->second;
  };
  key += "profile:" + name + '\n';
  const auto role_arn = get("role_arn");
  if (role_arn.empty()) {
    if (get("aws_access_key_id").empty() || get("aws_secret_access_key").empty())
      return {nullptr, "AWS profile '" + name + "' has neither keys nor role_arn"};
    key += get("aws_access_key_id") + '\n' + get("aws_secret_access_key") + '\n' + get("aws_session_token");
    return {fixed({get("aws_access_key_id"), get("aws_secret_access_key"), get("aws_session_token")},
                  "AWS profile '" + name + "' (static keys)"),
            {}};
  }
  const auto sts = sts_endpoint(in.param("aws_sts_endpoint", "AWS_STS_ENDPOINT"), in.region);
  auto session = get("role_session_name");
  if (session.empty()) session = "switchyard-session-" + unix_now();
  if (const auto file = get("web_identity_token_file"); !file.empty())
    return {web_identity(role_arn, session, file, {}, sts, 0), {}};
  std::shared_ptr<CredentialSource> base;
  if (const auto source = get("source_profile"); !source.empty()) {
    // A source profile's own keys are used as they are, even when it names a role itself (SDKs).
    const auto sp = files.profiles.find(source);
    if (sp != files.profiles.end() && sp->second.contains("aws_access_key_id") && source != name) {
      const auto& s = sp->second;
      const auto at = [&s](const char* k) { return s.contains(k) ? s.at(k) : std::string(); };
      key += at("aws_access_key_id") + '\n' + at("aws_secret_access_key") + '\n';
      base = fixed({at("aws_access_key_id"), at("aws_secret_access_key"), at("aws_session_token")},
                   "AWS profile '" + source + "' (static keys)");
    } else {
      auto chosen = from_profile(in, files, source, depth + 1, key);
      if (!chosen.source) return chosen;
      base = chosen.source;
    }
  } else if (const auto cs = get("credential_source"); !cs.empty()) {
    key += "credential_source:" + cs + '\n';
    if (cs == "Environment" && !env("AWS_ACCESS_KEY_ID").empty())
      base = fixed({env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")}, "AWS environment variables");
    else if (cs == "EcsContainer") base = container();
    else if (cs == "Ec2InstanceMetadata") base = imds();
    if (!base) return {nullptr, "AWS profile '" + name + "': credential_source " + cs + " gives no credentials"};
  } else {
    return {nullptr, "AWS profile '" + name + "': role_arn needs source_profile, credential_source or web_identity_token_file"};
  }
  AssumeRoleParams params{role_arn, session, get("external_id"), {}, 0};
  return {assume_role(base, params, sts, key), {}};
}

// The SDKs' default chain (without LiteLLM's role parameters). `key` identifies the result.
ChainChoice default_chain(const Inputs& in, std::string& key) {
  const auto akid = in.param("aws_access_key_id");
  const auto secret = in.param("aws_secret_access_key");
  if (!akid.empty() && !secret.empty()) {
    key += "params\n" + akid + '\n' + secret;
    return {fixed({akid, secret, in.param("aws_session_token")}, "AWS keys from aws_access_key_id/aws_secret_access_key"), {}};
  }
  auto profile_name = in.param("aws_profile_name", "AWS_PROFILE_NAME");
  const bool explicit_profile = !profile_name.empty();
  // An explicitly named profile takes the place of the environment's keys (botocore).
  if (!explicit_profile && !env("AWS_ACCESS_KEY_ID").empty() && !env("AWS_SECRET_ACCESS_KEY").empty()) {
    key += "env\n" + env("AWS_ACCESS_KEY_ID") + '\n' + env("AWS_SECRET_ACCESS_KEY");
    return {fixed({env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")},
                  "AWS environment variables (AWS_ACCESS_KEY_ID)"),
            {}};
  }
  if (const auto role = env("AWS_ROLE_ARN"), file = env("AWS_WEB_IDENTITY_TOKEN_FILE"); !role.empty() && !file.empty()) {
    auto session = env("AWS_ROLE_SESSION_NAME");
    if (session.empty()) session = "switchyard-session-" + unix_now();
    const auto sts = sts_endpoint(in.param("aws_sts_endpoint", "AWS_STS_ENDPOINT"), in.region);
    key += "irsa\n" + role + '\n' + file;
    return {web_identity(role, session, file, {}, sts, 0), {}};
  }
  if (profile_name.empty()) profile_name = env("AWS_PROFILE");
  const bool named = !profile_name.empty();
  if (profile_name.empty()) profile_name = "default";
  const auto files = load_shared_files();
  if (named || files.profiles.contains(profile_name)) {
    auto chosen = from_profile(in, files, profile_name, 0, key);
    if (chosen.source || named) return chosen;  // a named profile that fails is an error, not a fall-through
  }
  if (auto c = container()) {
    key += "container";
    return {c, {}};
  }
  if (auto i = imds()) {
    key += "imds";
    return {i, {}};
  }
  return {nullptr, "Unable to locate AWS credentials (no keys, web identity, profile, container or instance metadata)"};
}

}  // namespace

ChainChoice choose_credentials(const config::Deployment& d, const std::string& region) {
  const Inputs in{d, region};
  const auto role = in.param("aws_role_name", "AWS_ROLE_NAME");
  const auto session = in.param("aws_session_name", "AWS_SESSION_NAME");
  const auto sts = sts_endpoint(in.param("aws_sts_endpoint", "AWS_STS_ENDPOINT"), region);
  auto token = in.param("aws_web_identity_token", "AWS_WEB_IDENTITY_TOKEN");
  // LiteLLM: an explicit OIDC token with a role and a session name is exchanged directly.
  if (!token.empty() && !role.empty() && !session.empty())
    return {web_identity(role, session, {}, token, sts, kAssumedRoleSeconds), {}};
  std::string key;
  if (role.empty()) return default_chain(in, key);

  const auto session_name = session.empty() ? "switchyard-session-" + unix_now() : session;
  const auto external_id = in.param("aws_external_id", "AWS_EXTERNAL_ID");
  const bool explicit_keys = !in.param("aws_access_key_id").empty();
  const auto irsa_role = env("AWS_ROLE_ARN");
  const auto irsa_file = env("AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!explicit_keys && !irsa_role.empty() && !irsa_file.empty()) {
    // Under IRSA, LiteLLM uses the pod's role as it is when it is the role asked for; otherwise
    // it assumes the pod's role with the session name, then the target role with those keys.
    const auto pod = web_identity(irsa_role, session_name, irsa_file, {}, sts, 0);
    if (irsa_role == role) return {pod, {}};
    return {assume_role(pod, {role, session_name, external_id, {}, 0}, sts, "irsa\n" + irsa_role + '\n' + irsa_file), {}};
  }
  auto base = default_chain(in, key);
  if (!base.source) return base;
  return {assume_role(base.source, {role, session_name, external_id, {}, 0}, sts, key), {}};
}

}  // namespace switchyard::providers::aws
