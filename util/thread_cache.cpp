#include "util/thread_cache.hpp"

#include "util/thread_placement.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace tg {
namespace thread_cache_detail {

// One kept thread. `state` moves idle -> given (by the owner) -> done (by
// the thread) -> idle (by the owner, once it has seen done); stop ends the
// thread.
struct Slot {
  enum State : int { idle, given, done, stop };
  std::atomic<int> state{idle};
  std::function<void()> task;
  std::jthread thread;

  void serve() {
    for (;;) {
      int seen = state.load(std::memory_order_acquire);
      while (seen != given && seen != stop) {
        state.wait(seen, std::memory_order_acquire);
        seen = state.load(std::memory_order_acquire);
      }
      if (seen == stop) return;
      task();
      task = nullptr;
      state.store(done, std::memory_order_release);
      state.notify_all();
    }
  }

  // Only for a thread with no task: it returns from serve().
  void finish() {
    state.store(Slot::stop, std::memory_order_release);
    state.notify_all();
  }
};

namespace {

// Every kept thread, created on demand; stopped and joined at exit. A task
// is always joined before its owner returns, so at exit every thread waits.
class Cache {
 public:
  static Cache& instance() {
    static Cache cache;
    return cache;
  }

  // An idle thread, and whether it ran a task before.
  std::pair<Slot*, bool> take() {
    std::lock_guard lock(m_mutex);
    if (!m_idle.empty()) {
      Slot* slot = m_idle.back();
      m_idle.pop_back();
      return {slot, true};
    }
    auto slot = std::make_unique<Slot>();
    slot->thread = std::jthread([raw = slot.get()] { raw->serve(); });
    m_slots.push_back(std::move(slot));
    return {m_slots.back().get(), false};
  }

  void give_back(Slot* slot) {
    std::lock_guard lock(m_mutex);
    m_idle.push_back(slot);
  }

  void release_idle() {
    std::vector<std::unique_ptr<Slot>> released;
    {
      std::lock_guard lock(m_mutex);
      for (Slot* idle : m_idle) {
        auto owned = std::find_if(m_slots.begin(), m_slots.end(),
                                  [idle](const std::unique_ptr<Slot>& slot) { return slot.get() == idle; });
        released.push_back(std::move(*owned));
        m_slots.erase(owned);
      }
      m_idle.clear();
    }
    for (const std::unique_ptr<Slot>& slot : released) slot->finish();
    // The jthreads join as `released` goes.
  }

  ~Cache() {
    for (const std::unique_ptr<Slot>& slot : m_slots) slot->finish();
    // The jthreads join as m_slots goes.
  }

 private:
  std::mutex m_mutex;
  std::vector<std::unique_ptr<Slot>> m_slots;
  std::vector<Slot*> m_idle;
};

// A kept thread may carry the placement of its last task: it starts each
// task free to run on every CPU the process may use.
void allow_every_cpu([[maybe_unused]] std::thread::native_handle_type thread) {
#if defined(__linux__)
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  (void)pthread_setaffinity_np(thread, sizeof allowed, &allowed);
#endif
}

}  // namespace
}  // namespace thread_cache_detail

using thread_cache_detail::Cache;
using thread_cache_detail::Slot;
using thread_cache_detail::allow_every_cpu;

CachedThread::CachedThread(std::function<void()> task, ThreadStart start) {
  auto [slot, used] = Cache::instance().take();
  m_slot = slot;
  m_slot->task = std::move(task);
  if (start == ThreadStart::off_callers_cpu) {
    move_off_callers_cpu(m_slot->thread.native_handle());
  } else if (used) {
    allow_every_cpu(m_slot->thread.native_handle());
  }
  m_slot->state.store(Slot::given, std::memory_order_release);
  m_slot->state.notify_all();
}

CachedThread::CachedThread(CachedThread&& other) noexcept : m_slot(other.m_slot) { other.m_slot = nullptr; }

CachedThread::~CachedThread() { join(); }

void CachedThread::join() {
  if (m_slot == nullptr) return;
  int seen = m_slot->state.load(std::memory_order_acquire);
  while (seen != Slot::done) {
    m_slot->state.wait(seen, std::memory_order_acquire);
    seen = m_slot->state.load(std::memory_order_acquire);
  }
  m_slot->state.store(Slot::idle, std::memory_order_relaxed);
  Cache::instance().give_back(m_slot);
  m_slot = nullptr;
}

void release_kept_threads() { Cache::instance().release_idle(); }

}  // namespace tg
