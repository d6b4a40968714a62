#include "apps/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "core/error.hpp"

namespace fieldlab::apps {
namespace {

// The source of the open scope. Read by the signal handler, hence a lock-free atomic pointer.
std::atomic<const StopSource*> active_source{nullptr};
static_assert(std::atomic<const StopSource*>::is_always_lock_free);

struct sigaction previous_int, previous_term;

extern "C" void on_stop_signal(int signal) {
  const StopSource* source = active_source.load();
  if (source == nullptr || source->stop_requested()) {
    // Second signal (or none expected): terminate now, as the default action would.
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  source->request_stop();
}

}  // namespace

InterruptScope::InterruptScope() {
  const StopSource* expected = nullptr;
  if (!active_source.compare_exchange_strong(expected, &source_))
    fail(ErrorKind::internal, "an InterruptScope is already open");
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // as std::signal on glibc: interrupted system calls resume
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
}

InterruptScope::~InterruptScope() {
  sigaction(SIGINT, &previous_int, nullptr);
  sigaction(SIGTERM, &previous_term, nullptr);
  active_source.store(nullptr);
}

}  // namespace fieldlab::apps
