#pragma once
// Progress of an advance_to(t_end) call as the fraction of the interval covered: a ProgressPhase
// "advance" of kUnits units, advanced as the solver's time moves from t_start to t_end. A null
// sink costs one branch per step.

#include <algorithm>
#include <cmath>

#include "core/progress_sink.hpp"

namespace fieldlab::solvers {

class IntervalProgress {
 public:
  static constexpr long long kUnits = 1000;
  IntervalProgress(ProgressSink* sink, double t_start, double t_end)
      : phase_(sink, "advance", kUnits),
        active_(sink != nullptr),
        t_start_(t_start),
        t_end_(t_end) {}
  // The solver reached time t.
  void at(double t) {
    if (!active_) return;
    const double span = t_end_ - t_start_;
    const long long units =
        span > 0 ? std::clamp(static_cast<long long>(std::floor(kUnits * (t - t_start_) / span)),
                              0LL, kUnits)
                 : kUnits;
    if (units > done_) {
      phase_.advance(units - done_);
      done_ = units;
    }
  }

 private:
  ProgressPhase phase_;
  bool active_;
  double t_start_, t_end_;
  long long done_ = 0;
};

}  // namespace fieldlab::solvers
