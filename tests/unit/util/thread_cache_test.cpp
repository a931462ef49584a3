#include "util/thread_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <thread>
#include <vector>

#include <sched.h>

namespace tg {
namespace {

int allowed_cpu_count() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return 0;
  return CPU_COUNT(&allowed);
}

TEST(CachedThread, RunsTheTaskElsewhereAndJoinWaitsForIt) {
  std::atomic<bool> done{false};
  std::thread::id ran_on;
  CachedThread thread([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ran_on = std::this_thread::get_id();
    done = true;
  }, ThreadStart::scheduler);
  thread.join();
  EXPECT_TRUE(done);
  EXPECT_NE(ran_on, std::this_thread::get_id());
  thread.join();  // a second join does nothing
}

TEST(CachedThread, TheNextTaskReusesAThreadWhoseTaskIsDone) {
  std::thread::id first, second;
  { CachedThread thread([&] { first = std::this_thread::get_id(); }, ThreadStart::scheduler); }
  { CachedThread thread([&] { second = std::this_thread::get_id(); }, ThreadStart::scheduler); }
  EXPECT_EQ(first, second);
}

TEST(CachedThread, TasksGivenTogetherRunTogether) {
  // Each task waits for all the others: kept threads that ran them one at a
  // time would never return.
  constexpr int k_tasks = 4;
  std::barrier all_started(k_tasks);
  std::vector<std::thread::id> ran_on(k_tasks);
  {
    std::vector<CachedThread> threads;
    for (int task = 0; task < k_tasks; ++task) {
      threads.emplace_back([&, task] {
        ran_on[task] = std::this_thread::get_id();
        all_started.arrive_and_wait();
      }, ThreadStart::scheduler);
    }
  }
  for (int a = 0; a < k_tasks; ++a) {
    for (int b = a + 1; b < k_tasks; ++b) EXPECT_NE(ran_on[a], ran_on[b]);
  }
}

TEST(CachedThread, APlacementIsForOneTaskOnly) {
  const int cpus = allowed_cpu_count();
  if (cpus < 2) GTEST_SKIP() << "one CPU: nothing to place the thread away from";
  int placed = 0, next = 0;
  std::thread::id first, second;
  {
    CachedThread thread([&] {
      first = std::this_thread::get_id();
      placed = allowed_cpu_count();
    }, ThreadStart::off_callers_cpu);
  }
  {
    CachedThread thread([&] {
      second = std::this_thread::get_id();
      next = allowed_cpu_count();
    }, ThreadStart::scheduler);
  }
  ASSERT_EQ(first, second);  // the same kept thread both times
  EXPECT_EQ(placed, cpus - 1);
  EXPECT_EQ(next, cpus);
}

TEST(CachedThread, AMovedFromThreadHasNothingToJoin) {
  std::atomic<int> runs{0};
  CachedThread original([&] { ++runs; }, ThreadStart::scheduler);
  CachedThread moved(std::move(original));
  original.join();
  moved.join();
  EXPECT_EQ(runs.load(), 1);
}

// What a library keeps per thread, freed when the thread ends.
std::atomic<int> g_thread_states_freed{0};
struct ThreadState {
  ~ThreadState() { ++g_thread_states_freed; }
};
thread_local bool g_ran_a_task_here = false;

TEST(CachedThread, ReleasingKeptThreadsEndsThemAndFreesWhatTheyKeptPerThread) {
  {
    CachedThread thread([] {
      thread_local ThreadState state;
      (void)&state;
      g_ran_a_task_here = true;
    }, ThreadStart::scheduler);
  }
  const int freed_before = g_thread_states_freed.load();
  release_kept_threads();
  EXPECT_EQ(g_thread_states_freed.load(), freed_before + 1);
  bool reused = true;
  { CachedThread thread([&] { reused = g_ran_a_task_here; }, ThreadStart::scheduler); }
  EXPECT_FALSE(reused);  // a new thread: the released one is gone
}

}  // namespace
}  // namespace tg
