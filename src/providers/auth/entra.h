// Microsoft Entra ID tokens for Azure OpenAI (scope https://cognitiveservices.azure.com/.default),
// as azure-identity's DefaultAzureCredential finds them: client credentials (tenant_id /
// client_id / client_secret params, or AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET),
// workload identity (AZURE_FEDERATED_TOKEN_FILE: AKS; the file's token is the client assertion),
// then managed identity (App Service's IDENTITY_ENDPOINT + IDENTITY_HEADER, else the instance
// metadata service, AZURE_POD_IDENTITY_AUTHORITY_HOST overriding its host). The authority is
// AZURE_AUTHORITY_HOST (https://login.microsoftonline.com). An api_key or azure_ad_token in the
// config wins over all of them, as in LiteLLM.
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "providers/auth/credential_source.h"

namespace switchyard::providers::auth {

inline constexpr std::string_view kCognitiveServicesScope = "https://cognitiveservices.azure.com/.default";

// Null when the deployment authenticates with api_key / azure_ad_token.
std::shared_ptr<CredentialSource> choose_entra_credentials(const config::Deployment& deployment);

// Databricks OAuth machine-to-machine: client_id / client_secret (params, or
// DATABRICKS_CLIENT_ID / DATABRICKS_CLIENT_SECRET) against {workspace}/oidc/v1/token, scope
// all-apis. Null when the deployment uses a personal access token (api_key).
// https://docs.databricks.com/en/dev-tools/auth/oauth-m2m.html
std::shared_ptr<CredentialSource> choose_databricks_credentials(const config::Deployment& deployment,
                                                               const http::Url& api_base);

}  // namespace switchyard::providers::auth
