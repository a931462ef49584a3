#include "util/thread_placement.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <thread>
#include <vector>

#include <pthread.h>
#include <sched.h>

namespace tg {
namespace {

std::vector<int> cpus_of(const cpu_set_t& set) {
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

cpu_set_t set_of(const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  return set;
}

// Runs `body` on a thread of its own allowed only `cpus`, as the caller of
// move_off_callers_cpu, and returns the CPUs the thread it created may use.
std::vector<int> placement_from(const std::vector<int>& cpus) {
  std::vector<int> placed;
  std::thread caller([&] {
    const cpu_set_t allowed = set_of(cpus);
    ASSERT_EQ(sched_setaffinity(0, sizeof allowed, &allowed), 0);
    std::latch release(1);
    std::thread worker([&] { release.wait(); });
    move_off_callers_cpu(worker.native_handle());
    cpu_set_t worker_cpus;
    CPU_ZERO(&worker_cpus);
    const int status = pthread_getaffinity_np(worker.native_handle(), sizeof worker_cpus, &worker_cpus);
    release.count_down();
    worker.join();
    ASSERT_EQ(status, 0);
    placed = cpus_of(worker_cpus);
  });
  caller.join();
  return placed;
}

std::vector<int> allowed_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return {};
  return cpus_of(allowed);
}

TEST(ThreadPlacement, KeepsANewThreadOffTheCallersCpu) {
  const std::vector<int> all = allowed_cpus();
  if (all.size() < 2) GTEST_SKIP() << "needs two CPUs";
  const std::vector<int> two = {all[0], all[1]};
  const std::vector<int> placed = placement_from(two);
  // The caller ran on one of the two (which one is the scheduler's choice):
  // the new thread gets exactly the other.
  ASSERT_EQ(placed.size(), 1u);
  EXPECT_TRUE(placed[0] == two[0] || placed[0] == two[1]);
}

TEST(ThreadPlacement, LeavesTheThreadAloneWhenTheCallerHasOneCpu) {
  const std::vector<int> all = allowed_cpus();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(placement_from({all[0]}), std::vector<int>{all[0]});
}

}  // namespace
}  // namespace tg
