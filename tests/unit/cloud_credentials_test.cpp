// The pure parts of the cloud credential chain: STS's XML answers (as AWS sends them, errors and
// garbage included), the shared config/credentials INI files, the container/IMDS JSON, OAuth
// token answers (Azure IMDS sends numbers as strings) and ISO 8601 expiry times.
#include <gtest/gtest.h>

#include "providers/auth/credential.h"
#include "providers/aws/shared_config.h"
#include "providers/aws/sts.h"

namespace switchyard::providers {
namespace {

// From https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
constexpr std::string_view kWebIdentityAnswer = R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

TEST(StsXml, ReadsWebIdentityCredentials) {
  const auto answer = aws::parse_sts_response(kWebIdentityAnswer);
  ASSERT_TRUE(answer.credentials) << answer.error_code << ": " << answer.error_message;
  EXPECT_EQ(answer.credentials->keys.access_key_id, "ASgeIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(answer.credentials->keys.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
  EXPECT_EQ(answer.credentials->keys.session_token, "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE");
  EXPECT_EQ(aws::iso8601(answer.credentials->expiration), "2014-10-24T23:00:23Z");
}

TEST(StsXml, ReadsAssumeRoleAsTheMockWritesIt) {
  aws::TemporaryCredentials t{{"ASIAX", "s&<cret>", "tok"}, *auth::parse_iso8601("2030-01-02T03:04:05Z")};
  const auto answer = aws::parse_sts_response(aws::sts_success_xml("AssumeRole", t, "arn:aws:iam::1:role/r", "sess"));
  ASSERT_TRUE(answer.credentials);
  EXPECT_EQ(answer.credentials->keys.secret_access_key, "s&<cret>") << "entities decoded";
}

TEST(StsXml, ErrorResponseGivesCodeAndMessage) {
  const auto answer = aws::parse_sts_response(aws::sts_error_xml(
      "AccessDenied", "User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:AssumeRole"));
  EXPECT_FALSE(answer.credentials);
  EXPECT_EQ(answer.error_code, "AccessDenied");
  EXPECT_NE(answer.error_message.find("not authorized"), std::string::npos);
}

TEST(StsXml, GarbageAndIncompleteAnswersAreErrorsNotCrashes) {
  for (std::string_view body : {"", "<html><body>502 Bad Gateway</body></html>", "<AssumeRoleResponse><",
                                "{\"json\":true}",
                                "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
                                "</Credentials></AssumeRoleResult></AssumeRoleResponse>"}) {
    const auto answer = aws::parse_sts_response(body);
    EXPECT_FALSE(answer.credentials) << body;
    EXPECT_FALSE(answer.error_code.empty()) << body;
  }
}

TEST(StsBody, FormEncodesEveryField) {
  const auto body = aws::assume_role_body({"arn:aws:iam::1:role/a b", "s", "ext/1", {}, 900});
  EXPECT_EQ(body, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fa%20b&RoleSessionName=s"
                  "&DurationSeconds=900&ExternalId=ext%2F1");
  EXPECT_NE(aws::assume_role_with_web_identity_body({"r", "s", {}, "a.b+c", 0}).find("&WebIdentityToken=a.b%2Bc"),
            std::string::npos);
}

TEST(SharedConfig, ProfilesFromConfigAndCredentialsFiles) {
  const auto config = aws::parse_ini_profiles(
      "# comment\n[default]\nregion = us-east-1\n[profile gw]\nrole_arn = arn:aws:iam::1:role/gw\n"
      "source_profile = base ; inline comment\ns3 =\n  max_concurrent_requests = 20\n[broken\nx = 1\n",
      true);
  ASSERT_TRUE(config.contains("gw"));
  EXPECT_EQ(config.at("gw").at("role_arn"), "arn:aws:iam::1:role/gw");
  EXPECT_EQ(config.at("gw").at("source_profile"), "base");
  EXPECT_FALSE(config.at("gw").contains("max_concurrent_requests")) << "indented sub-settings are skipped";
  EXPECT_EQ(config.at("default").at("region"), "us-east-1");
  const auto credentials = aws::parse_ini_profiles("[base]\nAWS_Access_Key_Id=AKID\naws_secret_access_key = a#b\n", false);
  EXPECT_EQ(credentials.at("base").at("aws_access_key_id"), "AKID") << "keys are case-insensitive";
  EXPECT_EQ(credentials.at("base").at("aws_secret_access_key"), "a#b") << "'#' without a space is part of the value";
}

TEST(ContainerJson, ReadsEcsAndImdsAnswers) {
  std::string error;
  const auto ecs = aws::parse_credentials_json(
      R"({"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z","AccountId":"1"})", error);
  ASSERT_TRUE(ecs) << error;
  EXPECT_EQ(ecs->keys.session_token, "t");
  EXPECT_FALSE(aws::parse_credentials_json(R"({"Code":"AssumeRoleUnauthorizedAccess","Message":"no"})", error));
  EXPECT_NE(error.find("AssumeRoleUnauthorizedAccess"), std::string::npos);
  EXPECT_FALSE(aws::parse_credentials_json("not json", error));
}

TEST(OAuthToken, NumbersOrStringsAndErrors) {
  std::string error;
  const auto azure = auth::parse_oauth_token(R"({"access_token":"eyJ0","expires_in":"86399","token_type":"Bearer"})", error);
  ASSERT_TRUE(azure) << error;
  EXPECT_EQ(azure->expires_in_seconds, 86399);
  const auto google = auth::parse_oauth_token(R"({"access_token":"ya29","expires_in":3599})", error);
  ASSERT_TRUE(google);
  EXPECT_EQ(google->expires_in_seconds, 3599);
  EXPECT_FALSE(auth::parse_oauth_token(R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret"})", error));
  EXPECT_EQ(error, "invalid_client: AADSTS7000215: Invalid client secret");
  EXPECT_FALSE(auth::parse_oauth_token("<html>", error));
}

TEST(Iso8601, ZuluFractionsAndOffsets) {
  const auto z = auth::parse_iso8601("2024-01-02T03:04:05Z");
  ASSERT_TRUE(z);
  EXPECT_EQ(auth::parse_iso8601("2024-01-02T03:04:05.123456789Z"), z);
  EXPECT_EQ(auth::parse_iso8601("2024-01-02T05:04:05+02:00"), z);
  EXPECT_FALSE(auth::parse_iso8601("yesterday"));
  EXPECT_FALSE(auth::parse_iso8601("2024-13-02T03:04:05Z"));
}

TEST(CredentialErrors, RefusalIsAuthenticationShapedForEveryProvider) {
  const auto e = auth::refused(core::Provider::bedrock, "STS AssumeRole: AccessDenied: no");
  EXPECT_EQ(e.status, 401);
  EXPECT_NE(e.body.find("authentication_error"), std::string::npos);
  EXPECT_NE(e.body.find("AccessDenied: no"), std::string::npos);
}

}  // namespace
}  // namespace switchyard::providers
