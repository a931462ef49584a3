// Threads that outlive their task and take the next one, while a command
// asks for it (ThreadKeeping).
//
// Why: a push's check runs three parallel steps in a row (the repository
// opened beside the pack listing, the pack's entry headers, the pass over
// the pushed objects), each wanting one more thread for a millisecond or a
// few. Creating it cost the caller 0.15-0.3 ms on a 2-CPU VM and the thread
// started 0.1-0.2 ms later; waking a kept thread costs about 0.07 ms. A
// command with one parallel step gains nothing from keeping its thread and
// pays for waking it again to end it (BENCHMARKS.md).
#pragma once

#include <functional>
#include <thread>

namespace tg {

// Where a task's thread runs.
// NOTE: on a 2-CPU VM whose scheduler queues a new thread behind its creator,
// a pushed pack's pass (hundreds of objects, 10-15 ms) got its second worker
// 0.7-2 ms late, and starting it on the other CPU saved 0.4-0.9 ms; but a
// pre-commit's scan of ten staged files went from 6.7 to 8.6 ms that way
// (waking the idle CPU costs more than the thread does there). BENCHMARKS.md.
enum class ThreadStart {
  scheduler,        // wherever the scheduler puts it
  off_callers_cpu,  // on the caller's other CPUs (util/thread_placement.hpp)
};

namespace thread_cache_detail {
struct Slot;
}

// A task handed to a thread. Like std::jthread, waits for the task on
// destruction; the thread then ends, or, while a ThreadKeeping lives, waits
// for the next task.
class CachedThread {
 public:
  // Runs `task` on an idle kept thread, placed as `start` says before the
  // task starts, or on a new thread, started with its task as a std::jthread
  // would be and then placed. `task` must not throw: an exception on its
  // thread ends the process.
  CachedThread(std::function<void()> task, ThreadStart start);
  CachedThread(CachedThread&& other) noexcept;
  CachedThread& operator=(CachedThread&&) = delete;
  ~CachedThread();

  void join();

 private:
  thread_cache_detail::Slot* m_slot;
};

// While one lives (in any thread), a thread whose task is done is kept for
// the next task. When the last one ends, the kept threads end
// (release_kept_threads).
class ThreadKeeping {
 public:
  ThreadKeeping();
  ~ThreadKeeping();
  ThreadKeeping(const ThreadKeeping&) = delete;
  ThreadKeeping& operator=(const ThreadKeeping&) = delete;
};

// Ends every kept thread that waits for a task (a later task starts a new
// one). What a library keeps per thread is freed as its thread ends: libgit2
// frees its per-thread error state then, but only while it is initialised,
// so git::Session calls this before shutting libgit2 down.
void release_kept_threads();

}  // namespace tg
