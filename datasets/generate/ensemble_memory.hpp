#pragma once
// What each generator needs in memory, checked before its output file is created
// (core/resource_guard.hpp): run_ensemble runs up to `threads` units side by side, each holding a
// solver (its grid fields), the grids it converts frames on, and its diagnostics (frames values
// each); the file's time axis is one more frames-long vector. A refusal is one usage line with
// the estimate, e.g. "ns2d ensemble at resolution 65536 (2 trajectories side by side) needs ...".

#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "datasets/generate/ns2d_ensemble.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "datasets/generate/swe2d_ensemble.hpp"

namespace fieldlab::datasets {

// Units held in memory at once by run_ensemble(units, threads): threads of them when there are at
// least as many units as threads, else one (the threads then go to its inner loops).
long long concurrent_units(long long units, int threads);

// Each throws a usage error (see above) when the ensemble would not fit; threads as --threads.
void check_ns2d_memory(const Ns2dEnsembleConfig& config, int threads);
void check_smoke2d_memory(const Smoke2dConfig& config, int threads);
void check_swe2d_memory(const Swe2dConfig& config, int threads);
void check_dambreak2d_memory(const DamBreak2dConfig& config, int threads);

}  // namespace fieldlab::datasets
