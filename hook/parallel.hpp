// Runs `work(worker, item)` for items [0, count) on up to `workers` threads,
// each item exactly once. `worker` is the thread's index, so callers keep one
// Scanner (and one repository handle) per thread. Worker 0 is the calling
// thread, so it may use what the caller holds; a single item or worker runs
// there alone. The other threads start away from the caller's CPU
// (util/thread_placement.hpp), so that they begin at once.
#pragma once

#include "util/thread_placement.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace tg {

inline unsigned default_worker_count() {
  return std::max(1u, std::thread::hardware_concurrency());
}

template <typename Work>
void parallel_for(std::size_t count, unsigned workers, Work&& work) {
  workers = static_cast<unsigned>(std::min<std::size_t>(workers, count));
  if (workers <= 1) {
    for (std::size_t item = 0; item < count; ++item) work(0u, item);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto run = [&](unsigned worker) {
    for (std::size_t item = next++; item < count; item = next++) work(worker, item);
  };
  std::vector<std::jthread> threads;
  threads.reserve(workers - 1);
  for (unsigned worker = 1; worker < workers; ++worker) {
    threads.emplace_back(run, worker);
    move_off_callers_cpu(threads.back().native_handle());
  }
  run(0);
}

}  // namespace tg
