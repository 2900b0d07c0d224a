// What the gateway knew about a request when it finished: read by the request log line and by
// the metrics. Plain data, filled along the request's way through Gateway::chat.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/chat.h"
#include "router/router.h"

namespace switchyard::api {

// What the gateway knew about a request when it finished.
struct RequestSummary {
  std::string request_id;
  std::string method;
  std::string path;
  core::WireFormat client_format = core::WireFormat::openai;
  std::string model_group;  // as requested; empty when the body did not say
  bool stream = false;
  int status = 0;           // HTTP status sent (499: the client went away first)
  std::string answered_by_group;
  std::string deployment;   // the deployment that answered
  double answer_latency_ms = 0;
  std::vector<std::string> groups_tried;
  std::vector<router::FailedAttempt> failures;
  std::string stream_error;  // a stream that failed after content: the class
  std::vector<std::string> dropped_params;  // removed under drop_params
  core::Usage usage;
  double duration_ms = 0;
  std::chrono::steady_clock::time_point response_started{};  // the answer's headers went out
  double response_started_ms = 0;  // the same, in ms since the request arrived
};

}  // namespace switchyard::api
