// Where a Bedrock deployment's AWS credentials come from, in the AWS SDKs' order and with their
// variable names: explicit params → environment (AWS_ACCESS_KEY_ID/…) → web identity
// (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE: EKS IRSA) → shared config/credentials files
// (aws_profile_name / AWS_PROFILE: static keys, role_arn + source_profile / credential_source /
// web_identity_token_file) → container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI /
// _RELATIVE_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE): ECS, EKS Pod Identity) → EC2
// instance metadata (IMDSv2). LiteLLM's aws_role_name / aws_session_name /
// aws_web_identity_token / aws_sts_endpoint / aws_external_id act as in LiteLLM
// (litellm/llms/bedrock/base_aws_llm.py): an explicit web identity token is exchanged directly; a
// role is assumed with the base credentials (or, under IRSA, through the pod's own role).
// Chosen once at config load (files and environment read then); fetched on the credential thread.
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "providers/auth/credential_source.h"

namespace switchyard::providers::aws {

struct ChainChoice {
  std::shared_ptr<auth::CredentialSource> source;  // null: `error` says why none applies
  std::string error;
};

ChainChoice choose_credentials(const config::Deployment& deployment, const std::string& region);

}  // namespace switchyard::providers::aws
