// The error response each HTTP fault answers with, per wire format: real provider bodies, copied
// from tests/data/provider_errors.yaml (case names cited in the table), so that what the gateway
// meets in tests is what it meets in production. One table, looked up by (fault, format).
#pragma once

#include <string_view>
#include <utility>

#include "mock/behaviour.h"

namespace switchyard::mock {

enum class WireFormat { anthropic, openai };

struct FaultBody {
  Fault fault;
  WireFormat format;
  int status;
  std::string_view content_type;
  std::string_view body;
  std::pair<std::string_view, std::string_view> extra_header;  // empty name: none
  std::string_view source;  // provider_errors.yaml case the body comes from
};

// Null for faults that are not HTTP errors (ok, connection_reset, hang, garbage).
const FaultBody* fault_body(Fault fault, WireFormat format);

// What `garbage` answers with 200: looks like a truncated proxy page, parses as nothing.
inline constexpr std::string_view kGarbageBody = "<html><body>upstream sent something that is not JSON {\"id\":";

}  // namespace switchyard::mock
