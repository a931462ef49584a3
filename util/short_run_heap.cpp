#include "util/short_run_heap.hpp"

#include <cstdint>
#include <cstdlib>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

namespace tg {

namespace {

constexpr int k_most_blocks_from_heap = 32 << 20;  // the most M_MMAP_THRESHOLD takes on 64-bit
constexpr int k_never_trim = 1 << 30;
constexpr std::uintptr_t k_huge_page = std::uintptr_t{2} << 20;
constexpr std::size_t k_grow_block = std::size_t{8} << 20;  // under M_MMAP_THRESHOLD: from the heap

// The block set aside below the first huge page, kept for the life of the
// process; volatile so that the compiler keeps the allocation.
void* volatile g_set_aside = nullptr;

std::uintptr_t align_up(std::uintptr_t value, std::uintptr_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

}  // namespace

void use_short_run_heap(std::size_t reserve) {
#if defined(__GLIBC__) && defined(M_ARENA_MAX)
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_MMAP_THRESHOLD, k_most_blocks_from_heap);
  mallopt(M_TRIM_THRESHOLD, k_never_trim);
  mallopt(M_TOP_PAD, static_cast<int>(reserve));

  // 1. Grow the heap by `reserve` and ask for huge pages there, before
  // anything in the new range is touched (a 2 MB range with one small page
  // mapped stays in small pages). A block the free top cannot hold makes the
  // heap grow by its size plus `reserve`; freed, it rejoins the free top.
  const auto before = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (before == static_cast<std::uintptr_t>(-1)) return;
  void* volatile grow = std::malloc(k_grow_block);  // volatile: the compiler may drop a malloc/free pair
  const auto after = reinterpret_cast<std::uintptr_t>(sbrk(0));
  if (after > before) {
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const std::uintptr_t begin = align_up(before, page);
    const std::uintptr_t end = after / page * page;
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
  std::free(grow);
  if (after <= before) return;  // not a heap that grows by brk

  // 2. The free top runs up to the break. Set aside one block from its start
  // to the next huge-page boundary (address space only, never touched), so
  // what is allocated next starts on the boundary, in huge pages.
  const std::uintptr_t top = after - mallinfo2().keepcost;
  constexpr std::uintptr_t k_chunk_header = 2 * sizeof(std::size_t);
  const std::uintptr_t boundary = align_up(top + k_chunk_header, k_huge_page);
  g_set_aside = std::malloc(boundary - top - k_chunk_header);
#else
  (void)reserve;
#endif
}

void release_free_heap_pages() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace tg
