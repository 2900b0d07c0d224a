#include "errors/upstream_error.h"

#include <array>

#include "core/text.h"

namespace switchyard::errors {
namespace {
constexpr std::array<std::pair<TransportError, std::string_view>, 9> kTransportNames = {{
    {TransportError::none, "none"},
    {TransportError::connection_refused, "connection_refused"},
    {TransportError::connection_reset, "connection_reset"},
    {TransportError::dns, "dns"},
    {TransportError::tls, "tls"},
    {TransportError::connect_timeout, "connect_timeout"},
    {TransportError::read_timeout, "read_timeout"},
    {TransportError::deadline_exceeded, "deadline_exceeded"},
    {TransportError::closed_early, "closed_early"},
}};
}  // namespace

std::string_view to_string(TransportError t) {
  for (const auto& [v, n] : kTransportNames)
    if (v == t) return n;
  return "none";
}

bool transport_error_from_string(std::string_view name, TransportError& out) {
  for (const auto& [v, n] : kTransportNames)
    if (n == name) {
      out = v;
      return true;
    }
  return false;
}

std::string_view UpstreamError::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (core::iequals(k, name)) return v;
  return {};
}

}  // namespace switchyard::errors
