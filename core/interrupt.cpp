#include "core/interrupt.hpp"

#include <atomic>
#include <csignal>

namespace fieldlab {
namespace {
std::atomic<bool> requested{false};

extern "C" void on_interrupt(int signal) {
  if (requested.exchange(true)) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
}
}  // namespace

void install_interrupt_handler() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

bool interrupt_requested() { return requested.load(std::memory_order_relaxed); }

void clear_interrupt() { requested.store(false); }

}  // namespace fieldlab
