#pragma once
// Ensembles of buoyancy-driven smoke trajectories (solvers/incompressible_mac.hpp), set up as
// PDEArena's NavierStokes-2D data: a closed 32 x 32 box of 128 x 128 cells, nu 0.01, buoyancy
// (0, 0.5) (or drawn per trajectory from a range), smoke = |smooth noise|, zero initial velocity,
// 64 steps of dt 1.5 of which the first 8 are dropped and every 4th is kept (14 frames).
// The frame after step s (s = 0, 1, ...) is at time (s + 1) dt, as in PDEArena's generator.
// Trajectory i draws everything random from mt19937_64(derive_seed(seed, i)): first the
// buoyancy (always drawn, so a trajectory's smoke is the same with and without a range), then
// the noise coefficients.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/stop_token.hpp"
#include "datasets/generate/ensemble.hpp"
#include "datasets/generate/generation_identity.hpp"
#include "datasets/pdearena_writer.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/advection.hpp"
#include "solvers/smoke_noise.hpp"

namespace fieldlab::datasets {

struct Smoke2dConfig {
  int resolution = 128;  // cells per side
  double length = 32.0;  // side of the square box
  double viscosity = 0.01;
  double buoyancy_x = 0.0;
  double buoyancy_y = 0.5;
  // When buoyancy_max > buoyancy_min, trajectory i uses buoyancy_y ~ U(min, max) instead.
  double buoyancy_min = 0.0, buoyancy_max = 0.0;
  double dt = 1.5;
  int steps = 64;  // steps simulated
  int skip = 8;    // leading steps not written
  int every = 4;   // keep every this many steps after the skipped ones
  solvers::SmokeNoise noise;
  solvers::AdvectionScheme scheme = solvers::AdvectionScheme::semi_lagrangian;
  long long trajectories = 8;
  unsigned long long seed = 0;
  bool staggered = false;  // also write the raw face components vx_face, vy_face

  void validate() const;
  bool random_buoyancy() const { return buoyancy_max > buoyancy_min; }
  long long frames() const;
  std::vector<double> times() const;        // time of each written frame
  std::vector<std::string> fields() const;  // u (smoke), vx, vy [, vx_face, vy_face]
  std::vector<double> cell_centres() const;
};

// Per-trajectory results besides the frames; per-frame diagnostics of the written frames.
struct Smoke2dTrajectory {
  double buoyancy_y = 0.0;
  std::vector<double> mass, kinetic_energy, max_divergence, cfl;
};

// Receives frame `frame` of field `field` (index into config.fields()): nx * ny values, [x, y].
using FrameSink = std::function<void(long long frame, int field, const double* values)>;

// Simulates trajectory `index`, handing every written frame to `sink`. Returns false (early) if
// `stop` was requested (checked every step). No allocation inside the time loop.
bool simulate_smoke2d(const Smoke2dConfig& config, long long index, const FrameSink& sink,
                      Smoke2dTrajectory& result, const StopToken& stop = {});

// Where and how a smoke ensemble is written: fieldlab's native layout or PDEArena's.
struct Smoke2dOutput {
  FileLayout layout = FileLayout::native;  // native | pdearena
  // Unset: float32 in the native layout, float64 (PDEArena's own) in the PDEArena layout.
  std::optional<io::StorageType> dtype;
  std::string split = "train";  // PDEArena's split group: train | valid | test
  io::StorageType storage_type() const;
};

// The run identity (datasets/generation_identity.hpp) of this configuration and output.
std::string smoke2d_identity(const Smoke2dConfig& config, const Smoke2dOutput& output);

TrajectoryLayout smoke2d_layout(const Smoke2dConfig& config, io::StorageType dtype);
std::vector<io::Attribute> smoke2d_attributes(const Smoke2dConfig& config);
// Native layout: frames, then diagnostics (mass, kinetic_energy, max_divergence, cfl,
// buoyancy_y), then the completion mark.
bool solve_smoke2d_trajectory(const Smoke2dConfig& config, long long index,
                              TrajectoryWriter& writer, const StopToken& stop = {});

// PDEArena layout (split group, cell-centre coordinates, float64 unless output.dtype says
// otherwise): frames, then the trajectory's buoyancy, then the completion mark.
PdeArenaLayout smoke2d_pdearena_layout(const Smoke2dConfig& config, const Smoke2dOutput& output);
bool solve_smoke2d_pdearena(const Smoke2dConfig& config, long long index, PdeArenaWriter& writer,
                            const StopToken& stop = {});

}  // namespace fieldlab::datasets
