// core::find_members: several members of an object in one walk, the same values if_contains
// finds, for small objects (kept as an array) and large ones (hashed).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "core/json_members.h"

namespace switchyard::core {
namespace {
namespace json = boost::json;

constexpr std::array<std::string_view, 5> kKeys = {"model", "messages", "stream", "", "model_extra"};

void expect_same_as_if_contains(json::object& object) {
  const auto found = find_members(object, kKeys);
  for (std::size_t i = 0; i < kKeys.size(); ++i) EXPECT_EQ(found[i], object.if_contains(kKeys[i])) << kKeys[i];
  const auto& const_object = object;
  const auto const_found = find_members(const_object, kKeys);
  for (std::size_t i = 0; i < kKeys.size(); ++i) EXPECT_EQ(const_found[i], const_object.if_contains(kKeys[i]));
}

TEST(FindMembers, FindsWhatIfContainsFinds) {
  auto small = json::parse(R"({"stream":true,"model":"m","mode":1,"":0,"messages":[]})").as_object();
  expect_same_as_if_contains(small);
  auto none = json::parse(R"({"modell":"x","Model":"y"})").as_object();
  expect_same_as_if_contains(none);
  EXPECT_EQ(find_members(none, kKeys)[0], nullptr);
  json::object large;
  for (int i = 0; i < 100; ++i) large["field" + std::to_string(i)] = i;
  large["messages"] = json::array{};
  large["model_extra"] = "e";
  expect_same_as_if_contains(large);
  // A duplicate key in the text: the object keeps one, and both ways find that one.
  auto duplicate = json::parse(R"({"model":"first","model":"second"})").as_object();
  expect_same_as_if_contains(duplicate);
}

}  // namespace
}  // namespace switchyard::core
