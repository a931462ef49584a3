#include "util/short_run_heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

// The mapping of this process that holds `address`, from /proc/self/smaps.
struct Mapping {
  std::string name;      // "[heap]", a file path, or empty
  std::string vm_flags;  // " rd wr mr ... " with a space on each side
};

std::optional<Mapping> mapping_holding(const void* address) {
  const auto where = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  std::optional<Mapping> found;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::istringstream fields(line);
    std::string first;
    fields >> first;
    if (const auto dash = first.find('-'); dash != std::string::npos && first.back() != ':') {
      const std::uintptr_t begin = std::stoull(first.substr(0, dash), nullptr, 16);
      const std::uintptr_t end = std::stoull(first.substr(dash + 1), nullptr, 16);
      inside = begin <= where && where < end;
      if (inside) {
        std::string permissions, offset, device, inode, name;
        fields >> permissions >> offset >> device >> inode >> name;
        found = Mapping{name, ""};
      }
    } else if (inside && first == "VmFlags:") {
      found->vm_flags = " " + line.substr(line.find(':') + 1) + " ";
      return found;
    }
  }
  return found;
}

bool sanitizer_owns_malloc() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#else
  return false;
#endif
}

}  // namespace

// What the hook's main sets up: the heap grows into a range that asks for
// huge pages, and large blocks come from the heap (reused when freed, never
// mapped afresh). Other tests ran before in this process, so the blocks may
// come from memory freed earlier: only the heap's new top is checked for
// huge pages.
TEST(ShortRunHeap, GrowsTheHeapInHugePagesAndKeepsLargeBlocksOnIt) {
  if (sanitizer_owns_malloc()) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's malloc";
  tg::use_short_run_heap();
  const auto top = mapping_holding(static_cast<const char*>(sbrk(0)) - 1);
  ASSERT_TRUE(top.has_value());
  EXPECT_EQ(top->name, "[heap]");
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
    EXPECT_NE(top->vm_flags.find(" hg "), std::string::npos) << top->vm_flags;
  }

  // Far over glibc's default 128 KB threshold, which would map it on its own.
  constexpr std::size_t k_block = std::size_t{24} << 20;
  void* block = std::malloc(k_block);
  ASSERT_NE(block, nullptr);
  const auto holding = mapping_holding(block);
  ASSERT_TRUE(holding.has_value());
  EXPECT_EQ(holding->name, "[heap]");
  std::free(block);
  // Freed and taken again: the same memory, not returned to the kernel.
  void* again = std::malloc(k_block);
  EXPECT_EQ(again, block);
  std::free(again);
}
