// Router decisions with a fake upstream and a manual clock: no sockets, no sleeping.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <deque>
#include <map>

#include "config/config_loader.h"
#include "router/router.h"
#include "state/in_memory_store.h"

namespace switchyard::router {
namespace {

const char* kCreditBalance =
    R"({"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."}})";
const char* kInvalidRole =
    R"({"type":"error","error":{"type":"invalid_request_error","message":"messages: roles must alternate between \"user\" and \"assistant\""}})";
const char* kRateLimit = R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your per-minute rate limit"}})";
const char* kPromptTooLong = R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})";
const char* kOverloaded = R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";

struct Reply {
  Reply(int s = 200, std::string b = "", errors::Headers h = {}) : status(s), body(std::move(b)), headers(std::move(h)) {}
  int status;
  std::string body;
  errors::Headers headers;
};

// Upstream replies scripted per upstream model name; the last reply repeats.
class FakeUpstream {
 public:
  void script(const std::string& model, std::vector<Reply> replies) { scripts_[model] = {replies.begin(), replies.end()}; }
  int calls(const std::string& model) const { return calls_.contains(model) ? calls_.at(model) : 0; }

  UpstreamCall call() {
    return [this](const providers::Endpoint& e, const core::ChatRequest&, std::chrono::milliseconds) -> http::Awaitable<providers::CallResult> {
      const auto& d = *e.deployment;
      ++calls_[d.model];
      auto& script = scripts_[d.model];
      Reply r = script.empty() ? Reply{} : script.front();
      if (script.size() > 1) script.pop_front();
      providers::CallResult result;
      if (r.status == 200) {
        core::ChatResponse ok;
        ok.format = core::WireFormat::openai;
        ok.body = {{"choices", boost::json::array{}}, {"model", d.model}};
        result.response = std::move(ok);
      } else {
        result.error.provider = d.provider;
        result.error.status = r.status;
        result.error.body = r.body;
        result.error.headers = r.headers;
      }
      co_return result;
    };
  }

 private:
  std::map<std::string, std::deque<Reply>> scripts_;
  std::map<std::string, int> calls_;
};

class RouterTest : public ::testing::Test {
 protected:
  void load(const std::string& yaml) {
    auto r = config::load_config_text(yaml, "t.yaml", [](const std::string&) { return std::nullopt; });
    ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].to_string());
    config_ = r.config;
    store_ = std::make_shared<state::InMemoryStore>();
    router_ = std::make_unique<Router>(config_, store_, clock_, upstream_.call(),
                                       [this](std::chrono::milliseconds d) -> http::Awaitable<void> {
                                         sleeps_.push_back(d);
                                         clock_->advance(d);
                                         co_return;
                                       });
  }

  RouteOutcome route(const std::string& group) {
    core::ChatRequest req;
    req.model = group;
    boost::asio::io_context io;
    auto f = boost::asio::co_spawn(io, router_->route(req), boost::asio::use_future);
    io.run();
    return f.get();
  }

  std::shared_ptr<core::ManualClock> clock_ = std::make_shared<core::ManualClock>();
  FakeUpstream upstream_;
  std::shared_ptr<const config::Config> config_;
  std::shared_ptr<state::InMemoryStore> store_;
  std::unique_ptr<Router> router_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

const char* kMotivating = R"(model_list:
  - {model_name: claude-opus-4-6, litellm_params: {model: anthropic/claude-no-credit, api_base: 'http://127.0.0.1:9'}}
  - {model_name: databricks-claude-opus-4-6, litellm_params: {model: databricks/dbx-claude, api_base: 'http://127.0.0.1:9/serving-endpoints'}}
  - {model_name: vertex-claude-opus-4-6, litellm_params: {model: openai_compatible/vertex-claude, api_base: 'http://127.0.0.1:9/v1'}}
router_settings:
  num_retries: 2
  allowed_fails: 3
  cooldown_time: 30
  fallbacks: [{claude-opus-4-6: [databricks-claude-opus-4-6, vertex-claude-opus-4-6]}]
  context_window_fallbacks: [{claude-opus-4-6: [vertex-claude-opus-4-6]}]
)";

