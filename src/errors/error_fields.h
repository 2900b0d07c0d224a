// Pulls the fields classification looks at out of whatever an upstream sent back: the error
// objects of OpenAI, Anthropic, Google RPC, AWS, Databricks, vLLM and Ollama, an SSE stream that
// carries an error event, or a body that is not JSON at all (HTML from a proxy, plain text,
// garbage). Bounded work for any input; never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "errors/upstream_error.h"

namespace switchyard::errors {

struct ErrorFields {
  std::string type;     // error.type, top-level type, AWS __type / x-amzn-errortype, Databricks error_code
  std::string code;     // error.code / code (numbers rendered as text)
  std::string status;   // Google RPC status ("RESOURCE_EXHAUSTED")
  std::vector<std::string> markers;  // Google details reasons / quota ids, Azure innererror codes
  std::string message;  // the provider's human-readable message (or the body's text if not JSON)
  std::string retry_delay;  // Google RPC RetryInfo.retryDelay ("36s", "1.5s"), when present
  bool json = false;    // the body (or an SSE data line) parsed as JSON
};

ErrorFields extract_error_fields(const UpstreamError& error);

// "com.amazon.coral.service#ThrottlingException" and
// "ThrottlingException:http://internal.amazon.com/coral/..." both become "ThrottlingException".
std::string_view aws_short_error_type(std::string_view raw);

}  // namespace switchyard::errors
