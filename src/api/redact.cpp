#include "api/redact.h"

#include <algorithm>
#include <cctype>

#include "core/url_userinfo.h"
#include "providers/auth/learned_secrets.h"

namespace switchyard::api {
namespace {
constexpr std::string_view kRedacted = "[redacted]";
// Shorter values ("1", "us") would redact noise: the same floor as the learned secrets.
using providers::auth::learned_secrets::kMinSecretLength;

// Param names whose values are credentials.
bool is_secret_param(std::string_view name) {
  for (std::string_view marker : {"key", "secret", "token", "password", "credential"})
    if (name.find(marker) != std::string_view::npos) return true;
  return false;
}

bool token_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' || c == '/' || c == '='; }

// Replaces the token that follows each occurrence of `prefix` (if at least `min_len` long).
void redact_after(std::string& text, std::string_view prefix, std::size_t min_len, bool keep_prefix) {
  for (std::size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
    std::size_t end = at + prefix.size();
    while (end < text.size() && token_char(text[end])) ++end;
    if (end - at - prefix.size() < min_len) continue;
    const std::size_t from = keep_prefix ? at + prefix.size() : at;
    text.replace(from, end - from, kRedacted);
  }
}
// A key the upstream echoed half-masked ("Incorrect API key provided: sk-VKMIs****…wjh3", or
// "key_8Tjw********rtUb"): its visible ends still identify the key, so the whole token goes.
void redact_masked_keys(std::string& text) {
  constexpr std::string_view kMask = "***";
  const auto masked_char = [](char c) { return token_char(c) || c == '*'; };
  for (std::size_t at = text.find(kMask); at != std::string::npos; at = text.find(kMask, at)) {
    std::size_t begin = at;
    while (begin > 0 && masked_char(text[begin - 1])) --begin;
    std::size_t end = at;
    while (end < text.size() && masked_char(text[end])) ++end;
    // Keep a full stop that ends the sentence ("…wjh3. You can find…").
    while (end > at + kMask.size() && text[end - 1] == '.') --end;
    // A mask sits inside a key, with its visible ends around it; "***bold***" hides nothing.
    if (text[begin] == '*' || text[end - 1] == '*') {
      at = end;
      continue;
    }
    text.replace(begin, end - begin, kRedacted);
    at = begin + kRedacted.size();
  }
}
}  // namespace

Redactor::Redactor(const config::Config& config) {
  const auto add = [this](const std::string& s) {
    if (s.size() >= kMinSecretLength) secrets_.push_back(s);
  };
  add(config.general.master_key);
  add(config.router.redis_password);
  if (config.router.redis) add(config.router.redis->password);
  for (const auto& k : config.general.keys) add(k.key);
  for (const auto& d : config.deployments) {
    add(d.api_key);
    if (const auto userinfo = core::userinfo_of(d.api_base)) {  // https://user:pass@host
      add(userinfo->raw);
      add(userinfo->password);
      add(userinfo->user + ":" + userinfo->password);
    }
    for (const auto& [name, value] : d.params)
      if (is_secret_param(name)) add(value);
  }
  // Longest first; equal lengths in order, so that std::unique sees every duplicate.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const auto& a, const auto& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
}

std::string Redactor::operator()(std::string_view text) const {
  std::string out(text);
  // The config's secrets and those met at run time (fetched credentials, keys from the environment
  // alone: one atomic load) in one walk, longest first across both lists, so that a secret that
  // contains another one goes whole, whichever list each is in.
  const auto learned = providers::auth::learned_secrets::snapshot();
  auto mine = secrets_.begin();
  auto theirs = learned->begin();
  while (mine != secrets_.end() || theirs != learned->end()) {
    const bool take_mine = theirs == learned->end() || (mine != secrets_.end() && mine->size() >= theirs->size());
    const std::string& secret = take_mine ? *mine++ : *theirs++;
    for (auto at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kRedacted.size()))
      out.replace(at, secret.size(), kRedacted);
  }
  redact_after(out, "Bearer ", 8, true);
  redact_after(out, "bearer ", 8, true);
  redact_after(out, "Basic ", 8, true);
  redact_masked_keys(out);
  redact_after(out, "sk-", 16, false);    // OpenAI and Anthropic (sk-ant-…) keys
  redact_after(out, "AKIA", 12, false);   // AWS access key ids
  redact_after(out, "ASIA", 12, false);   // AWS temporary access key ids (STS, IRSA, IMDS)
  redact_after(out, "AIza", 20, false);   // Google API keys
  return out;
}

}  // namespace switchyard::api
