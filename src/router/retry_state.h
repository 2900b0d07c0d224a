// Retry bookkeeping of one request as a pure object (after Envoy's RetryStateImpl): given a failed
// attempt's classification, what the router does next. Policy is the Decision (data); this is
// the state machine: retries spent and backoffs waited per group, whether a tried deployment may
// be picked again, which fallback list a group change walks. No I/O, no clock, no router: the
// router is the driver that calls, waits and moves between groups; tests drive this alone.
#pragma once

#include <chrono>
#include <random>

#include "core/clock.h"
#include "errors/classifier.h"

namespace switchyard::router {

enum class NextStep {
  call_untried,     // another deployment of this group not tried yet, at once
  wait_then_retry,  // this group again after `delay` (a tried deployment may be picked again)
  leave_group,      // this group is done: walk scope()'s fallback list (none: answer)
  stop,             // answer now: every provider would refuse this request
};

struct Next {
  NextStep step = NextStep::stop;
  std::chrono::milliseconds delay{0};  // wait_then_retry only
};

class RetryState {
 public:
  // num_retries: router_settings.num_retries (a Decision's max_retries overrides it per class).
  // deadline: the request's, on the router's clock; rng: jitter of the backoff.
  RetryState(int num_retries, core::Nanos deadline, std::mt19937_64& rng);

  void enter_group();  // retries and backoffs count per group
  // After a failed attempt. untried_left: the group still has a deployment that this request has
  // not tried and that is available now (not cooling down, not at its limit).
  Next next(const errors::Classification& c, bool untried_left, core::Nanos now);

  bool allow_repeat() const { return allow_repeat_; }
  errors::FallbackScope scope() const { return scope_; }

 private:
  Next move_on(bool untried_left);

  int num_retries_;
  core::Nanos deadline_;
  std::mt19937_64& rng_;
  int retries_used_ = 0;  // retries spent in this group (another deployment or the same one)
  int backoffs_ = 0;      // waits so far in this group: the exponent of the next backoff
  bool allow_repeat_ = false;
  errors::FallbackScope scope_ = errors::FallbackScope::general;  // a group without any deployment left falls back
};

}  // namespace switchyard::router
