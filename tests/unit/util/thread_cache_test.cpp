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

TEST(CachedThread, WhileKeepingTheNextTaskReusesAThreadWhoseTaskIsDone) {
  const ThreadKeeping keeping;
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
  const ThreadKeeping keeping;
  // A new thread is placed once it runs its task; a kept one, before.
  std::thread::id kept, first, second;
  { CachedThread thread([&] { kept = std::this_thread::get_id(); }, ThreadStart::scheduler); }
  int placed = 0, next = 0;
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
  ASSERT_EQ(first, kept);  // the same kept thread every time
  ASSERT_EQ(second, kept);
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

// Runs a task that leaves per-thread state behind; returns whether the task
// ran on a thread that had run one of these before.
bool run_a_task_keeping_state() {
  bool reused = false;
  CachedThread thread([&] {
    thread_local ThreadState state;
    (void)&state;
    reused = g_ran_a_task_here;
    g_ran_a_task_here = true;
  }, ThreadStart::scheduler);
  thread.join();
  return reused;
}

TEST(CachedThread, ReleasingKeptThreadsEndsThemAndFreesWhatTheyKeptPerThread) {
  const ThreadKeeping keeping;
  run_a_task_keeping_state();
  const int freed_before = g_thread_states_freed.load();
  release_kept_threads();
  EXPECT_EQ(g_thread_states_freed.load(), freed_before + 1);
  EXPECT_FALSE(run_a_task_keeping_state());  // a new thread: the released one is gone
}

TEST(CachedThread, WithoutKeepingAThreadEndsWithItsTask) {
  const int freed_before = g_thread_states_freed.load();
  EXPECT_FALSE(run_a_task_keeping_state());
  EXPECT_EQ(g_thread_states_freed.load(), freed_before + 1);  // joined, so ended
  EXPECT_FALSE(run_a_task_keeping_state());
}

TEST(CachedThread, TheLastKeepingToEndEndsTheKeptThreads) {
  const int freed_before = g_thread_states_freed.load();
  {
    const ThreadKeeping outer;
    {
      const ThreadKeeping inner;
      run_a_task_keeping_state();
    }
    EXPECT_EQ(g_thread_states_freed.load(), freed_before);  // still kept: `outer` lives
    EXPECT_TRUE(run_a_task_keeping_state());
  }
  EXPECT_EQ(g_thread_states_freed.load(), freed_before + 1);
  EXPECT_FALSE(run_a_task_keeping_state());
}

}  // namespace
}  // namespace tg
