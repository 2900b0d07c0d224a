// Keeps secrets out of logs and metrics. Provider error messages sometimes echo what they were
// sent (a key prefix, a bearer token); the redactor replaces every secret the config holds (api
// keys, the master key, cloud secrets) and anything shaped like a bearer token or an API key
// (`Bearer …`, `Basic …`, `sk-…`, `sk-ant-…`, `AKIA…`, a half-masked echo like `sk-abc***xyz`)
// with "[redacted]", and the credentials written in an api_base (https://user:pass@host).
// Applied to request logs and to every upstream text a client receives (client_errors.h,
// stream error events). Built once per config load; the secrets only met at run time (fetched
// cloud credentials, keys from the environment alone) come from providers/auth/learned_secrets.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace switchyard::api {

class Redactor {
 public:
  Redactor() = default;
  explicit Redactor(const config::Config& config);
  std::string operator()(std::string_view text) const;

 private:
  std::vector<std::string> secrets_;  // longest first, so a secret containing another goes whole
};

}  // namespace switchyard::api
