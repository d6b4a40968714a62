#include "datasets/generate/smoke2d_ensemble.hpp"

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "solvers/incompressible_mac.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

using solvers::Field;

void Smoke2dConfig::validate() const {
  require(resolution >= 8 && resolution <= 8192, "--resolution must be in [8, 8192] (got {})",
          resolution);
  require(std::isfinite(length) && length > 0, "--length must be positive (got {})", length);
  require(std::isfinite(viscosity) && viscosity >= 0, "--viscosity must be >= 0 (got {})",
          viscosity);
  require(std::isfinite(buoyancy_x) && std::isfinite(buoyancy_y), "--buoyancy must be finite");
  require(
      std::isfinite(buoyancy_min) && std::isfinite(buoyancy_max) && buoyancy_max >= buoyancy_min,
      "--buoyancy-range must be MIN,MAX with MIN <= MAX (got {},{})", buoyancy_min, buoyancy_max);
  require(std::isfinite(dt) && dt > 0, "--dt must be positive (got {})", dt);
  require(steps > 0, "--steps must be positive (got {})", steps);
  require(skip >= 0 && skip < steps, "--skip must be in [0, steps) (got {} with {} steps)", skip,
          steps);
  require(every > 0, "--every must be positive (got {})", every);
  require(trajectories > 0, "--trajectories must be positive (got {})", trajectories);
  noise.validate();
}

long long Smoke2dConfig::frames() const { return (steps - skip + every - 1) / every; }

std::vector<double> Smoke2dConfig::times() const {
  std::vector<double> t;
  for (long long k = 0; k < frames(); ++k) t.push_back((skip + k * every + 1) * dt);
  return t;
}

std::vector<std::string> Smoke2dConfig::fields() const {
  std::vector<std::string> f = {"u", "vx", "vy"};
  if (staggered) {
    f.push_back("vx_face");
    f.push_back("vy_face");
  }
  return f;
}

std::vector<double> Smoke2dConfig::cell_centres() const {
  std::vector<double> x(resolution);
  for (int i = 0; i < resolution; ++i) x[i] = (i + 0.5) * length / resolution;
  return x;
}

bool simulate_smoke2d(const Smoke2dConfig& config, long long index, const FrameSink& sink,
                      Smoke2dTrajectory& result, const StopToken& stop) {
  config.validate();
  std::mt19937_64 rng(derive_seed(config.seed, static_cast<unsigned long long>(index)));
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double draw = uniform(rng);
  result.buoyancy_y = config.random_buoyancy()
                          ? config.buoyancy_min + draw * (config.buoyancy_max - config.buoyancy_min)
                          : config.buoyancy_y;

  solvers::IncompressibleConfig flow;
  flow.nx = flow.ny = config.resolution;
  flow.lx = flow.ly = config.length;
  flow.viscosity = config.viscosity;
  flow.scheme = config.scheme;
  flow.scalar = true;
  flow.buoyancy_x = config.buoyancy_x;
  flow.buoyancy_y = result.buoyancy_y;
  solvers::IncompressibleMacSolver solver(flow);
  const solvers::MacGrid& g = solver.grid();
  solvers::smooth_noise(g, config.noise, rng, solver.scalar());
  solver.scalar() = solver.scalar().abs();

  const long long frames = config.frames();
  result.mass.assign(frames, 0.0);
  result.kinetic_energy.assign(frames, 0.0);
  result.max_divergence.assign(frames, 0.0);
  result.cfl.assign(frames, 0.0);
  Field uc = g.cells(), vc = g.cells(), face = g.cells();
  const int n = config.resolution;
  long long frame = 0;
  for (int s = 0; s < config.steps; ++s) {
    if (stop.stop_requested()) return false;
    solver.step(config.dt);
    if (s < config.skip || (s - config.skip) % config.every != 0) continue;
    solvers::velocity_at_centres(g, solver.u(), solver.v(), uc, vc);
    sink(frame, 0, solver.scalar().data());
    sink(frame, 1, uc.data());
    sink(frame, 2, vc.data());
    if (config.staggered) {
      // Left / bottom face of each cell; the omitted right / top walls always hold zero.
      face = solver.u().topRows(n);
      sink(frame, 3, face.data());
      face = solver.v().leftCols(n);
      sink(frame, 4, face.data());
    }
    // Sums in a fixed serial order: diagnostics do not depend on the thread count.
    result.mass[frame] = solver.scalar().sum() * g.cell_area();
    result.kinetic_energy[frame] =
        0.5 * (solver.u().square().sum() + solver.v().square().sum()) * g.cell_area();
    result.max_divergence[frame] = solvers::max_abs_divergence(g, solver.u(), solver.v());
    result.cfl[frame] = solvers::max_cfl_rate(g, solver.u(), solver.v()) * config.dt;
    ++frame;
  }
  return true;
}

TrajectoryLayout smoke2d_layout(const Smoke2dConfig& config, StorageType dtype) {
  TrajectoryLayout layout;
  layout.fields = config.fields();
  layout.diagnostics = {"mass", "kinetic_energy", "max_divergence", "cfl", "buoyancy_y"};
  layout.trajectories = config.trajectories;
  layout.frames = config.frames();
  layout.nx = layout.ny = config.resolution;
  layout.dtype = dtype;
  layout.x = layout.y = config.cell_centres();
  layout.t = config.times();
  return layout;
}

