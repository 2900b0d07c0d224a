// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials, or
// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) as the SDKs read them: INI sections, `[profile
// NAME]` in the config file and `[NAME]` in the credentials file (whose values win), `#`/`;`
// comments, indented sub-settings skipped. Read at config load, never on the hot path.
// https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::providers::aws {

using Profile = std::map<std::string, std::string>;  // lower-cased key → value
using Profiles = std::map<std::string, Profile>;

// `config_file`: "[profile x]" names x ("[default]" and, leniently, "[x]" too); else "[x]".
Profiles parse_ini_profiles(std::string_view text, bool config_file);

struct SharedFiles {
  Profiles profiles;  // merged: the credentials file's values over the config file's
  std::string config_path;
  std::string credentials_path;
};

// Both files from the environment's paths (missing files are empty).
SharedFiles load_shared_files();

}  // namespace switchyard::providers::aws
