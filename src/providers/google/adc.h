// Google Application Default Credentials for Vertex AI, as google-auth finds them:
// `vertex_credentials` (a path or the JSON itself) or GOOGLE_APPLICATION_CREDENTIALS naming a file
// of type `service_account` (signed JWT exchanged at token_uri), `authorized_user` (refresh
// token) or `external_account` (workload identity federation: a subject token from a file or a
// URL exchanged at Google's STS, then optionally a service account impersonated); without a
// file, the metadata server (GKE workload identity, GCE; GCE_METADATA_HOST honoured) for the
// token and, when no project is configured, the project id.
// https://google.aip.dev/auth/4110 (ADC), https://google.aip.dev/auth/4117 (external accounts)
#pragma once

#include <memory>
#include <string>

#include "config/config.h"
#include "providers/auth/credential_source.h"

namespace switchyard::providers::google {

struct AdcChoice {
  std::shared_ptr<auth::CredentialSource> source;  // null with `error` when none applies
  std::string project;  // the credentials' own project (service account, metadata server), if known
  std::string error;
};

// `want_project`: ask the metadata server for the project id (blocking the config-loading
// thread for at most a few seconds) when credentials come from it.
AdcChoice choose_credentials(const std::string& credentials_param, bool want_project);

// http://metadata.google.internal, or http://$GCE_METADATA_HOST.
std::string metadata_root();

}  // namespace switchyard::providers::google
