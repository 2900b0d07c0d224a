// Secrets the gateway only meets at run time, for the redactor (api/redact.h): credentials a
// source fetched (STS keys and session tokens, OAuth access tokens from metadata servers and
// token endpoints), keys read from the environment alone, and the inputs of a fetch (a client
// secret from AZURE_CLIENT_SECRET). The config's own secrets are known to the redactor already.
//
// Writers are rare (a credential refresh on the credential thread, a config load) and take a
// mutex; readers (an upstream error being redacted, on any I/O thread) take none: the current
// list is one immutable snapshot behind an atomic shared_ptr, replaced whole on every change.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace switchyard::providers::auth::learned_secrets {

// Values shorter than this are not secrets worth redacting (they would redact noise).
inline constexpr std::size_t kMinSecretLength = 6;

// Replaces what `owner` (a credential source) contributed; values shorter than 6 characters are
// ignored (they would redact noise), as in the redactor.
void set(const void* owner, std::vector<std::string> secrets);
// `owner` is gone (a reload dropped the source): its secrets leave the list.
void forget(const void* owner);
// Every learned secret, longest first (a secret containing another goes whole). Never null.
std::shared_ptr<const std::vector<std::string>> snapshot();

}  // namespace switchyard::providers::auth::learned_secrets
