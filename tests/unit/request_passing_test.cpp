// Which client headers go on to the provider (api/passing.h). Header names are case-insensitive:
// a client that spells them X-Team or X-AMZ-Date gets the same treatment as x-team and
// x-amz-date, and what is forwarded carries the lower-case name.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api/passing.h"

namespace switchyard::api {
namespace {

using Forwarded = std::vector<std::pair<std::string, std::string>>;

Forwarded forwarded(const config::RequestPassing& passing, const std::vector<std::pair<std::string, std::string>>& headers) {
  http::Request req;
  for (const auto& [name, value] : headers) req.insert(name, value);
  core::ChatRequest request;
  take_passing_controls(req, passing, request);
  return request.forward_headers;
}

const std::vector<std::pair<std::string, std::string>> kClientHeaders = {
    {"Content-Type", "application/json"},  {"Authorization", "Bearer sk-gateway"}, {"X-Team", "blue"},
    {"X-Stainless-OS", "Linux"},           {"X-AMZ-Date", "20200101T000000Z"},     {"x-Goog-User-Project", "other"},
    {"X-MS-Client-Request-Id", "1"},       {"X-Litellm-Api-Key", "sk-gateway"},    {"X-Api-Key", "sk-gateway"},
    {"X-Switchyard-Anything", "1"},        {"Anthropic-Beta", "tools-2024"},       {"ANTHROPIC-VERSION", "2023-06-01"},
    {"Host", "gateway"},                   {"Cookie", "a=b"},                      {"X-Trace-Id", "t1"},
    {"User-Agent", "sdk"}};

TEST(RequestPassing, AnthropicHeadersAreAlwaysCapturedWhateverTheirCase) {
  EXPECT_EQ(forwarded({}, kClientHeaders),
            (Forwarded{{"anthropic-beta", "tools-2024"}, {"anthropic-version", "2023-06-01"}}));
}

TEST(RequestPassing, AllowListMatchesNamesWithoutCaseButNeverTheGatewayKey) {
  config::RequestPassing passing;
  passing.forward_headers = {"x-team", "user-agent", "host", "x-api-key"};  // lower-case, as the loader keeps them
  EXPECT_EQ(forwarded(passing, kClientHeaders),
            (Forwarded{{"x-team", "blue"}, {"anthropic-beta", "tools-2024"}, {"anthropic-version", "2023-06-01"},
                       {"user-agent", "sdk"}}));
}

TEST(RequestPassing, AllXHeadersLeaveOutStainlessCloudAuthAndGatewayHeaders) {
  config::RequestPassing passing;
  passing.forward_x_headers = true;
  EXPECT_EQ(forwarded(passing, kClientHeaders),
            (Forwarded{{"x-team", "blue"}, {"anthropic-beta", "tools-2024"}, {"anthropic-version", "2023-06-01"},
                       {"x-trace-id", "t1"}}));
}

TEST(RequestPassing, DropParamsInTheBodyOverridesTheSettingAndLeavesTheBody) {
  config::RequestPassing passing;
  passing.drop_params = true;
  http::Request req;
  core::ChatRequest request;
  request.body = {{"model", "m"}, {"drop_params", false}};
  take_passing_controls(req, passing, request);
  EXPECT_FALSE(request.drop_params);
  EXPECT_FALSE(request.body.contains("drop_params"));
  request.body = {{"model", "m"}};
  take_passing_controls(req, passing, request);
  EXPECT_TRUE(request.drop_params);
}

}  // namespace
}  // namespace switchyard::api
