// Threads that outlive their task and take the next one.
//
// Why: a hook's parallel steps (the repository opened beside the pack
// listing, the pack's entry headers, the pass over the pushed objects) each
// wanted one more thread for a millisecond or a few. Creating it cost the
// caller 0.15-0.3 ms on a 2-CPU VM and the thread started 0.1-0.2 ms later;
// waking a kept thread costs about 0.07 ms (BENCHMARKS.md).
#pragma once

#include <functional>
#include <thread>

namespace tg {

namespace thread_cache_detail {
struct Slot;
}

// A task handed to a kept thread. Like std::jthread, waits for the task on
// destruction; the thread then waits for the next task.
class CachedThread {
 public:
  // Runs `task` on an idle kept thread, or on a new one kept afterwards;
  // with `off_callers_cpu`, placed as move_off_callers_cpu says
  // (util/thread_placement.hpp) before it starts, otherwise free to run on
  // any CPU. `task` must not throw: an exception on its thread ends the
  // process.
  CachedThread(std::function<void()> task, bool off_callers_cpu);
  CachedThread(CachedThread&& other) noexcept;
  CachedThread& operator=(CachedThread&&) = delete;
  ~CachedThread();

  void join();

 private:
  thread_cache_detail::Slot* m_slot;
};

}  // namespace tg