TEST_F(RouterTest, CreditBalance400FallsBackAndCoolsDown) {
  load(kMotivating);
  upstream_.script("claude-no-credit", {{400, kCreditBalance}});
  auto first = route("claude-opus-4-6");
  ASSERT_TRUE(first.response);
  EXPECT_EQ(first.group, "databricks-claude-opus-4-6");
  EXPECT_EQ(first.attempts, 2);
  EXPECT_EQ(first.groups_tried, (std::vector<std::string>{"claude-opus-4-6", "databricks-claude-opus-4-6"}));
  ASSERT_EQ(first.failures.size(), 1u);
  EXPECT_EQ(first.failures[0].classification.error_class, errors::ErrorClass::quota_exhausted);
  EXPECT_TRUE(first.failures[0].cooled_down);
  EXPECT_TRUE(sleeps_.empty());  // quota is not retried, so nothing waits

  auto second = route("claude-opus-4-6");
  ASSERT_TRUE(second.response);
  EXPECT_EQ(second.attempts, 1);  // the cooled-down Anthropic deployment is skipped without a call
  EXPECT_EQ(upstream_.calls("claude-no-credit"), 1);
  EXPECT_EQ(upstream_.calls("dbx-claude"), 2);
}

TEST_F(RouterTest, InvalidRequestIsAnsweredWithoutFallback) {
  load(kMotivating);
  upstream_.script("claude-no-credit", {{400, kInvalidRole}});
  auto o = route("claude-opus-4-6");
  EXPECT_FALSE(o.response);
  EXPECT_EQ(o.attempts, 1);
  EXPECT_EQ(upstream_.calls("dbx-claude"), 0);
  EXPECT_EQ(o.failures[0].classification.error_class, errors::ErrorClass::bad_request);
  EXPECT_FALSE(o.failures[0].cooled_down);
}

TEST_F(RouterTest, RateLimitWithRetryAfterWaitsThenRetriesTheSameDeployment) {
  load(kMotivating);
  upstream_.script("claude-no-credit", {{429, kRateLimit, {{"retry-after", "3"}}}, {200, ""}});
  auto o = route("claude-opus-4-6");
  ASSERT_TRUE(o.response);
  EXPECT_EQ(o.group, "claude-opus-4-6");
  EXPECT_EQ(o.attempts, 2);
  ASSERT_EQ(sleeps_.size(), 1u);
  EXPECT_GE(sleeps_[0], std::chrono::milliseconds(3000));
}

