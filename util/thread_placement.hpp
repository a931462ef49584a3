// Starts a worker thread on a CPU other than its creator's.
//
// Why: a new thread is queued on a CPU the scheduler picks, and a scheduler
// that packs work onto few CPUs (as the kernels of some virtual machines do)
// queues it behind its creator, which keeps running. Measured on a 2-CPU
// virtual machine: a thread created while its creator computes started
// 2.3 ms later at the median and more than 3 ms later one time in ten;
// allowed only the other CPU, it started after 0.2 ms. A parallel pass that
// lasts 10 ms loses most of its second core to that wait.
#pragma once

#include <thread>

namespace tg {

// Lets `thread`, just created by the calling thread, run on every CPU the
// caller may run on except the one the caller is on now. Does nothing where
// that leaves no CPU or the system cannot say. The thread keeps that set for
// its life: meant for the threads of one parallel pass.
void move_off_callers_cpu(std::thread::native_handle_type thread);

}  // namespace tg
