#include "providers/aws/sts.h"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "providers/auth/credential.h"
#include "providers/json_fields.h"

namespace switchyard::providers::aws {
namespace pt = boost::property_tree;
namespace {

std::string common_fields(std::string_view action, const AssumeRoleParams& p) {
  std::string body = "Action=" + std::string(action) + "&Version=" + std::string(kStsVersion) +
                     "&RoleArn=" + auth::form_encode(p.role_arn) + "&RoleSessionName=" + auth::form_encode(p.session_name);
  if (p.duration_seconds > 0) body += "&DurationSeconds=" + std::to_string(p.duration_seconds);
  return body;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string assume_role_body(const AssumeRoleParams& p) {
  auto body = common_fields("AssumeRole", p);
  if (!p.external_id.empty()) body += "&ExternalId=" + auth::form_encode(p.external_id);
  return body;
}

std::string assume_role_with_web_identity_body(const AssumeRoleParams& p) {
  return common_fields("AssumeRoleWithWebIdentity", p) + "&WebIdentityToken=" + auth::form_encode(p.web_identity_token);
}

StsAnswer parse_sts_response(std::string_view xml) {
  StsAnswer answer;
  pt::ptree tree;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, tree, pt::xml_parser::trim_whitespace);
  } catch (const pt::ptree_error&) {
    answer.error_code = "MalformedResponse";
    answer.error_message = "STS answered with something that is not XML";
    return answer;
  }
  if (const auto error = tree.get_child_optional("ErrorResponse.Error")) {
    answer.error_code = error->get("Code", "");
    answer.error_message = error->get("Message", "");
    if (answer.error_code.empty()) answer.error_code = "UnknownError";
    return answer;
  }
  for (const char* root : {"AssumeRoleResponse.AssumeRoleResult.Credentials",
                           "AssumeRoleWithWebIdentityResponse.AssumeRoleWithWebIdentityResult.Credentials"}) {
    const auto creds = tree.get_child_optional(root);
    if (!creds) continue;
    TemporaryCredentials t;
    t.keys.access_key_id = creds->get("AccessKeyId", "");
    t.keys.secret_access_key = creds->get("SecretAccessKey", "");
    t.keys.session_token = creds->get("SessionToken", "");
    const auto expiration = auth::parse_iso8601(creds->get("Expiration", ""));
    if (t.keys.access_key_id.empty() || t.keys.secret_access_key.empty() || t.keys.session_token.empty() || !expiration)
      break;
    t.expiration = *expiration;
    answer.credentials = std::move(t);
    return answer;
  }
  answer.error_code = "MalformedResponse";
  answer.error_message = "STS answer has no complete Credentials element";
  return answer;
}

std::optional<TemporaryCredentials> parse_credentials_json(std::string_view json, std::string& error) {
  using json_fields::str;
  const auto doc = json_fields::parse_object(json);
  if (!doc) {
    error = "credentials answer is not a JSON object";
    return std::nullopt;
  }
  if (const auto code = str(*doc, "Code"); !code.empty() && code != "Success") {
    error = "credentials answer says Code " + std::string(code) + ": " + std::string(str(*doc, "Message"));
    return std::nullopt;
  }
  TemporaryCredentials t;
  t.keys.access_key_id = std::string(str(*doc, "AccessKeyId"));
  t.keys.secret_access_key = std::string(str(*doc, "SecretAccessKey"));
  t.keys.session_token = std::string(str(*doc, "Token"));
  const auto expiration = auth::parse_iso8601(str(*doc, "Expiration"));
  if (t.keys.access_key_id.empty() || t.keys.secret_access_key.empty() || !expiration) {
    error = "credentials answer lacks AccessKeyId, SecretAccessKey or Expiration";
    return std::nullopt;
  }
  t.expiration = *expiration;
  return t;
}

std::string iso8601(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string sts_success_xml(std::string_view action, const TemporaryCredentials& c, std::string_view role_arn,
                            std::string_view session_name) {
  const std::string a(action);
  return "<" + a + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <" + a + "Result>\n" +
         "    <AssumedRoleUser>\n      <Arn>" + xml_escape(role_arn) + "/" + xml_escape(session_name) +
         "</Arn>\n      <AssumedRoleId>AROAMOCK:" + xml_escape(session_name) + "</AssumedRoleId>\n    </AssumedRoleUser>\n" +
         "    <Credentials>\n      <AccessKeyId>" + xml_escape(c.keys.access_key_id) + "</AccessKeyId>\n" +
         "      <SecretAccessKey>" + xml_escape(c.keys.secret_access_key) + "</SecretAccessKey>\n" +
         "      <SessionToken>" + xml_escape(c.keys.session_token) + "</SessionToken>\n" +
         "      <Expiration>" + iso8601(c.expiration) + "</Expiration>\n    </Credentials>\n" +
         "    <PackedPolicySize>6</PackedPolicySize>\n  </" + a + "Result>\n" +
         "  <ResponseMetadata>\n    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n  </ResponseMetadata>\n</" +
         a + "Response>\n";
}

std::string sts_error_xml(std::string_view code, std::string_view message) {
  return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n"
         "    <Code>" + xml_escape(code) + "</Code>\n    <Message>" + xml_escape(message) +
         "</Message>\n  </Error>\n  <RequestId>4e8d0e2a-1b2c-4d5e-8f90-123456789abc</RequestId>\n</ErrorResponse>\n";
}

}  // namespace switchyard::providers::aws
