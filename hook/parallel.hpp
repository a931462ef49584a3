// Runs `work(worker, item)` for items [0, count) on up to `workers` threads,
// each item exactly once. `worker` is the thread's index, so callers keep one
// Scanner (and one repository handle) per thread. Worker 0 is the calling
// thread, so it may use what the caller holds; a single item or worker runs
// there alone.
#pragma once

#include "util/thread_placement.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace tg {

inline unsigned default_worker_count() {
  return std::max(1u, std::thread::hardware_concurrency());
}

// Where parallel_for's other threads start.
// NOTE: on a 2-CPU VM whose scheduler queues a new thread behind its creator,
// a pushed pack's pass (hundreds of objects, 10-15 ms) got its second worker
// 0.7-2 ms late, and starting it on the other CPU saved 0.4-0.9 ms; but a
// pre-commit's scan of ten staged files went from 6.7 to 8.6 ms that way
// (waking the idle CPU costs more than the thread does there). BENCHMARKS.md.
enum class ThreadStart {
  scheduler,        // wherever the scheduler queues them
  off_callers_cpu,  // on the caller's other CPUs, the caller kept on its own (util/thread_placement.hpp)
};

// Starts `task` on a new thread: where the scheduler queues it, or with
// `split`, on the CPUs that split leaves to workers.
template <typename Task>
std::jthread start_thread(Task&& task, const CpuSplit* split) {
  std::jthread thread(std::forward<Task>(task));
  if (split != nullptr) split->place_worker(thread.native_handle());
  return thread;
}

// `alone_for`: above zero, the calling thread starts alone and starts the
// others only once it has worked that long with items left. A few small
// items (a commit's ten files) are done before another thread could have
// started and opened its own repository, which cost a 7 ms pre-commit 0.7 ms
// (BENCHMARKS.md); a large scan loses at most that long of one thread.
template <typename Work>
void parallel_for(std::size_t count, unsigned workers, Work&& work,
                  ThreadStart start = ThreadStart::scheduler,
                  std::chrono::microseconds alone_for = std::chrono::microseconds::zero()) {
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, count));
  if (workers <= 1) {
    for (std::size_t item = 0; item < count; ++item) work(0u, item);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto run = [&](unsigned worker) {
    for (std::size_t item = next++; item < count; item = next++) work(worker, item);
  };
  // Before the threads, so that it ends after they are joined.
  std::optional<CpuSplit> split;
  std::vector<std::jthread> threads;
  auto start_others = [&] {
    threads.reserve(workers - 1);
    if (start == ThreadStart::off_callers_cpu) split.emplace();
    for (unsigned worker = 1; worker < workers; ++worker) {
      threads.push_back(start_thread([&run, worker] { run(worker); }, split ? &*split : nullptr));
    }
  };
  if (alone_for <= std::chrono::microseconds::zero()) {
    start_others();
    run(0);
    return;
  }
  const auto alone_until = std::chrono::steady_clock::now() + alone_for;
  for (std::size_t item = next++; item < count; item = next++) {
    work(0u, item);
    if (threads.empty() && next.load(std::memory_order_relaxed) < count &&
        std::chrono::steady_clock::now() >= alone_until) {
      start_others();
    }
  }
}

// Runs `other` on a new thread started off the caller's CPU and `here` on
// the calling thread; returns when both are done. For two independent steps
// of a hook's start (each about a millisecond) that would otherwise run one
// after the other on one core. `other` reports failure through what it
// captures, never by throwing: an exception on its thread ends the process.
template <typename Other, typename Here>
void run_side_by_side(Other&& other, Here&& here) {
  const CpuSplit split;
  const std::jthread thread = start_thread(std::forward<Other>(other), &split);
  here();
}

}  // namespace tg
