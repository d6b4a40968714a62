#pragma once
// Cooperative cancellation for long library work (generation, training, solves). Library code
// never installs a signal handler and never exits the process: it polls a StopToken between units
// of work and returns with everything finished so far saved. Whoever drives the library decides
// what requests the stop: the CLI's SIGINT/SIGTERM handler (apps/), Python's KeyboardInterrupt
// (checked from a progress callback), a test, or another thread.
//
// request_stop() is one lock-free atomic store, so it is safe to call from a signal handler.
// Each StopSource is its own flag: a second training run in the same process starts from a fresh
// source and is not stopped by the first one's request.

#include <atomic>
#include <memory>

namespace fieldlab {

class StopToken {
 public:
  StopToken() = default;  // a token that never asks to stop
  bool stop_requested() const { return flag_ != nullptr && flag_->load(std::memory_order_relaxed); }
  bool stop_possible() const { return flag_ != nullptr; }

 private:
  friend class StopSource;
  explicit StopToken(std::shared_ptr<const std::atomic<bool>> flag) : flag_(std::move(flag)) {}
  std::shared_ptr<const std::atomic<bool>> flag_;
};

class StopSource {
 public:
  StopSource() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  StopToken token() const { return StopToken(flag_); }
  // Async-signal-safe (a relaxed store on a lock-free atomic).
  void request_stop() const { flag_->store(true, std::memory_order_relaxed); }
  bool stop_requested() const { return flag_->load(std::memory_order_relaxed); }

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "request_stop must be signal-safe");
  std::shared_ptr<std::atomic<bool>> flag_;
};

}  // namespace fieldlab
