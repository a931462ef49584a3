#include "core/base64_pair_trigger.hpp"

#include "core/pattern_db.hpp"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <random>
#include <string>
#include <vector>

namespace tg {
namespace {

std::vector<std::uint32_t> found_ends(std::string_view data) {
  std::vector<TriggerHit> hits;
  find_base64_pair_triggers(data, hits);
  std::vector<std::uint32_t> ends;
  for (const TriggerHit& hit : hits) {
    EXPECT_EQ(hit.trigger, Trigger::base64_pair);
    ends.push_back(hit.end);
  }
  return ends;
}

// The same trigger as the Hyperscan expression it replaced: the reference
// that the hand-written search must agree with on every input.
class Base64PairReference {
 public:
  Base64PairReference() {
    static constexpr const char* k_expression =
        "(?:^|[^A-Za-z0-9+/=])(?:QUM[w-z0-5]|QUN[h-m]|U0s[w-z0-5]|U0t[h-m])[A-Za-z0-9+/]{39}";
    hs_database_t* raw_database = nullptr;
    hs_compile_error_t* raw_error = nullptr;
    const hs_error_t status = hs_compile(k_expression, 0, HS_MODE_BLOCK, nullptr, &raw_database, &raw_error);
    HsCompileErrorPtr error(raw_error);
    m_database.reset(raw_database);
    hs_scratch_t* raw_scratch = nullptr;
    if (status == HS_SUCCESS) hs_alloc_scratch(m_database.get(), &raw_scratch);
    m_scratch.reset(raw_scratch);
  }

  bool ready() const { return m_database && m_scratch; }

  std::vector<std::uint32_t> ends(std::string_view data) const {
    std::vector<std::uint32_t> out;
    hs_scan(m_database.get(), data.data(), static_cast<unsigned>(data.size()), 0, m_scratch.get(),
            [](unsigned, unsigned long long, unsigned long long to, unsigned, void* context) {
              static_cast<std::vector<std::uint32_t>*>(context)->push_back(static_cast<std::uint32_t>(to));
              return 0;
            },
            &out);
    return out;
  }

 private:
  HsDatabasePtr m_database;
  HsScratchPtr m_scratch;
};

const std::string k_tail(39, 'x');

TEST(Base64PairTrigger, FindsEachPrefixAtTheStartOfBase64Text) {
  for (const char* prefix : {"QUMw", "QUM5", "QUNh", "QUNm", "U0sz", "U0s0", "U0ti", "U0tl"}) {
    const std::string token = std::string(prefix) + k_tail;
    EXPECT_EQ(found_ends(token), std::vector<std::uint32_t>{43}) << prefix;
    EXPECT_EQ(found_ends("key: \"" + token + "\""), std::vector<std::uint32_t>{49}) << prefix;
    EXPECT_EQ(found_ends("\n" + token + "more/base64+text"), std::vector<std::uint32_t>{44}) << prefix;
  }
}

TEST(Base64PairTrigger, IgnoresWhatCannotDecodeToASidPair) {
  // Fourth characters of upper-case or non-hex digits, a prefix inside a
  // longer base64 run or after padding, and a run too short.
  for (const std::string& text :
       {"QUM6" + k_tail, "QUNn" + k_tail, "U0sv" + k_tail, "U0tg" + k_tail, "QUMx" + k_tail.substr(1),
        "aQUMx" + k_tail, "=QUMx" + k_tail, "+U0sx" + k_tail, "QUMx" + k_tail.substr(2) + " " + k_tail,
        "qUMx" + k_tail, "QuMx" + k_tail}) {
    EXPECT_TRUE(found_ends(text).empty()) << text;
  }
}

TEST(Base64PairTrigger, FindsEveryTokenOfALongTextInOrder) {
  std::string text;
  std::vector<std::uint32_t> expected;
  for (int i = 0; i < 200; ++i) {
    text += std::string(static_cast<std::size_t>(i % 37), i % 2 == 0 ? '.' : 'U');
    text += ' ';
    text += (i % 3 == 0 ? "U0s0" : "QUNj") + k_tail;
    expected.push_back(static_cast<std::uint32_t>(text.size()));
  }
  EXPECT_EQ(found_ends(text), expected);
}

TEST(Base64PairTrigger, AgreesWithTheHyperscanExpressionItReplaced) {
  const Base64PairReference reference;
  ASSERT_TRUE(reference.ready());
  // Short alphabets make prefixes, boundaries and long runs frequent; the
  // lengths cover the 16- and 64-byte blocks and the bytes after them.
  const std::string alphabets[] = {"QUMN0st=wh5x ", "QUMNU0stw5hm+/=\n", "QUMw", "U0sz Q", "QU0MNsthw9aA=+/-\"\x80"};
  std::mt19937 random(20261124);
  std::size_t reference_hits = 0;
  for (const std::string& alphabet : alphabets) {
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    for (int round = 0; round < 3000; ++round) {
      std::string text(std::uniform_int_distribution<std::size_t>(0, 300)(random), ' ');
      for (char& c : text) c = alphabet[pick(random)];
      // Plant prefixes in runs of base64 so that whole triggers occur.
      for (std::size_t at = 0; at + 45 < text.size(); at += 50 + round % 30) {
        const std::string planted = round % 2 == 0 ? "QUMy" : "U0tk";
        text.replace(at + 1, 4, planted);
        for (std::size_t i = at + 5; i < at + 44 && round % 5 != 0; ++i) text[i] = 'A' + static_cast<char>(i % 26);
      }
      const std::vector<std::uint32_t> expected = reference.ends(text);
      ASSERT_EQ(found_ends(text), expected) << "input: " << text;
      reference_hits += expected.size();
    }
  }
  EXPECT_GT(reference_hits, 1000u);  // the inputs do hold triggers
}

TEST(Base64PairTrigger, PrefixFloodsGiveAtMostTheFirst) {
  // A candidate every few bytes, each inside a base64 run or too short.
  for (const std::string unit : {"QUM", "QUMw", " QUMw", "U0", "U"}) {
    std::string text;
    while (text.size() < (1u << 20)) text += unit;
    EXPECT_LE(found_ends(text).size(), 1u) << unit;
  }
}

}  // namespace
}  // namespace tg
