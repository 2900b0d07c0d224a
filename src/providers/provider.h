// A provider adapter knows one upstream API: its wire format, its URL scheme and its auth
// headers. One file pair per provider; the registry maps core::Provider to its adapter.
// Adapters are stateless and shared by every I/O thread.
#pragma once

#include <string>

#include "config/config.h"
#include "core/chat.h"
#include "http/client.h"

namespace switchyard::providers {

class ProviderAdapter {
 public:
  virtual ~ProviderAdapter() = default;
  virtual core::WireFormat wire_format() const = 0;
  // Fills target (path + query under the api_base's path) and auth headers for a chat call.
  virtual void prepare(const config::Deployment& deployment, const http::Url& base, bool stream,
                       http::UpstreamRequest& out) const = 0;
};

// nullptr for providers Switchyard cannot call yet.
const ProviderAdapter* adapter_for(core::Provider provider);

const ProviderAdapter& anthropic_adapter();
const ProviderAdapter& openai_adapter();  // openai and every openai_compatible server
const ProviderAdapter& databricks_adapter();
const ProviderAdapter& azure_adapter();

}  // namespace switchyard::providers
