// Which AWS credential source a Bedrock deployment gets, in the SDKs' order with LiteLLM's
// parameters on top (aws/credential_chain.h), read from its description as `switchyard check`
// prints it. No network: choosing a source fetches nothing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "providers/aws/credential_chain.h"

namespace switchyard::providers::aws {
namespace {

constexpr const char* kChainVariables[] = {
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS",
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_NAME", "AWS_SESSION_NAME", "AWS_PROFILE_NAME",
    "AWS_WEB_IDENTITY_TOKEN", "AWS_STS_ENDPOINT", "AWS_EXTERNAL_ID", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"};

class AwsChain : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : kChainVariables) unsetenv(name);
    dir_ = std::filesystem::temp_directory_path() / ("sy-chain-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    // No real ~/.aws files may leak in.
    setenv("AWS_CONFIG_FILE", (dir_ / "config").c_str(), 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", (dir_ / "credentials").c_str(), 1);
  }
  void TearDown() override {
    for (const char* name : kChainVariables) unsetenv(name);
    std::filesystem::remove_all(dir_);
  }
  std::string write(const char* name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  static std::string chosen(std::map<std::string, std::string> params = {}) {
    config::Deployment d;
    d.provider = core::Provider::bedrock;
    d.params = std::move(params);
    const auto c = choose_credentials(d, "us-east-1");
    return c.source ? c.source->describe() : "error: " + c.error;
  }
  std::filesystem::path dir_;
};

TEST_F(AwsChain, ExplicitParamsBeatTheEnvironment) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
  EXPECT_EQ(chosen({{"aws_access_key_id", "AKIDPARAM"}, {"aws_secret_access_key", "p"}}),
            "AWS keys from aws_access_key_id/aws_secret_access_key");
  EXPECT_EQ(chosen(), "AWS environment variables (AWS_ACCESS_KEY_ID)");
}

TEST_F(AwsChain, EnvironmentKeysBeatWebIdentityWhichBeatsProfilesContainerAndImds) {
  setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1/credentials", 1);
  EXPECT_EQ(chosen(), "AWS container credentials (http://169.254.170.23/v1/credentials)");
  write("credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = f\n");
  EXPECT_EQ(chosen(), "AWS profile 'default' (static keys)");
  setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod", 1);
  setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/token", 1);
  EXPECT_NE(chosen().find("AWS web identity: STS AssumeRoleWithWebIdentity for arn:aws:iam::1:role/pod"), std::string::npos);
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
  EXPECT_EQ(chosen(), "AWS environment variables (AWS_ACCESS_KEY_ID)");
}

TEST_F(AwsChain, ImdsIsTheLastResortUnlessDisabled) {
  setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1", 1);
  EXPECT_EQ(chosen(), "AWS EC2 instance metadata (IMDSv2, http://127.0.0.1:1)");
  setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
  EXPECT_EQ(chosen().rfind("error: Unable to locate AWS credentials", 0), 0u);
}

TEST_F(AwsChain, AnExplicitProfileSkipsEnvironmentKeysAndAMissingOneIsAnError) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "s", 1);
  write("config", "[profile gw]\nrole_arn = arn:aws:iam::1:role/gw\nsource_profile = base\n");
  write("credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = b\n");
  EXPECT_EQ(chosen({{"aws_profile_name", "gw"}}).rfind("AWS AssumeRole arn:aws:iam::1:role/gw", 0), 0u);
  EXPECT_NE(chosen({{"aws_profile_name", "gw"}}).find("signed with [AWS profile 'base' (static keys)]"), std::string::npos);
  EXPECT_NE(chosen({{"aws_profile_name", "nope"}}).find("AWS profile 'nope' is in neither"), std::string::npos);
}

TEST_F(AwsChain, LiteLlmRoleParameters) {
  // aws_web_identity_token + aws_role_name + aws_session_name: exchanged directly.
  EXPECT_EQ(chosen({{"aws_web_identity_token", "oidc"}, {"aws_role_name", "arn:aws:iam::1:role/r"},
                    {"aws_session_name", "s"}, {"aws_sts_endpoint", "https://sts.eu-west-1.amazonaws.com"}}),
            "AWS web identity: STS AssumeRoleWithWebIdentity for arn:aws:iam::1:role/r with aws_web_identity_token "
            "(https://sts.eu-west-1.amazonaws.com)");
  // aws_role_name with keys: AssumeRole signed with them.
  EXPECT_EQ(chosen({{"aws_role_name", "arn:aws:iam::1:role/r"}, {"aws_external_id", "x"},
                    {"aws_access_key_id", "AKID"}, {"aws_secret_access_key", "s"}}),
            "AWS AssumeRole arn:aws:iam::1:role/r (with external id) (https://sts.us-east-1.amazonaws.com), signed with "
            "[AWS keys from aws_access_key_id/aws_secret_access_key]");
  // Under IRSA: the pod's own role is used as it is; another role is assumed through it.
  setenv("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod", 1);
  setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/t", 1);
  setenv("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9", 1);
  EXPECT_EQ(chosen({{"aws_role_name", "arn:aws:iam::1:role/pod"}}).rfind("AWS web identity", 0), 0u);
  EXPECT_EQ(chosen({{"aws_role_name", "arn:aws:iam::2:role/x"}}),
            "AWS AssumeRole arn:aws:iam::2:role/x (http://127.0.0.1:9), signed with [AWS web identity: STS "
            "AssumeRoleWithWebIdentity for arn:aws:iam::1:role/pod with the token in /t (http://127.0.0.1:9)]");
}

}  // namespace
}  // namespace switchyard::providers::aws
