// The table of real provider error responses (tests/data/provider_errors.yaml, each case citing
// its source) run through the classifier: class and decision must match for every case.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>

#include "errors/classifier.h"

namespace switchyard::errors {
namespace {

struct Case {
  std::string name;
  UpstreamError error;
  std::string expected_class;
  bool retry = false, cooldown = false, fallback = false;
  std::string source;
};

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  const auto root = YAML::LoadFile(std::string(SWITCHYARD_TEST_DATA_DIR) + "/provider_errors.yaml");
  for (const auto& n : root["cases"]) {
    Case c;
    c.name = n["name"].as<std::string>();
    const auto provider = core::provider_from_string(n["provider"].as<std::string>());
    if (!provider) throw std::runtime_error("unknown provider in case " + c.name);
    c.error.provider = *provider;
    c.error.status = n["status"].as<int>();
    if (const auto h = n["headers"])
      for (const auto& kv : h) c.error.headers.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    if (const auto b = n["body"]; b && !b.IsNull()) c.error.body = b.as<std::string>();
    if (const auto t = n["transport_error"])
      if (!transport_error_from_string(t.as<std::string>(), c.error.transport_error))
        throw std::runtime_error("unknown transport_error in case " + c.name);
    const auto e = n["expect"];
    c.expected_class = e["class"].as<std::string>();
    c.retry = e["retry"].as<bool>();
    c.cooldown = e["cooldown"].as<bool>();
    c.fallback = e["fallback"].as<bool>();
    c.source = n["source"].as<std::string>("");
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(ProviderErrorTable, EveryRealErrorGetsItsExpectedClassAndDecision) {
  const auto cases = load_cases();
  const Classifier classifier;
  std::map<std::string, int> per_provider;
  int failures = 0;
  for (const auto& c : cases) {
    ++per_provider[std::string(core::to_string(c.error.provider))];
    EXPECT_FALSE(c.source.empty()) << c.name << ": every case must cite its source";
    const auto got = classifier.classify(c.error);
    const bool ok = to_string(got.error_class) == c.expected_class && got.decision.retry == c.retry &&
                    got.decision.cooldown == c.cooldown && got.decision.fallback == c.fallback;
    if (!ok) ++failures;
    EXPECT_TRUE(ok) << c.name << ": expected " << c.expected_class << " retry=" << c.retry << " cooldown=" << c.cooldown
                    << " fallback=" << c.fallback << ", got " << to_string(got.error_class)
                    << " retry=" << got.decision.retry << " cooldown=" << got.decision.cooldown
                    << " fallback=" << got.decision.fallback << " by rule " << got.rule;
  }
  EXPECT_GE(cases.size(), 60u);
  for (const auto* p : {"anthropic", "openai", "azure", "databricks", "vertex_ai", "gemini", "bedrock", "openai_compatible"})
    EXPECT_GE(per_provider[p], 5) << "too few cases for " << p;
  std::string summary;
  for (const auto& [p, n] : per_provider) summary += p + "=" + std::to_string(n) + " ";
  std::cout << "provider error table: " << cases.size() << " cases (" << summary << "), " << failures << " mismatches\n";
}

// The expected decision in the data must be the DESIGN.md table's: a typo in the data file
// would otherwise test nothing.
TEST(ProviderErrorTable, ExpectedDecisionsFollowTheDesignTable) {
  for (const auto& c : load_cases()) {
    const auto cls = error_class_from_string(c.expected_class);
    ASSERT_TRUE(cls) << c.name << ": unknown class " << c.expected_class;
    const auto d = default_decision(*cls);
    EXPECT_EQ(d.retry, c.retry) << c.name;
    EXPECT_EQ(d.cooldown, c.cooldown) << c.name;
    EXPECT_EQ(d.fallback, c.fallback) << c.name;
  }
}

}  // namespace
}  // namespace switchyard::errors
