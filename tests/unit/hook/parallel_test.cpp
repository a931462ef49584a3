#include "hook/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include <sched.h>

namespace tg {
namespace {

TEST(ParallelFor, RunsEveryItemOnceWithWorkerZeroOnTheCaller) {
  for (const ThreadStart start : {ThreadStart::scheduler, ThreadStart::off_callers_cpu}) {
    constexpr std::size_t k_items = 1000;
    std::vector<std::atomic<int>> runs(k_items);
    std::atomic<bool> worker_zero_elsewhere{false};
    const std::thread::id caller = std::this_thread::get_id();
    parallel_for(k_items, 4, [&](unsigned worker, std::size_t item) {
      ++runs[item];
      if (worker == 0 && std::this_thread::get_id() != caller) worker_zero_elsewhere = true;
    }, start);
    for (std::size_t item = 0; item < k_items; ++item) EXPECT_EQ(runs[item].load(), 1) << item;
    EXPECT_FALSE(worker_zero_elsewhere);
  }
}

// The caller is kept on its CPU only while its workers run (CpuSplit).
TEST(ParallelFor, GivesTheCallerBackItsCpus) {
  cpu_set_t before;
  CPU_ZERO(&before);
  ASSERT_EQ(sched_getaffinity(0, sizeof before, &before), 0);
  parallel_for(100, 2, [](unsigned, std::size_t) { std::this_thread::sleep_for(std::chrono::microseconds(10)); },
               ThreadStart::off_callers_cpu);
  run_side_by_side([] {}, [] {});
  cpu_set_t after;
  CPU_ZERO(&after);
  ASSERT_EQ(sched_getaffinity(0, sizeof after, &after), 0);
  EXPECT_TRUE(CPU_EQUAL(&before, &after));
}

TEST(ParallelFor, WorkShorterThanAloneForStaysOnTheCaller) {
  constexpr std::size_t k_items = 50;
  std::vector<std::atomic<int>> runs(k_items);
  std::atomic<bool> elsewhere{false};
  const std::thread::id caller = std::this_thread::get_id();
  parallel_for(k_items, 4, [&](unsigned worker, std::size_t item) {
    ++runs[item];
    if (worker != 0 || std::this_thread::get_id() != caller) elsewhere = true;
  }, ThreadStart::scheduler, std::chrono::seconds(60));
  for (std::size_t item = 0; item < k_items; ++item) EXPECT_EQ(runs[item].load(), 1) << item;
  EXPECT_FALSE(elsewhere);
}

TEST(ParallelFor, WorkLongerThanAloneForGetsTheOtherWorkers) {
  // Ten items of 5 ms: after the first, the caller has worked past
  // `alone_for` and the others start; it would need 45 ms more alone.
  constexpr std::size_t k_items = 10;
  std::vector<std::atomic<int>> runs(k_items);
  std::atomic<bool> others_worked{false};
  const std::thread::id caller = std::this_thread::get_id();
  parallel_for(k_items, 2, [&](unsigned worker, std::size_t item) {
    ++runs[item];
    if (worker != 0 && std::this_thread::get_id() != caller) others_worked = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }, ThreadStart::scheduler, std::chrono::microseconds(1));
  for (std::size_t item = 0; item < k_items; ++item) EXPECT_EQ(runs[item].load(), 1) << item;
  EXPECT_TRUE(others_worked);
}

TEST(RunSideBySide, RunsBothAndReturnsWhenBothAreDone) {
  const std::thread::id caller = std::this_thread::get_id();
  std::thread::id other_ran_on, here_ran_on;
  std::atomic<bool> other_done{false};
  run_side_by_side(
      [&] {
        other_ran_on = std::this_thread::get_id();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // outlasts `here`
        other_done = true;
      },
      [&] { here_ran_on = std::this_thread::get_id(); });
  EXPECT_TRUE(other_done);  // joined before returning
  EXPECT_EQ(here_ran_on, caller);
  EXPECT_NE(other_ran_on, caller);
}

}  // namespace
}  // namespace tg