TEST_F(RouterTest, RetryGoesToAnotherDeploymentOfTheGroupWithoutWaiting) {
  load(R"(model_list:
  - {model_name: g, litellm_params: {model: openai/a, api_base: 'http://127.0.0.1:9/v1'}}
  - {model_name: g, litellm_params: {model: openai/b, api_base: 'http://127.0.0.1:9/v1'}}
)");
  // Both fail once. The second attempt must go to the other deployment at once; only when both
  // have failed does the router wait before trying again.
  upstream_.script("a", {{529, kOverloaded}, {200, ""}});
  upstream_.script("b", {{529, kOverloaded}, {200, ""}});
  auto o = route("g");
  ASSERT_TRUE(o.response);
  EXPECT_EQ(o.attempts, 3);
  ASSERT_EQ(o.failures.size(), 2u);
  EXPECT_NE(o.failures[0].deployment_id, o.failures[1].deployment_id);
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(RouterTest, ContextWindowGoesOnlyToContextWindowFallbacks) {
  load(kMotivating);
  upstream_.script("claude-no-credit", {{400, kPromptTooLong}});
  auto o = route("claude-opus-4-6");
  ASSERT_TRUE(o.response);
  EXPECT_EQ(o.group, "vertex-claude-opus-4-6");
  EXPECT_EQ(upstream_.calls("dbx-claude"), 0);
  EXPECT_FALSE(o.failures[0].cooled_down);
}

TEST_F(RouterTest, AllFailingListsEveryAttemptAndEndsWithTheLastClass) {
  load(kMotivating);
  upstream_.script("claude-no-credit", {{400, kCreditBalance}});
  upstream_.script("dbx-claude", {{403, R"({"error_code":"PERMISSION_DENIED","message":"no access"})"}});
  upstream_.script("vertex-claude", {{500, "<html>oops</html>"}});
  auto o = route("claude-opus-4-6");
  EXPECT_FALSE(o.response);
  ASSERT_EQ(o.failures.size(), 5u);  // 1 + 1 + (1 + 2 retries of the server error)
  EXPECT_EQ(o.failures[0].classification.error_class, errors::ErrorClass::quota_exhausted);
  EXPECT_EQ(o.failures[1].classification.error_class, errors::ErrorClass::permission_denied);
  EXPECT_EQ(o.failures.back().classification.error_class, errors::ErrorClass::server_error);
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(RouterTest, CooldownAfterAllowedFailsEndsWhenTheClockMovesOn) {
  load(R"(model_list:
  - {model_name: g, litellm_params: {model: openai/a, api_base: 'http://127.0.0.1:9/v1'}}
router_settings: {num_retries: 0, allowed_fails: 1, cooldown_time: 30}
)");
  upstream_.script("a", {{529, kOverloaded}, {529, kOverloaded}, {200, ""}});
  EXPECT_FALSE(route("g").failures[0].cooled_down);  // first failure: allowed
  EXPECT_TRUE(route("g").failures[0].cooled_down);   // second failure in the minute: cooled down
  auto skipped = route("g");
  EXPECT_EQ(skipped.attempts, 0);
  EXPECT_FALSE(skipped.unavailable_reason.empty());
  clock_->advance(std::chrono::seconds(31));
  EXPECT_TRUE(route("g").response);
  EXPECT_EQ(upstream_.calls("a"), 3);
}

TEST_F(RouterTest, RequestDeadlineStopsRetrying) {
  load(R"(model_list:
  - {model_name: g, litellm_params: {model: openai/a, api_base: 'http://127.0.0.1:9/v1'}}
router_settings: {num_retries: 10, timeout: 2}
)");
  upstream_.script("a", {{529, kOverloaded}});
  auto o = route("g");
  EXPECT_FALSE(o.response);
  EXPECT_LT(o.attempts, 5);
}

TEST_F(RouterTest, DefaultFallbacksApplyWhenAGroupHasNone) {
  load(R"(model_list:
  - {model_name: a, litellm_params: {model: openai/a, api_base: 'http://127.0.0.1:9/v1'}}
  - {model_name: b, litellm_params: {model: openai/b, api_base: 'http://127.0.0.1:9/v1'}}
router_settings: {num_retries: 0, default_fallbacks: [b]}
)");
  upstream_.script("a", {{401, R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}})"}});
  auto o = route("a");
  ASSERT_TRUE(o.response);
  EXPECT_EQ(o.group, "b");
  EXPECT_EQ(o.failures[0].classification.error_class, errors::ErrorClass::authentication);
}


TEST_F(RouterTest, DeploymentAtItsRpmLimitIsSkippedLikeACooledDownOne) {
  load(R"(model_list:
  - {model_name: a, litellm_params: {model: openai/a1, api_base: 'http://127.0.0.1:9/v1', rpm: 2}}
  - {model_name: b, litellm_params: {model: openai/b, api_base: 'http://127.0.0.1:9/v1', rpm: 1}}
router_settings: {fallbacks: [{a: [b]}]}
)");
  EXPECT_EQ(route("a").group, "a");
  EXPECT_EQ(route("a").group, "a");
  auto third = route("a");  // a1 used its 2 slots this minute: the fallback answers
  ASSERT_TRUE(third.response);
  EXPECT_EQ(third.group, "b");
  EXPECT_EQ(third.attempts, 1);
  auto fourth = route("a");  // every deployment at its limit: nothing is called
  EXPECT_FALSE(fourth.response);
  EXPECT_EQ(fourth.attempts, 0);
  EXPECT_NE(fourth.unavailable_reason.find("rpm/tpm limit"), std::string::npos);
  ASSERT_TRUE(fourth.retry_after_seconds);
  EXPECT_GT(*fourth.retry_after_seconds, 0);
  EXPECT_LE(*fourth.retry_after_seconds, 60);
  EXPECT_EQ(upstream_.calls("a1"), 2);
  EXPECT_EQ(upstream_.calls("b"), 1);
  clock_->advance(std::chrono::seconds(61));  // the sliding minute moves on
  EXPECT_EQ(route("a").group, "a");
}

}  // namespace
}  // namespace switchyard::router
