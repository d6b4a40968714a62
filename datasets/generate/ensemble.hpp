#pragma once
// Runs independent units of work (trajectories) over OpenMP threads. With at least as many units
// as threads, units run side by side and each runs single-threaded inside; otherwise units run
// one after another and the threads go to the loops inside each unit. Either way every unit's
// result is the same (units draw randomness from derive_seed(seed, index), inner loops are
// reduction-free or use exact max reductions).
//
// Stopping: `stop` is polled before every unit (and the units poll it inside, between frames);
// once it is requested no further unit starts and the outcome is `interrupted`. Nothing here
// installs a signal handler: whoever owns the StopSource decides what requests the stop.

#include <functional>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"

namespace fieldlab::datasets {

enum class EnsembleOutcome { finished, interrupted };

// work(index) returns false when it stopped early because a stop was requested (the unit is then
// left unmarked). Each finished unit advances `progress` by one (nullptr: no progress).
// The first exception thrown by any unit stops the others at their next unit and is rethrown.
EnsembleOutcome run_ensemble(const std::vector<long long>& indices, int threads,
                             const std::function<bool(long long)>& work, ProgressSink* progress,
                             const StopToken& stop = {});

}  // namespace fieldlab::datasets
