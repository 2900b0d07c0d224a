#include "providers/aws/shared_config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace switchyard::providers::aws {
namespace {

std::string home_path(std::string_view rest) {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + std::string(rest);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Profiles parse_ini_profiles(std::string_view text, bool config_file) {
  Profiles profiles;
  Profile* current = nullptr;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view raw = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) continue;  // sub-setting (s3 = …)
    std::string_view line = core::trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      const auto close = line.find(']');
      if (close == std::string_view::npos) {
        current = nullptr;
        continue;
      }
      std::string_view name = core::trim(line.substr(1, close - 1));
      if (config_file && name.starts_with("profile ")) name = core::trim(name.substr(8));
      current = name.empty() ? nullptr : &profiles[std::string(name)];
      continue;
    }
    if (!current) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    auto value = core::trim(line.substr(eq + 1));
    // Inline comments need a space before them (values like secrets may contain '#').
    for (const auto marker : {std::string_view(" #"), std::string_view(" ;")})
      if (const auto at = value.find(marker); at != std::string_view::npos) value = core::trim(value.substr(0, at));
    (*current)[core::to_lower_ascii(core::trim(line.substr(0, eq)))] = std::string(value);
  }
  return profiles;
}

SharedFiles load_shared_files() {
  SharedFiles files;
  const char* config = std::getenv("AWS_CONFIG_FILE");
  const char* credentials = std::getenv("AWS_SHARED_CREDENTIALS_FILE");
  files.config_path = config && *config ? config : home_path("/.aws/config");
  files.credentials_path = credentials && *credentials ? credentials : home_path("/.aws/credentials");
  files.profiles = parse_ini_profiles(read_file(files.config_path), true);
  for (auto& [name, values] : parse_ini_profiles(read_file(files.credentials_path), false))
    for (auto& [key, value] : values) files.profiles[name][key] = std::move(value);
  return files;
}

}  // namespace switchyard::providers::aws
