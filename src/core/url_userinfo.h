// Credentials written into a URL (`https://user:pass@host/v1`, as curl accepts them). The gateway
// uses them for the upstream (HTTP Basic, see providers/registry.cpp) and shows the URL only
// without them: deployment ids, /admin/deployments, logs and error messages use
// `without_userinfo`. Pure string work; no I/O, never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::core {

struct Userinfo {
  std::string user;      // percent-decoded
  std::string password;  // percent-decoded; empty when the URL has "user@" only
  std::string raw;       // as written ("user:p%40ss"), for redaction
};

// The userinfo of an http(s) URL, or nullopt when it has none.
std::optional<Userinfo> userinfo_of(std::string_view url);

// The URL with any "user[:password]@" removed from its authority; other text unchanged.
std::string without_userinfo(std::string_view url);

}  // namespace switchyard::core
