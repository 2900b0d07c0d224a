// LiteLLM's request-body controls (fallbacks, disable_fallbacks, num_retries,
// mock_testing_fallbacks, metadata, tags): read into core::RoutingControls and removed from the
// body, so no upstream ever sees them as unknown parameters. Shared by every client route
// (chat completions, messages, and later responses), streaming or not.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/chat.h"
#include "http/types.h"

namespace switchyard::api {

// Returns a message when a control has the wrong type (the request is refused with 400).
std::optional<std::string> take_litellm_controls(core::WireFormat format, boost::json::object& body,
                                                 core::RoutingControls& controls);

// The request's headers as "Name: value" lines, for tag_regex (only when a deployment has one).
void add_header_lines(const http::Request& req, core::RoutingControls& controls);

}  // namespace switchyard::api
