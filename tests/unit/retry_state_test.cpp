// The retry state machine alone: no router, no sockets, no clock but the numbers passed in.
#include <gtest/gtest.h>

#include "router/retry_state.h"

namespace switchyard::router {
namespace {

constexpr core::Nanos kSecond = 1'000'000'000;
constexpr core::Nanos kNow = 1000 * kSecond;

errors::Classification failure(errors::ErrorClass cls, std::optional<double> retry_after = std::nullopt) {
  errors::Classification c;
  c.error_class = cls;
  c.decision = errors::default_decision(cls);
  c.retry_after_seconds = retry_after;
  return c;
}

TEST(RetryState, ARequestEveryProviderWouldRefuseStops) {
  std::mt19937_64 rng(1);
  RetryState r(2, kNow + 60 * kSecond, rng);
  r.enter_group();
  EXPECT_EQ(r.next(failure(errors::ErrorClass::bad_request), true, kNow).step, NextStep::stop);
}

TEST(RetryState, ContextWindowLeavesTheGroupForItsOwnFallbackList) {
  std::mt19937_64 rng(1);
  RetryState r(2, kNow + 60 * kSecond, rng);
  r.enter_group();
  EXPECT_EQ(r.next(failure(errors::ErrorClass::context_window_exceeded), true, kNow).step, NextStep::leave_group);
  EXPECT_EQ(r.scope(), errors::FallbackScope::context_window);
}

TEST(RetryState, RetryGoesToAnUntriedDeploymentAtOnceThenWaitsForTheSameOne) {
  std::mt19937_64 rng(1);
  RetryState r(2, kNow + 60 * kSecond, rng);
  r.enter_group();
  EXPECT_EQ(r.next(failure(errors::ErrorClass::server_error), true, kNow).step, NextStep::call_untried);
  EXPECT_FALSE(r.allow_repeat());
  const auto wait = r.next(failure(errors::ErrorClass::rate_limit, 3.0), false, kNow);
  EXPECT_EQ(wait.step, NextStep::wait_then_retry);
  EXPECT_GE(wait.delay, std::chrono::milliseconds(3000)) << "honours Retry-After";
  EXPECT_TRUE(r.allow_repeat());
  // Two retries spent (num_retries 2): nothing untried left, so the group is done.
  EXPECT_EQ(r.next(failure(errors::ErrorClass::server_error), false, kNow).step, NextStep::leave_group);
  EXPECT_FALSE(r.allow_repeat());
  EXPECT_EQ(r.scope(), errors::FallbackScope::general);
}

TEST(RetryState, OutOfRetriesStillTriesTheGroupsUntriedDeploymentsAndNextGroupStartsAfresh) {
  std::mt19937_64 rng(1);
  RetryState r(0, kNow + 60 * kSecond, rng);
  r.enter_group();
  EXPECT_EQ(r.next(failure(errors::ErrorClass::overloaded), true, kNow).step, NextStep::call_untried);
  EXPECT_EQ(r.next(failure(errors::ErrorClass::overloaded), false, kNow).step, NextStep::leave_group);
  r.enter_group();
  auto per_class = failure(errors::ErrorClass::overloaded);
  per_class.decision.max_retries = 1;  // retry_policy for this class overrides num_retries
  EXPECT_EQ(r.next(per_class, false, kNow).step, NextStep::wait_then_retry);
}

TEST(RetryState, ABackoffPastTheDeadlineOrALongRetryAfterLeavesTheGroup) {
  std::mt19937_64 rng(1);
  RetryState near_deadline(2, kNow + kSecond / 10, rng);
  near_deadline.enter_group();
  EXPECT_EQ(near_deadline.next(failure(errors::ErrorClass::server_error, 1.0), false, kNow).step, NextStep::leave_group);
  RetryState long_wait(2, kNow + 600 * kSecond, rng);
  long_wait.enter_group();
  EXPECT_EQ(long_wait.next(failure(errors::ErrorClass::rate_limit, 300.0), false, kNow).step, NextStep::leave_group);
}

TEST(RetryState, AFailureWithoutFallbackThatMayRetryEndsTheRequestWhenTheGroupIsDone) {
  std::mt19937_64 rng(1);
  RetryState r(0, kNow + 60 * kSecond, rng);
  r.enter_group();
  auto no_fallback = failure(errors::ErrorClass::server_error);
  no_fallback.decision.fallback = false;
  EXPECT_EQ(r.next(no_fallback, false, kNow).step, NextStep::leave_group);
  EXPECT_EQ(r.scope(), errors::FallbackScope::none);
}

}  // namespace
}  // namespace switchyard::router
