#pragma once
// How library code reports progress without writing to the terminal itself: long work takes a
// ProgressSink* (nullptr: report nothing) and calls start / advance / finish on it. The CLI passes
// a TerminalProgress (core/progress.hpp: a redrawn bar on a terminal, periodic lines in logs);
// Python passes one that drives tqdm or checks for KeyboardInterrupt; tests pass a recorder.
//
// Contract for implementations: advance() may be called from several worker threads at once (an
// ensemble's trajectories), so it must be thread-safe; start() and finish() come from the thread
// that called the library function. A sink may be started again after finish() (several phases).

#include <string_view>

namespace fieldlab {

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // A new phase of `total` units named `label` ("generate", "train", ...).
  virtual void start(std::string_view label, long long total) = 0;
  // `units` more done; `note` is a short status ("epoch 2/10 loss 0.0312"), empty to keep the last.
  virtual void advance(long long units, std::string_view note) = 0;
  virtual void finish() = 0;
};

// RAII helper for library code: starts a phase on construction, finishes it on destruction (also
// when an exception leaves the function), and does nothing at all for a null sink.
class ProgressPhase {
 public:
  ProgressPhase(ProgressSink* sink, std::string_view label, long long total) : sink_(sink) {
    if (sink_) sink_->start(label, total);
  }
  ~ProgressPhase() { finish(); }
  ProgressPhase(const ProgressPhase&) = delete;
  ProgressPhase& operator=(const ProgressPhase&) = delete;
  void advance(long long units = 1, std::string_view note = {}) {
    if (sink_) sink_->advance(units, note);
  }
  void finish() {
    if (sink_) sink_->finish();
    sink_ = nullptr;
  }

 private:
  ProgressSink* sink_;
};

}  // namespace fieldlab
