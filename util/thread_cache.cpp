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

// One thread. `state` moves idle -> given (by the owner) -> done (by the
// thread) -> idle (by the owner, once it has seen done); stop ends the
// thread. `keep`, set with each task, says whether the thread waits for
// another task once this one is done or ends.
struct Slot {
  enum State : int { idle, given, done, stop };
  std::atomic<int> state{idle};
  std::function<void()> task;
  bool keep = false;
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
      const bool wait_for_next = keep;  // read before done: then the owner may give again
      state.store(done, std::memory_order_release);
      state.notify_all();
      if (!wait_for_next) return;
    }
  }

  // Only for a thread with no task: it returns from serve().
  void finish() {
    state.store(Slot::stop, std::memory_order_release);
    state.notify_all();
  }
};

namespace {

// Every thread with a task or kept for one, created on demand; a kept one is
// stopped and joined when keeping ends or at exit. A task is always joined
// before its owner returns, so at exit every remaining thread waits.
class Cache {
 public:
  static Cache& instance() {
    static Cache cache;
    return cache;
  }

  // An idle kept thread (the caller gives it `task`), else a new thread
  // already running `task`; and whether it is a kept one.
  std::pair<Slot*, bool> take(std::function<void()>& task, bool keep) {
    std::lock_guard lock(m_mutex);
    if (!m_idle.empty()) {
      Slot* slot = m_idle.back();
      m_idle.pop_back();
      return {slot, true};
    }
    auto slot = std::make_unique<Slot>();
    slot->task = std::move(task);
    slot->keep = keep;
    slot->state.store(Slot::given, std::memory_order_relaxed);  // the thread's start publishes it
    slot->thread = std::jthread([raw = slot.get()] { raw->serve(); });
    m_slots.push_back(std::move(slot));
    return {m_slots.back().get(), false};
  }

  bool keeping() const { return m_keepers.load(std::memory_order_relaxed) > 0; }
  void start_keeping() { ++m_keepers; }
  void stop_keeping() {
    if (--m_keepers == 0) release_idle();
  }

  // A slot whose thread has returned from serve(): joined and forgotten.
  void end(Slot* ended) {
    std::unique_ptr<Slot> owned;
    {
      std::lock_guard lock(m_mutex);
      auto found = std::find_if(m_slots.begin(), m_slots.end(),
                                [ended](const std::unique_ptr<Slot>& slot) { return slot.get() == ended; });
      owned = std::move(*found);
      m_slots.erase(found);
    }
    // The jthread joins as `owned` goes.
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
  std::atomic<int> m_keepers{0};
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
  Cache& cache = Cache::instance();
  const bool keep = cache.keeping();
  auto [slot, kept] = cache.take(task, keep);
  m_slot = slot;
  if (start == ThreadStart::off_callers_cpu) {
    move_off_callers_cpu(m_slot->thread.native_handle());
  } else if (kept) {
    allow_every_cpu(m_slot->thread.native_handle());
  }
  if (kept) {
    m_slot->task = std::move(task);
    m_slot->keep = keep;
    m_slot->state.store(Slot::given, std::memory_order_release);
    m_slot->state.notify_all();
  }
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
  if (m_slot->keep) {
    m_slot->state.store(Slot::idle, std::memory_order_relaxed);
    Cache::instance().give_back(m_slot);
  } else {
    Cache::instance().end(m_slot);
  }
  m_slot = nullptr;
}

ThreadKeeping::ThreadKeeping() { Cache::instance().start_keeping(); }

ThreadKeeping::~ThreadKeeping() { Cache::instance().stop_keeping(); }

void release_kept_threads() { Cache::instance().release_idle(); }

}  // namespace tg
