#include "util/kept_until_exit.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tg {
namespace {

int g_alive = 0;

struct Counted {
  Counted() { ++g_alive; }
  Counted(Counted&& other) noexcept : text(std::move(other.text)) { ++g_alive; }
  ~Counted() { --g_alive; }
  std::string text = "held";
};

TEST(KeepUntilExit, TheMovedObjectIsNeverDestroyedItsSourceIs) {
  {
    Counted local;
    keep_until_exit(std::move(local));
    EXPECT_EQ(g_alive, 2);
  }
  EXPECT_EQ(g_alive, 1);  // the kept copy outlives its scope

  // What a kept owner holds is not released either.
  auto shared = std::make_shared<int>(7);
  std::weak_ptr<int> watch = shared;
  keep_until_exit(std::move(shared));
  EXPECT_FALSE(watch.expired());
}

}  // namespace
}  // namespace tg
