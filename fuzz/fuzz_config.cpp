// Any bytes as a config file: the loader must turn them into a Config or diagnostics, never crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace switchyard::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = load_config_text(text, "fuzz.yaml", [](const std::string&) { return std::nullopt; });
  if (!result.ok() && result.errors.empty()) __builtin_trap();  // a refusal must say why
  return 0;
}
