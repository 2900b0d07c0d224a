#include "router/router.h"

#include <algorithm>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/container/small_vector.hpp>
#include <span>

#include "router/request_filters.h"
#include "router/retry_state.h"

namespace switchyard::router {
namespace {

std::mt19937_64& thread_rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

const std::vector<std::string>* targets_for(const std::vector<config::FallbackRule>& rules, const std::string& group) {
  for (const auto& r : rules)
    if (r.group == group) return &r.targets;
  return nullptr;
}

// Counts a call in flight for least-busy routing, and uncounts it however the call ends
// (normally, or by an exception when the client's disconnect cancels the request).
class InFlight {
 public:
  InFlight(state::StateStore& state, state::DeploymentSlot& deployment) : state_(state), deployment_(deployment) {
    state_.begin_request(deployment_);
  }
  ~InFlight() { state_.end_request(deployment_); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  state::StateStore& state_;
  state::DeploymentSlot& deployment_;  // the same slot after a reload: the count ends where it began
};

bool contains(const std::vector<const DeploymentEntry*>& v, const DeploymentEntry* e) {
  return std::find(v.begin(), v.end(), e) != v.end();
}

std::chrono::milliseconds to_ms(core::Nanos n) { return std::chrono::milliseconds(std::max<core::Nanos>(n, 0) / 1'000'000); }

}  // namespace

Router::Router(std::shared_ptr<const config::Config> config, std::shared_ptr<state::StateStore> state,
               std::shared_ptr<const core::Clock> clock, UpstreamCall call, Sleep sleep)
    : config_(std::move(config)),
      state_(std::move(state)),
      clock_(std::move(clock)),
      call_(std::move(call)),
      sleep_(std::move(sleep)),
      classifier_(config_->router.classifier),
      strategy_(strategy_from_name(config_->router.routing_strategy)),
      deployments_(*config_, *state_),
      resolver_(*config_) {}

const DeploymentEntry* Router::choose(const std::string& group, const Picked& tried, bool allow_repeat,
                                      core::Nanos now, const Picked& at_limit) const {
  // In the frame: a group has a few deployments, and this runs for every attempt.
  using Candidates = boost::container::small_vector<const DeploymentEntry*, 8>;
  Candidates fresh, repeat;
  for (const auto* d : deployments_.group(group)) {
    if (state_->cooldown(*d->slot, now) || contains(at_limit, d)) continue;
    (contains(tried, d) ? repeat : fresh).push_back(d);
  }
  // Untried deployments first: a different provider needs no backoff.
  const auto& pool = !fresh.empty() ? fresh : repeat;
  if (pool.empty() || (&pool == &repeat && !allow_repeat)) return nullptr;
  return pool[pick(strategy_, std::span(pool.data(), pool.size()), *state_, thread_rng(), now)];
}

bool Router::has_untried(const std::string& group, const Picked& tried, core::Nanos now, const Picked& at_limit) const {
  for (const auto* d : deployments_.group(group))
    if (!contains(tried, d) && !contains(at_limit, d) && !state_->cooldown(*d->slot, now)) return true;
  return false;
}

std::optional<double> Router::earliest_cooldown_end(std::span<const std::string> groups, core::Nanos now) const {
  std::optional<core::Nanos> earliest;
  for (const auto& g : groups)
    for (const auto* d : deployments_.group(g))
      if (const auto c = state_->cooldown(*d->slot, now); c && c->until != state::kForever)
        earliest = std::min(earliest.value_or(c->until), c->until);
  if (!earliest) return std::nullopt;
  return static_cast<double>(*earliest - now) / 1e9;
}

state::FailurePolicy Router::failure_policy(const errors::Classification& c) const {
  const auto& rs = config_->router;
  state::FailurePolicy p;
  p.allowed_fails = c.decision.allowed_fails.value_or(rs.allowed_fails);
  switch (c.decision.cooldown_length) {
    case errors::CooldownLength::none:
    case errors::CooldownLength::normal: {
      double seconds = rs.cooldown_seconds;
      if (c.retry_after_seconds) seconds = std::max(seconds, *c.retry_after_seconds);
      p.cooldown_for = core::seconds_to_nanos(seconds);
      break;
    }
    case errors::CooldownLength::long_:
      p.cooldown_now = true;
      p.cooldown_for = core::seconds_to_nanos(std::max(kQuotaCooldownSeconds, rs.cooldown_seconds));
      break;
    case errors::CooldownLength::until_reload:
      p.cooldown_now = true;
      p.cooldown_for = state::kForever;
      break;
  }
  return p;
}

// Fallback lists are read from the group the client asked for, in order (LiteLLM's semantics);
// a group already tried is skipped, which also guards against cycles.
std::optional<ModelMatch> Router::next_group(const std::string& origin, errors::FallbackScope scope,
                                             const std::vector<std::string>& visited,
                                             const core::RoutingControls& controls) const {
  const auto& rs = config_->router;
  const std::vector<std::string>* list = nullptr;
  if (controls.disable_fallbacks) return std::nullopt;
  switch (scope) {
    case errors::FallbackScope::none: return std::nullopt;
    case errors::FallbackScope::context_window: list = targets_for(rs.context_window_fallbacks, origin); break;
    case errors::FallbackScope::content_policy: list = targets_for(rs.content_policy_fallbacks, origin); break;
    case errors::FallbackScope::general:
      list = controls.fallbacks ? &*controls.fallbacks : targets_for(rs.fallbacks, origin);  // the request's own first
      if (!list && !rs.default_fallbacks.empty()) list = &rs.default_fallbacks;
      break;
  }
  if (!list) return std::nullopt;
  for (const auto& g : *list) {
    if (contains(visited, g)) continue;
    if (auto match = resolver_.resolve(g); match && !contains(visited, match->requested)) return match;
  }
  return std::nullopt;
}

http::Awaitable<RouteOutcome> Router::route(const core::ChatRequest& request) const {
  RouteOutcome out;
  const auto& rs = config_->router;
  const core::Nanos deadline =
      clock_->now() + core::seconds_to_nanos(rs.timeout_seconds.value_or(kDefaultRequestTimeoutSeconds));
  auto match = resolver_.resolve(request.model);  // exact name, alias, id, or wildcard (model_resolver.h)
  std::optional<std::string> group;
  if (match) group = match->group;
  // Fallback lists are keyed by the group asked for: an alias means its group, a wildcard the name.
  const std::string origin = !match ? request.model : match->wildcard ? match->requested : match->group;
  RetryState retry(request.controls.num_retries.value_or(rs.num_retries), deadline, thread_rng());
  Picked at_limit;  // refused a slot by their rpm/tpm limit (shared across instances)
  std::size_t filtered = 0;  // left out by tag routing or pre-call checks
  // The groups visited, as the registry names them: in the frame (one or a few groups).
  boost::container::small_vector<std::string, 4> group_keys;

  while (group && static_cast<int>(out.groups_tried.size()) <= rs.max_fallbacks) {
    out.groups_tried.push_back(match->requested);
    group_keys.push_back(*group);
    Picked tried;
    retry.enter_group();
    bool leave_group = false;
    for (const auto* d : excluded_by_request(*config_, deployments_.group(*group), request)) {
      at_limit.push_back(d);  // skipped like a deployment at its limit, for this request only
      ++filtered;
    }
    // LiteLLM's mock_testing_fallbacks: the requested group fails at once, so its fallbacks run.
    if (request.controls.mock_testing_fallbacks && out.groups_tried.size() == 1) {
      out.failures.push_back(mock_testing_failure(*group, classifier_));
      group = std::nullopt;
      if (auto next = next_group(origin, errors::FallbackScope::general, out.groups_tried, request.controls)) {
        match = std::move(next);
        group = match->group;
      }
      continue;
    }

    while (!leave_group) {
      const auto now = clock_->now();
      if (now >= deadline) break;
      const auto* d = choose(*group, tried, retry.allow_repeat(), now, at_limit);
      if (!d) break;  // every deployment of this group is cooling down, at its limit or already failed
      const auto& dep = *d->config;
      auto& slot = *d->slot;
      const auto limits = deployment_limits(dep);
      if (limits.any()) {  // only limited deployments ever wait on the shared store
        const auto admission = co_await state_->admit(slot.subject, limits, now);
        if (!admission.admitted) {
          at_limit.push_back(d);
          const double wait = static_cast<double>(admission.retry_after) / 1e9;
          out.retry_after_seconds = std::min(out.retry_after_seconds.value_or(wait), wait);
          continue;
        }
      }
      const auto per_attempt = dep.timeout_seconds ? std::min(deadline - now, core::seconds_to_nanos(*dep.timeout_seconds))
                                                   : deadline - now;
      ++out.attempts;
      providers::CallResult result;
      {
        const InFlight in_flight(*state_, slot);  // also ended when the caller cancels us mid-call
        if (match->wildcard && dep.wildcard) {  // the requested model substituted into the deployment's
          const auto wildcard = wildcard_call(d->endpoint, *match);
          result = co_await call_(wildcard.endpoint, request, to_ms(per_attempt));
        } else {
          result = co_await call_(d->endpoint, request, to_ms(per_attempt));
        }
      }
      // The client went away and cancelled the request: the failure it caused is not the
      // deployment's, so nothing is recorded. (The next co_await would throw anyway.)
      const auto cancellation = co_await boost::asio::this_coro::cancellation_state;
      if (cancellation.cancelled() != boost::asio::cancellation_type::none)
        throw boost::system::system_error(boost::asio::error::operation_aborted);
      const auto latency = clock_->now() - now;

      if (result.ok()) {
        state_->record_success(slot, latency);
        // A stream's tokens are known at its end: the gateway reports them (report_stream_usage).
        if (result.response && (limits.any() || strategy_ == Strategy::usage_based)) {
          const auto tokens = result.response->usage.input_tokens + result.response->usage.output_tokens;
          state_->record_usage(slot.subject, tokens, clock_->now());
        }
        out.response = std::move(result.response);
        out.stream = std::move(result.stream);
        out.dropped_params = std::move(result.dropped_params);
        out.group = match->wildcard ? match->requested : *group;  // a wildcard answers as the name asked for
        out.deployment = &dep;
        out.answer_latency_ms = static_cast<double>(latency) / 1e6;
        co_return out;
      }

      // classify → decide
      // A refusal before any call (parameters this deployment cannot honour) comes classified:
      // bad_request for the client, but a decision that moves on to a deployment that can.
      auto c = result.refusal ? *result.refusal : classifier_.classify(result.error);
      FailedAttempt failed{*group, dep.id, c, result.error.status, static_cast<double>(latency) / 1e6, false};
      if (c.decision.cooldown) failed.cooled_down = state_->record_failure(slot, c.error_class, failure_policy(c), clock_->now()).has_value();
      out.failures.push_back(std::move(failed));
      tried.push_back(d);

      const auto next = retry.next(c, has_untried(*group, tried, clock_->now(), at_limit), clock_->now());
      switch (next.step) {
        case NextStep::stop: co_return out;  // every provider would refuse it
        case NextStep::call_untried: break;
        case NextStep::leave_group: leave_group = true; break;
        case NextStep::wait_then_retry: co_await sleep_(next.delay); break;
      }
    }
    if (retry.scope() == errors::FallbackScope::none) break;
    group = std::nullopt;
    if (auto next = next_group(origin, retry.scope(), out.groups_tried, request.controls)) {
      match = std::move(next);
      group = match->group;
    }
  }
  // A client told when to come back does not hammer a gateway whose deployments all rest.
  if (const auto cooling = earliest_cooldown_end(std::span(group_keys.data(), group_keys.size()), clock_->now()))
    out.retry_after_seconds = std::min(out.retry_after_seconds.value_or(*cooling), *cooling);
  if (out.attempts == 0 && out.failures.empty()) {
    if (!match) out.unavailable_reason = "model '" + request.model + "' is not a model group of this gateway";
    else if (filtered > 0 && filtered == at_limit.size())
      out.unavailable_reason = "no deployment of '" + request.model + "' and its fallbacks " + filter_reason(request);
    else
      out.unavailable_reason = "every deployment of '" + request.model + "' and its fallbacks is " +
                               (at_limit.empty() ? "cooling down" : "cooling down or at its rpm/tpm limit");
  }
  co_return out;
}

void Router::report_stream_usage(const config::Deployment& deployment, const core::Usage& usage) const {
  if (!deployment_limits(deployment).any() && strategy_ != Strategy::usage_based) return;
  state_->record_usage(state::deployment_subject(deployment.id), usage.input_tokens + usage.output_tokens, clock_->now());
}

errors::Classification Router::report_stream_failure(const config::Deployment& deployment,
                                                    const errors::UpstreamError& error) const {
  auto c = classifier_.classify(error);
  if (const auto* d = deployments_.find(deployment.id); d && c.decision.cooldown)
    state_->record_failure(*d->slot, c.error_class, failure_policy(c), clock_->now());
  return c;
}

http::Awaitable<void> asio_sleep(std::chrono::milliseconds delay) {
  http::SteadyTimer timer(co_await boost::asio::this_coro::executor, delay);
  co_await timer.async_wait(http::kUseAwaitable);
}

}  // namespace switchyard::router
