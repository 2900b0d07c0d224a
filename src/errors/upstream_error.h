// What a provider adapter hands to the classifier when an attempt fails: the raw facts, no verdict.
// A value type; it owns copies so the classifier never points into a connection's buffers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/provider.h"

namespace switchyard::errors {

// Failures below HTTP: there is no status or body, only what the socket said.
enum class TransportError {
  none,
  connection_refused,
  connection_reset,
  dns,
  tls,
  connect_timeout,
  read_timeout,
  deadline_exceeded,  // our own request-level deadline
  closed_early,       // peer closed mid-response
};

std::string_view to_string(TransportError t);
bool transport_error_from_string(std::string_view name, TransportError& out);

using Headers = std::vector<std::pair<std::string, std::string>>;

struct UpstreamError {
  core::Provider provider = core::Provider::openai_compatible;
  int status = 0;  // 0 when there was no HTTP response
  Headers headers;
  std::string body;  // with a transport_error: what the socket said, for messages
  TransportError transport_error = TransportError::none;
  // The deployment's cloud credential source failed (STS, a metadata server, a token endpoint),
  // not the provider: its message names roles, tenants and endpoints, for the operator only.
  bool credential_source = false;

  // Case-insensitive header lookup; empty when absent.
  std::string_view header(std::string_view name) const;
};

}  // namespace switchyard::errors
