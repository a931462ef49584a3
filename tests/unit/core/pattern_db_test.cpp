#include "core/pattern_db.hpp"

#include "core/embedded_database.hpp"

#include <gtest/gtest.h>

namespace tg {
namespace {

TEST(PatternDatabase, EmbeddedDatabaseIsUsedAtStartUp) {
  ASSERT_FALSE(embedded_database().empty());
  auto database = PatternDatabase::load();
  ASSERT_TRUE(database.has_value());
  EXPECT_EQ(database->origin(), DatabaseOrigin::embedded);
}

TEST(PatternDatabase, SerializedBytesRoundTrip) {
  auto compiled = PatternDatabase::compile();
  ASSERT_TRUE(compiled.has_value());
  auto bytes = compiled->serialize();
  ASSERT_TRUE(bytes.has_value());
  auto loaded = PatternDatabase::deserialize(
      {reinterpret_cast<const unsigned char*>(bytes->data()), bytes->size()});
  ASSERT_TRUE(loaded.has_value());
}

TEST(PatternDatabase, StaleOrCorruptBytesAreRejected) {
  auto bytes = PatternDatabase::compile()->serialize().value();
  std::string stale = bytes;
  stale[0] ^= 0x5a;  // digest of other patterns
  EXPECT_FALSE(PatternDatabase::deserialize(
                   {reinterpret_cast<const unsigned char*>(stale.data()), stale.size()})
                   .has_value());
  const std::string truncated = bytes.substr(0, 20);
  EXPECT_FALSE(PatternDatabase::deserialize(
                   {reinterpret_cast<const unsigned char*>(truncated.data()), truncated.size()})
                   .has_value());
  EXPECT_FALSE(PatternDatabase::deserialize({}).has_value());
}

}  // namespace
}  // namespace tg
