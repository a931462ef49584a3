// Allocator settings for a process that lives for a moment (a hook).
#pragma once
#include <cstddef>

namespace tg {

// Makes malloc keep and reuse what it gets from the kernel, and asks for
// transparent huge pages for the first `reserve` bytes of the heap. Call it
// first in main, before any thread starts.
//
// Why: a hook's time is partly first touches of fresh memory. By default
// glibc gives each worker thread its own arena, maps every block over
// 128 KB afresh and returns freed memory at the top of the heap, so the same
// bytes fault in again and again; a 200-commit push took 1,700 page faults.
// One arena that is never trimmed, with blocks up to 32 MB on the heap,
// reuses touched pages, and a heap in 2 MB pages faults once per 2 MB.
//
// Only hints: if the heap cannot grow by brk, the kernel has huge pages
// switched off (transparent_hugepage = never) or malloc is not glibc's, the
// process runs as before. Address space is reserved, not memory: pages
// count once touched.
void use_short_run_heap(std::size_t reserve = std::size_t{64} << 20);

// Gives the kernel back the heap's free pages, wherever they lie, despite
// the settings above. For the point where a phase that allocated much has
// ended and the next would otherwise add its own peak on top: the freed
// pages stay counted in the process's memory until then.
void release_free_heap_pages();

}  // namespace tg
