#include "util/thread_placement.hpp"

#if defined(__linux__)
#include <pthread.h>
#endif

namespace tg {

namespace {
// The CpuSplit that lives on this thread, if any: a nested one finds the
// caller allowed only its own CPU.
thread_local const CpuSplit* t_innermost_split = nullptr;
}  // namespace

CpuSplit::CpuSplit() : m_outer(t_innermost_split) {
  t_innermost_split = this;
#if defined(__linux__)
  CPU_ZERO(&m_allowed_before);
  CPU_ZERO(&m_for_workers);
  const int cpu = sched_getcpu();
  if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof m_allowed_before, &m_allowed_before) != 0) return;
  // Inside another split the caller is on that split's CPU already.
  m_for_workers = m_outer != nullptr && m_outer->m_split ? m_outer->m_for_workers : m_allowed_before;
  CPU_CLR(cpu, &m_for_workers);
  m_split = CPU_COUNT(&m_for_workers) > 0;
  if (!m_split) return;
  cpu_set_t only;
  CPU_ZERO(&only);
  CPU_SET(cpu, &only);
  m_kept = sched_setaffinity(0, sizeof only, &only) == 0;
#endif
}

CpuSplit::~CpuSplit() {
#if defined(__linux__)
  if (m_kept) (void)sched_setaffinity(0, sizeof m_allowed_before, &m_allowed_before);
#endif
  t_innermost_split = m_outer;
}

void CpuSplit::place_worker([[maybe_unused]] std::thread::native_handle_type thread) const {
#if defined(__linux__)
  if (m_split) (void)pthread_setaffinity_np(thread, sizeof m_for_workers, &m_for_workers);
#endif
}

}  // namespace tg
