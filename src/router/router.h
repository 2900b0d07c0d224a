// The router: a request's life as named phases (plan → attempt → classify → decide → next or
// answer). It picks a deployment in the requested group, calls it, asks the classifier what the
// failure means, records it (cooldowns), then retries the group, moves to another deployment of
// the group, or walks the fallback chain, all under one request-level deadline. Every decision
// comes from the classifier's Decision; no status code is interpreted here.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/chat.h"
#include "core/clock.h"
#include "errors/classifier.h"
#include "http/types.h"
#include "providers/chat_call.h"
#include "router/deployments.h"
#include "router/model_resolver.h"
#include "router/strategy.h"
#include "state/state_store.h"

namespace switchyard::router {

// How one deployment is called; the real one is providers::call_deployment, tests pass fakes.
using UpstreamCall = std::function<http::Awaitable<providers::CallResult>(
    const providers::Endpoint&, const core::ChatRequest&, std::chrono::milliseconds timeout)>;
// How the router waits between retries; the real one is an asio timer, tests record the delay.
using Sleep = std::function<http::Awaitable<void>(std::chrono::milliseconds)>;

struct FailedAttempt {
  std::string group;
  std::string deployment_id;
  errors::Classification classification;
  int status = 0;
  double latency_ms = 0;
  bool cooled_down = false;  // this failure put the deployment into cooldown
};

struct RouteOutcome {
  std::optional<core::ChatResponse> response;       // non-streaming answer
  std::optional<providers::StreamStart> stream;     // streaming answer, first content included
  std::string group;                                // the group that answered
  const config::Deployment* deployment = nullptr;   // the deployment that answered
  double answer_latency_ms = 0;  // its call: the whole answer, or (streams) up to the first content token
  int attempts = 0;                                 // upstream calls made
  std::vector<std::string> groups_tried;            // fallback path, in order
  std::vector<FailedAttempt> failures;
  std::string unavailable_reason;  // set when no deployment could even be tried
  // Set when the answer is a failure and a deployment of a group tried will be free again: the
  // earliest end of a (timed) cooldown or of an rpm/tpm wait, from the end of the request.
  std::optional<double> retry_after_seconds;
  std::vector<std::string> dropped_params;  // removed under drop_params by the answering deployment
};

inline constexpr double kDefaultRequestTimeoutSeconds = 600;
inline constexpr double kQuotaCooldownSeconds = 600;  // credit/quota problems outlast seconds

class Router {
 public:
  Router(std::shared_ptr<const config::Config> config, std::shared_ptr<state::StateStore> state,
         std::shared_ptr<const core::Clock> clock, UpstreamCall call, Sleep sleep);

  http::Awaitable<RouteOutcome> route(const core::ChatRequest& request) const;

  // A stream that failed after content reached the client: classify it and count it against the
  // deployment (cooldown), as any other failure. The client's stream is ended by the caller.
  // A stream that ended (completely or not): its tokens count toward tpm and usage-based routing.
  void report_stream_usage(const config::Deployment& deployment, const core::Usage& usage) const;

  errors::Classification report_stream_failure(const config::Deployment& deployment,
                                               const errors::UpstreamError& error) const;
  // Both find the deployment by id: a stream that outlives a reload still counts on its slot.

  const config::Config& config() const { return *config_; }
  const errors::Classifier& classifier() const { return classifier_; }
  state::StateStore& state() const { return *state_; }
  const std::shared_ptr<state::StateStore>& shared_state() const { return state_; }
  // A model group, an alias, a deployment id, or a name a wildcard serves (model_resolver.h).
  bool has_group(const std::string& group) const { return resolver_.resolves(group); }
  const ModelResolver& models() const { return resolver_; }
  // Every deployment by id, with its endpoint and state slot.
  const DeploymentRegistry& deployments() const { return deployments_; }

 private:
  using Picked = std::vector<const DeploymentEntry*>;
  // Skips cooled-down deployments and those refused for their rpm/tpm limit in this request.
  const DeploymentEntry* choose(const std::string& group, const Picked& tried, bool allow_repeat, core::Nanos now,
                                const Picked& at_limit = {}) const;
  bool has_untried(const std::string& group, const Picked& tried, core::Nanos now, const Picked& at_limit) const;
  // Seconds until the first timed cooldown among these groups' deployments ends.
  std::optional<double> earliest_cooldown_end(std::span<const std::string> groups, core::Nanos now) const;
  state::FailurePolicy failure_policy(const errors::Classification& c) const;
  std::optional<ModelMatch> next_group(const std::string& origin, errors::FallbackScope scope,
                                       const std::vector<std::string>& visited, const core::RoutingControls& controls) const;

  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<state::StateStore> state_;
  std::shared_ptr<const core::Clock> clock_;
  UpstreamCall call_;
  Sleep sleep_;
  errors::Classifier classifier_;
  Strategy strategy_;
  DeploymentRegistry deployments_;
  ModelResolver resolver_;
};

// The production Sleep: an asio steady_timer on the calling coroutine's executor.
http::Awaitable<void> asio_sleep(std::chrono::milliseconds delay);

}  // namespace switchyard::router
