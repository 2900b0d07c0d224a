// The Responses store's bounds (entry count, bytes and TTL, newest entries kept) and its owners.
#include <gtest/gtest.h>

#include "api/responses_api.h"

namespace switchyard::api {
namespace {

using namespace std::chrono_literals;

const StoreCaller kAnyone{.owner = {}, .sees_all = true};  // an open gateway

int found(const ResponseStore& store, int n) {
  int count = 0;
  for (int i = 0; i < n; ++i) count += store.get("resp_" + std::to_string(i), kAnyone).has_value();
  return count;
}

TEST(ResponseStore, KeepsAtMostItsEntryBoundNewestFirst) {
  ResponseStore store(32, 3600s);
  for (int i = 0; i < 1000; ++i) store.put("resp_" + std::to_string(i), {"{}", "[]"});
  EXPECT_LE(found(store, 1000), 32);
  EXPECT_TRUE(store.get("resp_999", kAnyone).has_value());
}

TEST(ResponseStore, KeepsAtMostItsByteBound) {
  constexpr std::size_t kBytes = 16 * 1000;  // 1000 bytes per shard
  ResponseStore store(10'000, 3600s, kBytes);
  const std::string big(400, 'x');
  for (int i = 0; i < 200; ++i) store.put("resp_" + std::to_string(i), {big, "[]"});
  EXPECT_LE(found(store, 200) * 402, static_cast<int>(kBytes));
  EXPECT_TRUE(store.get("resp_199", kAnyone).has_value());
}

TEST(ResponseStore, ExpiredEntriesAreGone) {
  ResponseStore store(100, 0s);
  store.put("resp_a", {"{}", "[]"});
  EXPECT_FALSE(store.get("resp_a", kAnyone).has_value());
}

TEST(ResponseStore, EraseForgets) {
  ResponseStore store;
  store.put("resp_a", {"{}", "[]"});
  EXPECT_TRUE(store.erase("resp_a", kAnyone).has_value());
  EXPECT_FALSE(store.erase("resp_a", kAnyone).has_value());
  EXPECT_FALSE(store.get("resp_a", kAnyone).has_value());
}

// A delete on another instance: the local copy goes whoever owned it, and a copy fetched from
// Redis before that delete is not kept (the fetch raced the delete).
TEST(ResponseStore, AForgottenEntryIsGoneAndAFetchThatRacedTheForgetIsNotKept) {
  ResponseStore store;
  store.put("resp_a", {"{}", "[]", key_fingerprint("sk-a", "")});
  const auto before = store.forgets("resp_a");
  store.forget("resp_a");
  EXPECT_FALSE(store.holds("resp_a"));
  EXPECT_FALSE(store.put_fetched("resp_a", {"{}", "[]"}, before));
  EXPECT_FALSE(store.holds("resp_a"));
  EXPECT_TRUE(store.put_fetched("resp_a", {"{}", "[]"}, store.forgets("resp_a")));
  EXPECT_TRUE(store.holds("resp_a"));
}

// Deletes of ids in other shards (a busy cluster deletes all the time) do not turn a fetch away.
TEST(ResponseStore, AForgetInAnotherShardDoesNotTurnAFetchAway) {
  ResponseStore store;
  const auto before = store.forgets("resp_a");
  int others = 0;
  for (int i = 0; i < 1000 && others < 3; ++i) {
    const auto mine = store.forgets("resp_a");
    store.forget("resp_other_" + std::to_string(i));
    if (store.forgets("resp_a") == mine) ++others;  // another shard's delete
  }
  ASSERT_EQ(others, 3);
  EXPECT_TRUE(store.put_fetched("resp_a", {"{}", "[]"}, before));
}

// After a broken subscription every entry is checked against Redis before it is trusted again
// (holds() false), still readable meanwhile; confirm() (Redis has no copy) makes it held again.
TEST(ResponseStore, RecheckAllAsksForEveryEntryOnceMore) {
  ResponseStore store;
  store.put("resp_a", {"{}", "[]"});
  store.put("resp_b", {"{}", "[]"});
  const auto before = store.forgets("resp_a");
  store.recheck_all();
  EXPECT_FALSE(store.holds("resp_a"));
  EXPECT_FALSE(store.holds("resp_b"));
  EXPECT_TRUE(store.get("resp_a", kAnyone).has_value());
  EXPECT_FALSE(store.put_fetched("resp_a", {"{}", "[]"}, before)) << "a fetch from before the gap is not kept";
  store.confirm("resp_a");
  EXPECT_TRUE(store.holds("resp_a"));
  EXPECT_TRUE(store.put_fetched("resp_b", {"{}", "[]"}, store.forgets("resp_b")));
  EXPECT_TRUE(store.holds("resp_b"));
}

TEST(ResponseStore, AnotherKeysEntryIsAsAbsentAsAnUnknownOne) {
  ResponseStore store;
  const StoreCaller a{.owner = key_fingerprint("sk-a", ""), .sees_all = false};
  const StoreCaller b{.owner = key_fingerprint("sk-b", ""), .sees_all = false};
  const StoreCaller master{.owner = key_fingerprint("sk-master", ""), .sees_all = true};
  store.put("resp_a", {"{}", "[]", a.owner});
  EXPECT_FALSE(store.get("resp_a", b).has_value());
  EXPECT_FALSE(store.erase("resp_a", b).has_value());
  EXPECT_TRUE(store.holds("resp_a"));
  EXPECT_TRUE(store.get("resp_a", a).has_value());
  EXPECT_TRUE(store.get("resp_a", master).has_value());
  EXPECT_TRUE(store.erase("resp_a", a).has_value());
  EXPECT_FALSE(store.holds("resp_a"));
}

TEST(ResponseStore, OwnersAreFingerprintsNotKeys) {
  const auto fp = key_fingerprint("sk-team-a", "");
  EXPECT_EQ(fp.size(), 64u);
  EXPECT_EQ(fp.find("team"), std::string::npos);
  EXPECT_EQ(fp, key_fingerprint("sk-team-a", ""));
  EXPECT_NE(fp, key_fingerprint("sk-team-b", ""));
  // Without a gateway secret: SHA-256("abc"), FIPS 180-2's example.
  EXPECT_EQ(key_fingerprint("abc", ""), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// With a master key the fingerprint is HMAC-SHA-256 keyed with it: hashing candidate keys does
// not find a key from a Redis dump without the master key too.
TEST(ResponseStore, OwnersAreKeyedWithTheMasterKeyWhenThereIsOne) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(key_fingerprint("what do ya want for nothing?", "Jefe"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_NE(key_fingerprint("sk-team-a", "sk-master"), key_fingerprint("sk-team-a", ""));
  EXPECT_NE(key_fingerprint("sk-team-a", "sk-master"), key_fingerprint("sk-team-a", "sk-master-2"));
  EXPECT_EQ(key_fingerprint("sk-team-a", "sk-master"), key_fingerprint("sk-team-a", "sk-master"));
}

}  // namespace
}  // namespace switchyard::api
