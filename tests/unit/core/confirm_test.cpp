// The confirm stage (and the scanner's line bookkeeping around it) runs in
// linear time on any input. Each adversarial input is scanned at 256 KiB and
// at 2 MiB (64 KiB and 512 KiB in sanitizer and debug builds); the larger
// must not take more than a generous multiple of 8 times
// as long. A quadratic step would take 64 times as long (and, before the fix,
// minutes), so the bound catches it without depending on the machine's speed.
#include "core/confirm.hpp"
#include "core/scanner.hpp"
#include "tests/support/fake_credentials.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <string>

namespace tg {
namespace {

// Sanitizer and debug builds run the same inputs, smaller: they are ten or
// more times slower, and the ratio is what is checked.
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
constexpr std::size_t k_small = 64 * 1024;
#else
constexpr std::size_t k_small = 256 * 1024;
#endif
constexpr std::size_t k_large = 8 * k_small;
// Linear growth is 8; allow 3 times that for caches, allocation and noise.
constexpr double k_max_growth = 24.0;
// CPU time below this is measured as this, so that a tiny time cannot make an
// honest ratio look large.
constexpr double k_floor_seconds = 0.004;

// `unit` repeated up to `size` bytes.
std::string repeat(const std::string& unit, std::size_t size) {
  std::string out;
  out.reserve(size + unit.size());
  while (out.size() < size) out += unit;
  out.resize(size);
  return out;
}

double cpu_seconds(const std::function<void()>& work, int repetitions) {
  double best = 1e9;
  for (int i = 0; i < repetitions; ++i) {
    const std::clock_t start = std::clock();
    work();
    best = std::min(best, static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
  }
  return std::max(best, k_floor_seconds);
}

class ConfirmLinearTime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_database = new PatternDatabase(PatternDatabase::load().value()); }
  static void TearDownTestSuite() {
    delete s_database;
    s_database = nullptr;
  }

  // Scans `make(k_small)` and `make(k_large)` and checks the growth of CPU
  // time. Returns the findings of the large input for further checks.
  std::size_t expect_linear(const std::string& label, const std::function<std::string(std::size_t)>& make) {
    auto scanner = Scanner::create(*s_database).value();
    const std::string small = make(k_small);
    const std::string large = make(k_large);
    std::size_t findings = 0;
    const double small_time = cpu_seconds([&] { ASSERT_TRUE(scanner.scan(small).has_value()); }, 3);
    const double large_time = cpu_seconds([&] { findings = scanner.scan(large).value().size(); }, 2);
    EXPECT_LT(large_time / small_time, k_max_growth)
        << label << ": " << small_time << " s for " << k_small << " bytes, " << large_time << " s for " << k_large;
    return findings;
  }

  static PatternDatabase* s_database;
};
PatternDatabase* ConfirmLinearTime::s_database = nullptr;

TEST_F(ConfirmLinearTime, NameTriggersInsideOneLongIdentifier) {
  // Every `authtoken` is a trigger whose value search used to walk the rest of
  // the identifier.
  expect_linear("authtoken run", [](std::size_t size) { return repeat("authtoken", size); });
  expect_linear("AuthToken run", [](std::size_t size) { return repeat("AuthToken", size); });
  expect_linear("ApiSecret run", [](std::size_t size) { return repeat("ApiSecret", size); });
  expect_linear("name then long value", [](std::size_t size) {
    return repeat("auth_token=", 64) + repeat("a", size);
  });
}

TEST_F(ConfirmLinearTime, ManyFindingsOnOneLine) {
  // Every finding used to search for the end of its line, the allow marker
  // and its column from the line start: quadratic on a one-line file.
  testing::FakeGenerator generator;
  std::string unit;
  for (int i = 0; i < 8; ++i) unit += "AC" + generator.plausible_hex32() + " ";
  const std::size_t found =
      expect_linear("SIDs on one line", [&](std::size_t size) { return repeat(unit, size); });
  // Far more candidates than are reported: the report stops at the cap.
  EXPECT_EQ(found, ScanOptions{}.max_findings);
  std::string hex_unit;
  for (int i = 0; i < 8; ++i) hex_unit += generator.plausible_hex32() + ",";
  expect_linear("hex values after a SID", [&](std::size_t size) {
    return "AC" + generator.plausible_hex32() + " " + repeat(hex_unit, size);
  });
}

TEST_F(ConfirmLinearTime, OtherTriggerFloods) {
  testing::FakeGenerator generator;
  const std::string sk = "SK" + generator.plausible_hex32();
  expect_linear("unpaired API Key SIDs", [&](std::size_t size) { return repeat(sk + "\n", size); });
  expect_linear("API Key SIDs then a long run", [&](std::size_t size) {
    return repeat(sk + " ", 400) + repeat("Ab1", size);
  });
  expect_linear("JWT prefixes", [](std::size_t size) { return repeat("eyJhbGciOiJIUzI1.eyJ", size); });
  expect_linear("JWT chain", [](std::size_t size) { return repeat("eyJhbGciOiJIUzI1NiJ9.", size); });
  expect_linear("base64 pair prefixes", [](std::size_t size) { return repeat("QUMxMjM0NTY3ODkwYWJjZGVmMTIzNDU2Nzg5MGFi ", size); });
  expect_linear("long base64 run", [](std::size_t size) { return "QUM" + repeat("QUMx", size); });
  expect_linear("glue", [](std::size_t size) { return "auth_token" + repeat(" = \"", size); });
  expect_linear("newlines", [](std::size_t size) { return repeat("auth_token:\n", size); });
}

}  // namespace
}  // namespace tg
