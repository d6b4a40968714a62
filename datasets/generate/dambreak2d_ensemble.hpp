#pragma once
// PDEBench's 2D radial dam break as an ensemble: sample i starts from still water of depth h_in
// inside a circle of radius R_i ~ U(radius_min, radius_max) (drawn with derive_seed(seed, i)),
// h_out outside, and is solved by the finite-volume solver (solvers/swe_fv.hpp) with frames at
// t = 0, T / (frames - 1), ..., T. Written either in fieldlab's native layout (TrajectoryWriter)
// or in PDEBench's per-sample layout (PdeBenchWriter).

#include <functional>
#include <string>
#include <vector>

#include "core/stop_token.hpp"
#include "datasets/generate/generation_identity.hpp"
#include "datasets/generate/sample_writing.hpp"
#include "datasets/pdebench_writer.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/swe_fv_config.hpp"

namespace fieldlab::datasets {

struct DamBreak2dConfig {
  DamBreak2dConfig() {
    solver.cfl = 0.9;
    solver.stepper = solvers::SspStepper::hancock;
  }
  // Defaults: PDEBench's 128^2 cells on [-2.5, 2.5]^2, g = 1. CFL 0.9 rather than the solver's
  // 0.5: the bound 1/2 only guards positivity next to dry cells, and this generator requires a
  // wet bed (h_out > 0); at 0.9 the 0.01 frame spacing sets the step (one step per frame).
  // MUSCL-Hancock rather than SSP-RK2: one flux evaluation per face and step instead of two
  // (1.4x less work per sample), a smaller Stoker error, and 2.6x closer to PyClaw's solution.
  solvers::FvSweConfig solver;
  double h_in = 2.0;
  double h_out = 1.0;
  double radius_min = 0.3;
  double radius_max = 0.7;
  double t_end = 1.0;
  long long frames = 101;
  long long samples = 16;
  unsigned long long seed = 0;
  std::vector<std::string> fields = {"h"};  // any of h, u, v, hu, hv

  void validate() const;
  double radius(long long index) const;  // the dam radius of sample `index`
  std::vector<double> times() const;
};

// Per-frame diagnostics written to native files.
const std::vector<std::string>& dambreak2d_diagnostics();

TrajectoryLayout dambreak2d_layout(const DamBreak2dConfig& config, io::StorageType dtype);
PdeBenchLayout dambreak2d_pdebench_layout(const DamBreak2dConfig& config, io::StorageType dtype);
std::vector<io::Attribute> dambreak2d_attributes(const DamBreak2dConfig& config);
// The run identity (datasets/generation_identity.hpp) of this configuration written in `layout`
// (native or pdebench) as `dtype`.
std::string dambreak2d_identity(const DamBreak2dConfig& config, FileLayout layout,
                                io::StorageType dtype);
// The configuration of one sample as YAML (PDEBench keeps it as each group's "config").
std::string dambreak2d_sample_config(const DamBreak2dConfig& config, long long index);

// Solves sample `index`, handing every frame to `sink`; diagnostics (one vector per name of
// dambreak2d_diagnostics(), each `frames` long) are filled when given. Returns false if an
// `stop` was requested part way (checked between frames).
bool solve_dambreak2d_sample(const DamBreak2dConfig& config, long long index, const FrameSink& sink,
                             std::vector<std::vector<double>>* diagnostics = nullptr,
                             const StopToken& stop = {});

// The same, streamed into a native file (frames, diagnostics, completion mark) ...
bool solve_dambreak2d_trajectory(const DamBreak2dConfig& config, long long index,
                                 TrajectoryWriter& writer, const StopToken& stop = {});
// ... or into a PDEBench-layout file.
bool solve_dambreak2d_pdebench(const DamBreak2dConfig& config, long long index,
                               PdeBenchWriter& writer, const StopToken& stop = {});

}  // namespace fieldlab::datasets
