// The Responses store's bounds: entry count, bytes and TTL, newest entries kept.
#include <gtest/gtest.h>

#include "api/responses_api.h"

namespace switchyard::api {
namespace {

using namespace std::chrono_literals;

int found(const ResponseStore& store, int n) {
  int count = 0;
  for (int i = 0; i < n; ++i) count += store.get("resp_" + std::to_string(i)).has_value();
  return count;
}

TEST(ResponseStore, KeepsAtMostItsEntryBoundNewestFirst) {
  ResponseStore store(32, 3600s);
  for (int i = 0; i < 1000; ++i) store.put("resp_" + std::to_string(i), {"{}", "[]"});
  EXPECT_LE(found(store, 1000), 32);
  EXPECT_TRUE(store.get("resp_999").has_value());
}

TEST(ResponseStore, KeepsAtMostItsByteBound) {
  constexpr std::size_t kBytes = 16 * 1000;  // 1000 bytes per shard
  ResponseStore store(10'000, 3600s, kBytes);
  const std::string big(400, 'x');
  for (int i = 0; i < 200; ++i) store.put("resp_" + std::to_string(i), {big, "[]"});
  EXPECT_LE(found(store, 200) * 402, static_cast<int>(kBytes));
  EXPECT_TRUE(store.get("resp_199").has_value());
}

TEST(ResponseStore, ExpiredEntriesAreGone) {
  ResponseStore store(100, 0s);
  store.put("resp_a", {"{}", "[]"});
  EXPECT_FALSE(store.get("resp_a").has_value());
}

TEST(ResponseStore, EraseForgets) {
  ResponseStore store;
  store.put("resp_a", {"{}", "[]"});
  EXPECT_TRUE(store.erase("resp_a"));
  EXPECT_FALSE(store.erase("resp_a"));
  EXPECT_FALSE(store.get("resp_a").has_value());
}

}  // namespace
}  // namespace switchyard::api
