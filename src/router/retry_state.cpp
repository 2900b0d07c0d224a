#include "router/retry_state.h"

#include "router/backoff.h"

namespace switchyard::router {

RetryState::RetryState(int num_retries, core::Nanos deadline, std::mt19937_64& rng)
    : num_retries_(num_retries), deadline_(deadline), rng_(rng) {}

void RetryState::enter_group() {
  retries_used_ = 0;
  backoffs_ = 0;
  allow_repeat_ = false;
}

// No retry (left): the group's untried deployments, then its fallbacks; never the same one again.
Next RetryState::move_on(bool untried_left) {
  allow_repeat_ = false;
  return {untried_left ? NextStep::call_untried : NextStep::leave_group};
}

Next RetryState::next(const errors::Classification& c, bool untried_left, core::Nanos now) {
  const auto& d = c.decision;
  if (!d.fallback && !d.retry) return {NextStep::stop};
  if (d.fallback_scope == errors::FallbackScope::context_window ||
      d.fallback_scope == errors::FallbackScope::content_policy) {
    scope_ = d.fallback_scope;  // the same model elsewhere in the group would refuse too
    return {NextStep::leave_group};
  }
  scope_ = d.fallback ? errors::FallbackScope::general : errors::FallbackScope::none;
  if (!d.retry || retries_used_ >= d.max_retries.value_or(num_retries_)) return move_on(untried_left);
  ++retries_used_;
  // Another untried deployment needs no wait; the same one again gets a backoff.
  if (untried_left) return {NextStep::call_untried};
  const auto delay = backoff_delay(backoffs_++, c.retry_after_seconds, rng_);
  if (!delay || now + core::seconds_to_nanos(static_cast<double>(delay->count()) / 1000.0) >= deadline_)
    return {NextStep::leave_group};
  allow_repeat_ = true;
  return {NextStep::wait_then_retry, *delay};
}

}  // namespace switchyard::router
