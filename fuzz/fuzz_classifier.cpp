// Any bytes as an upstream body, for every provider and a spread of statuses: classify() must
// return a class for all of them without crashing, hanging or reading out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "errors/classifier.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  using namespace switchyard;
  static const errors::Classifier classifier;
  errors::UpstreamError e;
  const auto providers = core::all_providers();
  e.provider = providers[data[0] % providers.size()];
  static constexpr int kStatuses[] = {0, 200, 400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529, 599};
  e.status = kStatuses[data[1] % std::size(kStatuses)];
  e.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  if (size > 2 && data[2] == 'H') e.headers.emplace_back("x-amzn-ErrorType", e.body.substr(0, 64));
  const auto c = classifier.classify(e);
  if (c.rule.empty()) __builtin_trap();  // every outcome must name the rule that decided it
  return 0;
}
