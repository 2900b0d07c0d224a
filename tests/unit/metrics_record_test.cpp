// record_request resolves the series of an answered request once per thread and kind (no key
// strings per call): the exposition must be exactly what the previous per-call add()/observe()
// produced. That implementation is kept here as the reference; both record the same random
// requests (failures, fallbacks, streams, tokens, every status) into their own Metrics.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <random>
#include <thread>

#include "api/metrics.h"

namespace switchyard::api {
namespace {

void reference_record_request(Metrics& m, const RequestSummary& s, std::optional<double> overhead_seconds) {
  const std::string status = std::to_string(s.status);
  const std::string_view format = core::to_string(s.client_format);
  m.add(Family::requests, {s.model_group, s.deployment.empty() ? std::string_view("none") : std::string_view(s.deployment), format, status});
  for (std::size_t i = 0; i < s.failures.size(); ++i) {
    const auto& f = s.failures[i];
    const auto cls = to_string(f.classification.error_class);
    m.add(Family::attempts, {f.group, f.deployment_id, cls});
    m.observe(Family::upstream_latency, {f.deployment_id}, f.latency_ms / 1000);
    // The last failure in a group, followed by another group: that failure caused a fallback.
    const bool last_in_group = i + 1 == s.failures.size() || s.failures[i + 1].group != f.group;
    if (!last_in_group) continue;
    const auto next = std::find(s.groups_tried.begin(), s.groups_tried.end(), f.group);
    if (next != s.groups_tried.end() && next + 1 != s.groups_tried.end())
      m.add(Family::fallbacks, {s.model_group, f.deployment_id, *(next + 1), cls});
  }
  if (!s.deployment.empty()) {
    m.add(Family::attempts, {s.answered_by_group, s.deployment, "success"});
    m.observe(Family::upstream_latency, {s.deployment}, s.answer_latency_ms / 1000);
    if (s.stream) m.observe(Family::time_to_first_token, {s.deployment}, s.answer_latency_ms / 1000);
    if (s.usage.input_tokens) m.add(Family::tokens, {s.deployment, "input"}, static_cast<double>(s.usage.input_tokens));
    if (s.usage.output_tokens) m.add(Family::tokens, {s.deployment, "output"}, static_cast<double>(s.usage.output_tokens));
  }
  if (overhead_seconds) m.observe(Family::gateway_overhead, {}, *overhead_seconds);
}


RequestSummary random_request(std::mt19937& rng) {
  static const std::vector<std::string> kGroups = {"claude", "gpt", "backup", ""};
  static const std::vector<std::string> kDeployments = {"anthropic/claude@https://api.anthropic.com",
                                                        "openai_compatible/gpt@http://backup/v1", "we\"ird\\dep\nloyment"};
  const auto pick = [&](const std::vector<std::string>& from) { return from[rng() % from.size()]; };
  RequestSummary s;
  s.model_group = pick(kGroups);
  s.client_format = static_cast<core::WireFormat>(rng() % 3);
  s.stream = rng() % 2;
  s.status = std::vector<int>{200, 200, 200, 400, 429, 499, 503}[rng() % 7];
  for (auto n = rng() % 3; n > 0; --n) {
    router::FailedAttempt f;
    f.group = pick(kGroups);
    f.deployment_id = pick(kDeployments);
    f.classification.error_class = static_cast<errors::ErrorClass>(rng() % errors::kErrorClassCount);
    f.latency_ms = static_cast<double>(rng() % 100000) / 7;
    s.failures.push_back(f);
    if (s.groups_tried.empty() || s.groups_tried.back() != f.group) s.groups_tried.push_back(f.group);
  }
  if (rng() % 4 != 0) {
    s.deployment = pick(kDeployments);
    s.answered_by_group = pick(kGroups);
    s.answer_latency_ms = static_cast<double>(rng() % 400000) / 3;
    s.groups_tried.push_back(s.answered_by_group);
    if (rng() % 3 != 0) s.usage.input_tokens = static_cast<std::int64_t>(rng() % 5000);
    if (rng() % 3 != 0) s.usage.output_tokens = static_cast<std::int64_t>(rng() % 5000);
  }
  return s;
}

std::optional<double> random_overhead(std::mt19937& rng) {
  if (rng() % 2) return std::nullopt;
  return static_cast<double>(rng() % 20000) / 1e6;
}

TEST(MetricsRecordRequest, SameExpositionAsOneAddPerSeries) {
  Metrics fast, reference;
  std::mt19937 rng(15);
  for (int i = 0; i < 5000; ++i) {
    const auto s = random_request(rng);
    const auto overhead = random_overhead(rng);
    record_request(fast, s, overhead);
    reference_record_request(reference, s, overhead);
    if (i == 0 || i == 17 || i == 4999) {
      ASSERT_EQ(fast.scrape({}), reference.scrape({})) << "after request #" << i;
    }
  }
}

// Runs of requests of one kind (the usual traffic) take the last series found again; a kind in
// between, and summaries that are equal but other objects, must still land where they belong.
TEST(MetricsRecordRequest, RunsOfOneKindAndInterleavedKindsCountAlike) {
  Metrics fast, reference;
  std::mt19937 rng(42);
  std::vector<RequestSummary> kinds;
  for (int i = 0; i < 4; ++i) kinds.push_back(random_request(rng));
  for (int i = 0; i < 400; ++i) {
    const auto s = kinds[(i / 7 + (i % 5 == 0 ? 1 : 0)) % kinds.size()];  // a copy: other strings, same text
    const auto overhead = random_overhead(rng);
    record_request(fast, s, overhead);
    reference_record_request(reference, s, overhead);
  }
  EXPECT_EQ(fast.scrape({}), reference.scrape({}));
}

// The same exposition, except that histogram `_sum`s may differ in their last bits: threads add
// their doubles to the two Metrics in different orders, and floating-point addition does not
// associate (51661.765 vs 51661.76499999999).
void expect_same_exposition_up_to_sum_rounding(const std::string& a, const std::string& b) {
  std::istringstream in_a(a), in_b(b);
  std::string line_a, line_b;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(in_a, line_a));
    const bool more_b = static_cast<bool>(std::getline(in_b, line_b));
    ASSERT_EQ(more_a, more_b) << "expositions of different lengths";
    if (!more_a) return;
    const auto space_a = line_a.rfind(' '), space_b = line_b.rfind(' ');
    if (line_a.find("_sum") != std::string::npos && space_a != std::string::npos && space_b != std::string::npos &&
        line_a.compare(0, space_a, line_b, 0, space_b) == 0) {
      const double x = std::stod(line_a.substr(space_a + 1)), y = std::stod(line_b.substr(space_b + 1));
      EXPECT_NEAR(x, y, 1e-9 * std::max(1.0, std::abs(x))) << line_a;
    } else {
      EXPECT_EQ(line_a, line_b);
    }
  }
}

