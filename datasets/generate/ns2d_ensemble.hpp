#pragma once
// Ensembles of periodic Navier-Stokes trajectories (solvers/ns2d.hpp) streamed into a native
// trajectory file: trajectory i starts from the random field drawn with derive_seed(seed, i).

#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "datasets/generate/ensemble.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/ns2d_config.hpp"

namespace fieldlab::datasets {

struct Ns2dEnsembleConfig {
  solvers::Ns2dConfig solver;  // solver.resolution is the resolution the PDE is solved at
  int output_resolution = 0;   // 0: same as the solve; else a divisor of it (strided subsampling)
  long long trajectories = 8;
  long long frames = 20;  // frames at t = 0, dt_out, ..., (frames - 1) dt_out
  double dt_out = 1.0;
  unsigned long long seed = 0;
  std::vector<std::string> fields = {"vorticity"};  // any of vorticity, u, v, streamfunction

  void validate() const;
  int effective_output_resolution() const;
};

TrajectoryLayout ns2d_layout(const Ns2dEnsembleConfig& config, io::StorageType dtype);
// Attributes that describe the PDE, scheme, grid and generator (docs/schema.md).
std::vector<io::Attribute> ns2d_attributes(const Ns2dEnsembleConfig& config);

// The run identity (datasets/generation_identity.hpp) of this configuration written as `dtype`.
std::string ns2d_identity(const Ns2dEnsembleConfig& config, io::StorageType dtype);

// Solves trajectory `index` and streams its frames and diagnostics to the writer; returns false
// (leaving the trajectory unmarked) if `stop` was requested part way (checked between frames).
bool solve_ns2d_trajectory(const Ns2dEnsembleConfig& config, long long index,
                           TrajectoryWriter& writer, const StopToken& stop = {});

// Solves every pending trajectory of the writer.
EnsembleOutcome generate_ns2d(const Ns2dEnsembleConfig& config, TrajectoryWriter& writer,
                              int threads, ProgressSink* progress, const StopToken& stop = {});

}  // namespace fieldlab::datasets
