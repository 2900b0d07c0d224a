// The redactor's learned secrets: what a credential source holds is redacted while the source
// lives (keys from the environment alone included), and no longer once a reload dropped it.
#include <gtest/gtest.h>

#include <algorithm>

#include "api/redact.h"
#include "providers/auth/credential_source.h"
#include "providers/auth/learned_secrets.h"

namespace switchyard::providers::auth {
namespace {

TEST(LearnedSecrets, AFixedSourcesKeysAreRedactedUntilTheSourceIsGone) {
  Credential c;
  c.aws = {"AKIDLEARNEDTEST01", "learned/Secret+Key/0000000000000000000000", "IQoJlearned-session-token"};
  auto source = CredentialSource::fixed(c, "static keys from the environment");
  const api::Redactor redact;  // knows no config secret: only the learned ones
  const auto text = redact("echo: learned/Secret+Key/0000000000000000000000 and IQoJlearned-session-token");
  EXPECT_EQ(text, "echo: [redacted] and [redacted]");
  source.reset();
  EXPECT_NE(redact("IQoJlearned-session-token").find("IQoJlearned-session-token"), std::string::npos);
}

TEST(LearnedSecrets, LongestFirstAndShortValuesIgnored) {
  int owner = 0;
  learned_secrets::set(&owner, {"tok-abcdef", "tok-abcdef-longer", "short"});
  const auto list = learned_secrets::snapshot();
  ASSERT_GE(list->size(), 2u);
  EXPECT_EQ(std::count(list->begin(), list->end(), "short"), 0);
  EXPECT_EQ(api::Redactor()("x tok-abcdef-longer y"), "x [redacted] y");
  learned_secrets::forget(&owner);
  const auto after = learned_secrets::snapshot();
  EXPECT_EQ(std::count(after->begin(), after->end(), "tok-abcdef"), 0);
}

// A config secret that contains a learned one goes whole: one walk over both lists, longest first
// (learned secrets first used to leave the config secret's ends in the text).
TEST(LearnedSecrets, AConfigSecretContainingALearnedOneGoesWhole) {
  int owner = 0;
  learned_secrets::set(&owner, {"inner-token-42"});
  config::Config cfg;
  cfg.general.master_key = "master-inner-token-42-tail";
  const api::Redactor redact(cfg);
  EXPECT_EQ(redact("key master-inner-token-42-tail end"), "key [redacted] end");
  EXPECT_EQ(redact("token inner-token-42 end"), "token [redacted] end");
  learned_secrets::forget(&owner);
}

}  // namespace
}  // namespace switchyard::providers::auth
