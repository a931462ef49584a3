#include "util/thread_placement.hpp"

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace tg {

void move_off_callers_cpu([[maybe_unused]] std::thread::native_handle_type thread) {
#if defined(__linux__)
  const int cpu = sched_getcpu();
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  CPU_CLR(cpu, &allowed);
  if (CPU_COUNT(&allowed) == 0) return;
  // A failure leaves the thread where the scheduler put it: slower, not wrong.
  (void)pthread_setaffinity_np(thread, sizeof allowed, &allowed);
#endif
}

}  // namespace tg
