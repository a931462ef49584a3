// Keeps a parallel step's threads on different CPUs: the calling thread on
// the CPU it is on, the threads it starts on its other CPUs.
//
// Why: a new thread is queued on a CPU the scheduler picks, and a scheduler
// that packs work onto few CPUs (as the kernels of some virtual machines do)
// queues it behind its creator, which keeps running. Measured on a 2-CPU
// virtual machine: a thread created while its creator computes started
// 2.3 ms later at the median and more than 3 ms later one time in ten;
// allowed only the other CPU, it started after 0.2 ms. A parallel pass that
// lasts 10 ms loses most of its second core to that wait. The creator must
// stay put as well: the same scheduler then moved it, one run in six, onto
// the CPU its worker had been given, and the two shared that CPU while the
// other idled (a pushed pack's hook, 14 -> 22 ms).
#pragma once

#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace tg {

// While it lives, the thread that made it stays on the CPU it was on, and
// place_worker() lets a thread it started run on every CPU it could run on
// itself except that one. When it ends, the caller may run where it could
// before. Made before the workers are started, destroyed after they are
// joined; one made while another lives on the same thread splits the CPUs
// the outer one found. A thread the caller starts meanwhile and does not
// place inherits the caller's one CPU. Does nothing where the system cannot
// say which CPU the caller is on, or allows it only one.
//
// On a busy many-core machine the caller cannot leave its CPU while the
// split lives; its workers take the items it does not get to.
class CpuSplit {
 public:
  CpuSplit();
  ~CpuSplit();
  CpuSplit(const CpuSplit&) = delete;
  CpuSplit& operator=(const CpuSplit&) = delete;

  // The workers keep that set for their lives: meant for the threads of one
  // parallel step. A failure leaves a thread where the scheduler put it:
  // slower, not wrong.
  void place_worker(std::thread::native_handle_type thread) const;

 private:
#if defined(__linux__)
  cpu_set_t m_allowed_before;  // the caller's, restored at the end
  cpu_set_t m_for_workers;     // the CPUs found, without the caller's
#endif
  bool m_kept = false;
  bool m_split = false;
  const CpuSplit* m_outer = nullptr;
};

}  // namespace tg
