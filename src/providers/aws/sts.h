// AWS STS as the credential chain speaks it: the AssumeRole / AssumeRoleWithWebIdentity query
// bodies, and their XML answers (success or <ErrorResponse>), read with Boost.PropertyTree's XML
// parser (Boost is already a dependency; only the few fields we need are looked at). Also the
// JSON the ECS/EKS container endpoint and EC2 instance metadata answer with. Pure code; the mock
// uses the same vocabulary to answer.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "providers/aws/sigv4.h"

namespace switchyard::providers::aws {

inline constexpr std::string_view kStsVersion = "2011-06-15";
inline constexpr std::int64_t kAssumedRoleSeconds = 3600;

struct TemporaryCredentials {
  Credentials keys;
  std::chrono::system_clock::time_point expiration;
};

// Either credentials or the service's error (code + message, e.g. "AccessDenied", "User: … is not
// authorized to perform: sts:AssumeRole on resource: …").
struct StsAnswer {
  std::optional<TemporaryCredentials> credentials;
  std::string error_code;
  std::string error_message;
};

struct AssumeRoleParams {
  std::string role_arn;
  std::string session_name;
  std::string external_id;         // AssumeRole only; empty: not sent
  std::string web_identity_token;  // AssumeRoleWithWebIdentity only
  std::int64_t duration_seconds = 0;  // 0: not sent (STS's default, one hour)
};

// application/x-www-form-urlencoded bodies, POSTed to the STS endpoint's root.
std::string assume_role_body(const AssumeRoleParams& params);
std::string assume_role_with_web_identity_body(const AssumeRoleParams& params);

// <AssumeRoleResponse>/<AssumeRoleWithWebIdentityResponse> or <ErrorResponse>. A body that is
// neither (HTML from a proxy, garbage) is an error with code "MalformedResponse".
StsAnswer parse_sts_response(std::string_view xml);

// {"AccessKeyId","SecretAccessKey","Token","Expiration"} (container endpoint, instance metadata);
// IMDS adds "Code":"Success". nullopt with `error` when fields are missing.
std::optional<TemporaryCredentials> parse_credentials_json(std::string_view json, std::string& error);

// The XML STS answers with (for the mock; values escaped).
std::string sts_success_xml(std::string_view action, const TemporaryCredentials& credentials, std::string_view role_arn,
                            std::string_view session_name);
std::string sts_error_xml(std::string_view code, std::string_view message);

// "2019-11-09T13:34:41Z"
std::string iso8601(std::chrono::system_clock::time_point t);

}  // namespace switchyard::providers::aws
