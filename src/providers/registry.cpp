// Provider → adapter. Adding a provider touches its file pair, this table and its tests.
#include "providers/provider.h"

namespace switchyard::providers {

const ProviderAdapter* adapter_for(core::Provider provider) {
  using P = core::Provider;
  switch (provider) {
    case P::anthropic: return &anthropic_adapter();
    case P::openai:
    case P::openai_compatible: return &openai_adapter();
    case P::databricks: return &databricks_adapter();
    case P::azure: return &azure_adapter();
    case P::vertex_ai:
    case P::gemini:
    case P::bedrock: return nullptr;  // their adapters land with the cloud-providers issue
  }
  return nullptr;
}

}  // namespace switchyard::providers
