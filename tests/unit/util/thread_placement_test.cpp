#include "util/thread_placement.hpp"

#include <gtest/gtest.h>

#include <latch>
#include <optional>
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

std::vector<int> allowed_cpus() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return {};
  return cpus_of(allowed);
}

std::vector<int> without(std::vector<int> cpus, int cpu) {
  std::erase(cpus, cpu);
  return cpus;
}

// What a split made on a thread allowed `cpus` did.
struct Observed {
  int caller_cpu = -1;
  std::vector<int> caller_during;  // the caller's CPUs while the split lived
  std::vector<int> worker;         // a worker's, placed by the split
  std::vector<int> caller_after;   // the caller's once the split ended
};

// Runs, on a thread of its own allowed only `cpus`, `nesting` splits one
// inside the other, and places a worker with the innermost.
Observed split_on(const std::vector<int>& cpus, int nesting = 1) {
  Observed observed;
  std::thread caller([&] {
    const cpu_set_t allowed = set_of(cpus);
    ASSERT_EQ(sched_setaffinity(0, sizeof allowed, &allowed), 0);
    {
      std::vector<std::optional<CpuSplit>> splits(static_cast<std::size_t>(nesting));
      for (auto& split : splits) split.emplace();
      observed.caller_cpu = sched_getcpu();
      observed.caller_during = allowed_cpus();
      std::latch release(1);
      std::thread worker([&] { release.wait(); });
      splits.back()->place_worker(worker.native_handle());
      cpu_set_t worker_cpus;
      CPU_ZERO(&worker_cpus);
      const int status = pthread_getaffinity_np(worker.native_handle(), sizeof worker_cpus, &worker_cpus);
      release.count_down();
      worker.join();
      ASSERT_EQ(status, 0);
      observed.worker = cpus_of(worker_cpus);
      while (!splits.empty()) splits.pop_back();  // innermost first, as scopes end
    }
    observed.caller_after = allowed_cpus();
  });
  caller.join();
  return observed;
}

TEST(CpuSplit, KeepsTheCallerOnItsCpuAndItsWorkersOnTheOthers) {
  const std::vector<int> all = allowed_cpus();
  if (all.size() < 2) GTEST_SKIP() << "needs two CPUs";
  const Observed observed = split_on(all);
  // Which CPU the caller was on is the scheduler's choice; the split keeps
  // it there and gives the worker every other one.
  EXPECT_EQ(observed.caller_during, std::vector<int>{observed.caller_cpu});
  EXPECT_EQ(observed.worker, without(all, observed.caller_cpu));
  EXPECT_EQ(observed.caller_after, all);
}

TEST(CpuSplit, ASplitInsideAnotherGivesItsWorkersTheSameOtherCpus) {
  const std::vector<int> all = allowed_cpus();
  if (all.size() < 2) GTEST_SKIP() << "needs two CPUs";
  // The inner split finds the caller kept on one CPU already; its workers
  // must not inherit that.
  const Observed observed = split_on(all, 2);
  EXPECT_EQ(observed.caller_during, std::vector<int>{observed.caller_cpu});
  EXPECT_EQ(observed.worker, without(all, observed.caller_cpu));
  EXPECT_EQ(observed.caller_after, all);
}

TEST(CpuSplit, LeavesThreadsAloneWhenTheCallerHasOneCpu) {
  const std::vector<int> all = allowed_cpus();
  ASSERT_FALSE(all.empty());
  const Observed observed = split_on({all[0]});
  EXPECT_EQ(observed.caller_during, std::vector<int>{all[0]});
  EXPECT_EQ(observed.worker, std::vector<int>{all[0]});
  EXPECT_EQ(observed.caller_after, std::vector<int>{all[0]});
}

}  // namespace
}  // namespace tg
