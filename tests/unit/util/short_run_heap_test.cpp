#include "util/short_run_heap.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

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

// What the hook's main sets up: large blocks come from the heap (reused
// when freed, never mapped afresh), and the heap asks for huge pages.
TEST(ShortRunHeap, LargeBlocksComeFromTheHeapInHugePages) {
  if (sanitizer_owns_malloc()) GTEST_SKIP() << "the sanitizer's allocator replaces glibc's malloc";
  tg::use_short_run_heap();
  // Over glibc's default 128 KB threshold, which would map it on its own.
  constexpr std::size_t k_block = std::size_t{4} << 20;
  void* block = std::malloc(k_block);
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, k_block);
  const auto mapping = mapping_holding(block);
  ASSERT_TRUE(mapping.has_value());
  EXPECT_EQ(mapping->name, "[heap]");
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage")) {
    EXPECT_NE(mapping->vm_flags.find(" hg "), std::string::npos) << mapping->vm_flags;
  }
  std::free(block);
  // Freed and taken again: the same memory, not returned to the kernel.
  void* again = std::malloc(k_block);
  EXPECT_EQ(again, block);
  std::free(again);
}