std::vector<Attribute> smoke2d_attributes(const Smoke2dConfig& c) {
  std::vector<Attribute> a = {
      {"pde",
       "smoke2d: incompressible Navier-Stokes in a closed box with buoyant passive smoke "
       "(PDEArena NavierStokes-2D setup)"},
      {"equation", "du/dt + (u.grad)u = -grad p + nu lap u + b s, div u = 0, ds/dt + u.grad s = 0"},
      {"scheme",
       fmt::format("MAC grid; {} advection (midpoint departure points, bilinear); explicit "
                   "diffusion; Chorin projection with a DCT Neumann Poisson solve",
                   solvers::to_string(c.scheme))},
      {"boundary", "no-slip walls (velocity), zero-gradient smoke"},
      {"domain", std::vector<double>{0.0, c.length, 0.0, c.length}},
      {"resolution", static_cast<long long>(c.resolution)},
      {"grid_points", "cell centres x_i = (i + 1/2) L / n"},
      {"field_location",
       "u (smoke), vx, vy at cell centres (velocity = mean of the two faces); vx_face / vy_face "
       "(if present) are the left / bottom face values of each cell"},
      {"viscosity", c.viscosity},
      {"buoyancy", std::vector<double>{c.buoyancy_x, c.buoyancy_y}},
      {"buoyancy_y_range", std::vector<double>{c.buoyancy_min, c.buoyancy_max}},
      {"buoyancy_mode",
       c.random_buoyancy()
           ? "per trajectory U(min, max): diagnostics/buoyancy_y (native), buo_y (pdearena)"
           : "fixed"},
      {"dt", c.dt},
      {"steps", static_cast<long long>(c.steps)},
      {"skip", static_cast<long long>(c.skip)},
      {"every", static_cast<long long>(c.every)},
      {"frame_times", "frame k after step skip + k * every, at t = (skip + k * every + 1) dt"},
      {"initial_condition",
       fmt::format("smoke = |noise|, PhiFlow-style Noise(scale={}, smoothness={}); velocity 0",
                   c.noise.scale, c.noise.smoothness)},
      {"seed", static_cast<long long>(c.seed)},
      {"seed_derivation", "trajectory i uses mt19937_64(splitmix64(seed, i))"},
  };
  return a;
}

StorageType Smoke2dOutput::storage_type() const {
  if (dtype) return *dtype;
  return layout == FileLayout::pdearena ? StorageType::float64 : StorageType::float32;
}

std::string smoke2d_identity(const Smoke2dConfig& config, const Smoke2dOutput& output) {
  IdentityText id;
  // The requested storage type; unset is written "float32" in both layouts, as every earlier
  // version did (the CLI's --dtype default), so files and unfinished runs they made keep their
  // identity. Note that in the PDEArena layout unset means float64 data.
  id.add("dtype", to_string(output.dtype.value_or(StorageType::float32)))
      .add("trajectories", config.trajectories)
      .add("resolution", config.resolution)
      .add("length", config.length)
      .add("viscosity", config.viscosity)
      .add("buoyancy", config.buoyancy_y)
      .add("buoyancy-x", config.buoyancy_x)
      .add("buoyancy-range", config.random_buoyancy()
                                 ? fmt::format("{},{}", config.buoyancy_min, config.buoyancy_max)
                                 : std::string())
      .add("dt", config.dt)
      .add("steps", config.steps)
      .add("skip", config.skip)
      .add("every", config.every)
      .add("noise-scale", config.noise.scale)
      .add("noise-smoothness", config.noise.smoothness)
      .add("advection", solvers::to_string(config.scheme))
      .add("seed", config.seed)
      .add("staggered", config.staggered)
      .add("layout", to_string(output.layout))
      .add("split", output.split);
  return id.str();
}

bool solve_smoke2d_trajectory(const Smoke2dConfig& config, long long index,
                              TrajectoryWriter& writer, const StopToken& stop) {
  Smoke2dTrajectory result;
  const bool finished = simulate_smoke2d(
      config, index,
      [&](long long frame, int field, const double* values) {
        writer.write_frame(index, frame, field, values);
      },
      result, stop);
  if (!finished) return false;
  const std::vector<double> buoyancy(result.mass.size(), result.buoyancy_y);
  writer.write_diagnostic(index, 0, result.mass.data());
  writer.write_diagnostic(index, 1, result.kinetic_energy.data());
  writer.write_diagnostic(index, 2, result.max_divergence.data());
  writer.write_diagnostic(index, 3, result.cfl.data());
  writer.write_diagnostic(index, 4, buoyancy.data());
  writer.mark_complete(index);
  return true;
}

PdeArenaLayout smoke2d_pdearena_layout(const Smoke2dConfig& config, const Smoke2dOutput& output) {
  PdeArenaLayout layout;
  layout.split = output.split;
  layout.trajectories = config.trajectories;
  layout.frames = config.frames();
  layout.nx = layout.ny = config.resolution;
  layout.dtype = Smoke2dOutput{FileLayout::pdearena, output.dtype, output.split}.storage_type();
  layout.x = layout.y = config.cell_centres();
  layout.t = config.times();
  layout.dt = config.dt;
  layout.dx = layout.dy = config.length / config.resolution;
  return layout;
}

bool solve_smoke2d_pdearena(const Smoke2dConfig& config, long long index, PdeArenaWriter& writer,
                            const StopToken& stop) {
  Smoke2dTrajectory result;
  const bool finished = simulate_smoke2d(
      config, index,
      [&](long long frame, int field, const double* values) {
        writer.write_frame(index, frame, field, values);
      },
      result, stop);
  if (!finished) return false;
  writer.write_buoyancy(index, result.buoyancy_y);
  writer.mark_complete(index);
  return true;
}

}  // namespace fieldlab::datasets
