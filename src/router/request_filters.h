// Per-request narrowing of a group's deployments, before the strategy picks one:
//  - tag routing (router_settings.enable_tag_filtering) as LiteLLM's tag_based_routing: a request
//    with tags goes to deployments sharing one of them, or whose tag_regex matches one of its
//    "Header: value" lines, else to those tagged "default"; a request without tags goes to the
//    "default"-tagged deployments when there are any, else to all.
//  - pre-call checks (router_settings.enable_pre_call_checks): a deployment whose context window
//    (model_info.max_input_tokens, else a shipped table) the prompt exceeds is skipped.
// Plus LiteLLM's mock_testing_fallbacks failure. Pure functions: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <span>

#include "config/config.h"
#include "core/chat.h"
#include "errors/classifier.h"
#include "router/deployments.h"
#include "router/router.h"

namespace switchyard::router {

// The deployments of `group` that this request must not use.
std::vector<const DeploymentEntry*> excluded_by_request(const config::Config& config,
                                                        std::span<const DeploymentEntry* const> group,
                                                        const core::ChatRequest& request);
std::string filter_reason(const core::ChatRequest& request);

// A rough prompt size (LiteLLM counts with tiktoken; ~4 bytes of text per token is its ballpark).
std::int64_t estimate_prompt_tokens(const core::ChatRequest& request);
// The context window of a deployment: model_info.max_input_tokens, else the shipped table.
std::optional<std::int64_t> context_window(const config::Deployment& d);

FailedAttempt mock_testing_failure(const std::string& group, const errors::Classifier& classifier);

}  // namespace switchyard::router
