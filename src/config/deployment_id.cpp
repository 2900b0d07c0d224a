#include "config/deployment_id.h"

#include "core/digest.h"
#include "core/url_userinfo.h"

#include <algorithm>
#include <map>
#include <set>

namespace switchyard::config {
namespace {

constexpr std::size_t kSuffixHexChars = 8;

// SHA-256 of the fields, each followed by a NUL (so "ab","c" and "a","bc" differ), as hex.
std::string hash_hex(const std::vector<std::string_view>& fields) {
  std::string data;
  for (const auto f : fields) {
    data.append(f);
    data.push_back('\0');
  }
  return core::sha256_hex(data);
}

std::vector<std::string_view> param_fields(const Deployment& d) {
  std::vector<std::string_view> f;
  for (const auto& [k, v] : d.params) {  // std::map: sorted, so the order in the YAML does not matter
    f.push_back(k);
    f.push_back(v);
  }
  return f;
}

// What tells two deployments with the same base id apart.
std::string identity_hash(const Deployment& d) {
  std::vector<std::string_view> f{d.group, d.api_base, d.api_key, d.api_version};
  const auto params = param_fields(d);
  f.insert(f.end(), params.begin(), params.end());
  return hash_hex(f).substr(0, kSuffixHexChars);
}

// Where the deployment is: its api_base, or for clouds without one their location.
// Without "user:password@": the id is shown in headers, /metrics, /admin and logs.
std::string location(const Deployment& d) {
  if (!d.api_base.empty()) return core::without_userinfo(d.api_base);
  std::string where;
  for (const char* key : {"vertex_location", "aws_region_name", "vertex_project"})
    if (auto it = d.params.find(key); it != d.params.end()) where += (where.empty() ? "" : "/") + it->second;
  return where;
}

}  // namespace

std::string base_deployment_id(const Deployment& d) {
  return std::string(to_string(d.provider)) + "/" + d.model + "@" + location(d);
}

void assign_deployment_ids(std::vector<Deployment>& deployments) {
  std::set<std::string> taken;  // explicit ids (model_info.id) keep theirs; derived ones avoid them
  std::map<std::string, int> base_count;
  for (const auto& d : deployments) {
    if (!d.id.empty()) taken.insert(d.id);
    else ++base_count[base_deployment_id(d)];
  }
  for (auto& d : deployments) {
    if (!d.id.empty()) continue;
    const auto base = base_deployment_id(d);
    std::string id = base;
    if (base_count[base] > 1 || taken.contains(id)) id = base + "#" + identity_hash(d);
    const auto stem = id;
    for (int n = 2; taken.contains(id); ++n) id = stem + "-" + std::to_string(n);
    taken.insert(id);
    d.id = std::move(id);
  }
}

std::string call_fingerprint(const Deployment& d) {
  const std::string provider(to_string(d.provider));
  std::vector<std::string_view> f{provider, d.model, d.api_base, d.api_key, d.api_version};
  const auto params = param_fields(d);
  f.insert(f.end(), params.begin(), params.end());
  return hash_hex(f);
}

}  // namespace switchyard::config