TEST(MetricsRecordRequest, SameExpositionFromSeveralThreads) {
  Metrics fast, reference;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < 3; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(100 + t);
      for (int i = 0; i < 2000; ++i) {
        const auto s = random_request(rng);
        const auto overhead = random_overhead(rng);
        record_request(fast, s, overhead);
        reference_record_request(reference, s, overhead);
      }
    });
  for (auto& t : threads) t.join();
  expect_same_exposition_up_to_sum_rounding(fast.scrape({}), reference.scrape({}));
}

// A token counter is a series only once a request reported tokens (no "0" series before).
TEST(MetricsRecordRequest, TokenSeriesAppearOnlyOnceCounted) {
  Metrics m;
  RequestSummary s;
  s.model_group = "gpt";
  s.status = 200;
  s.deployment = "openai/gpt";
  s.answered_by_group = "gpt";
  record_request(m, s, std::nullopt);
  EXPECT_EQ(m.scrape({}).find("switchyard_tokens_total{"), std::string::npos);
  s.usage.output_tokens = 7;
  record_request(m, s, std::nullopt);
  const auto text = m.scrape({});
  EXPECT_NE(text.find("switchyard_tokens_total{deployment=\"openai/gpt\",direction=\"output\"} 7\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("direction=\"input\""), std::string::npos) << text;
  EXPECT_NE(text.find("switchyard_requests_total{model_group=\"gpt\",deployment=\"openai/gpt\",client_format=\"openai\",status=\"200\"} 2\n"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace switchyard::api
