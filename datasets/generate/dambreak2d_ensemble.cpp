#include "datasets/generate/dambreak2d_ensemble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/swe_fv_cases.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

using solvers::Field;

namespace {
const std::vector<std::string> kKnownFields = {"h", "u", "v", "hu", "hv"};
}

const std::vector<std::string>& dambreak2d_diagnostics() {
  static const std::vector<std::string> names = {"mass", "energy", "max_wave_speed", "steps"};
  return names;
}

void DamBreak2dConfig::validate() const {
  solver.validate();
  require(std::isfinite(h_in) && h_in > 0, "--h-in must be positive (got {})", h_in);
  require(std::isfinite(h_out) && h_out > 0,
          "--h-out must be positive (got {}); dry beds are supported by the solver but not by "
          "this generator",
          h_out);
  require(std::isfinite(radius_min) && std::isfinite(radius_max) && radius_min > 0 &&
              radius_max >= radius_min,
          "--radius-min/--radius-max must satisfy 0 < min <= max (got {}, {})", radius_min,
          radius_max);
  require(std::isfinite(t_end) && t_end > 0, "--t-end must be positive (got {})", t_end);
  require(frames >= 2, "--frames must be at least 2 (got {})", frames);
  require(samples > 0, "--samples must be positive (got {})", samples);
  require(!fields.empty(), "--fields must name at least one field");
  for (const auto& f : fields)
    require(std::find(kKnownFields.begin(), kKnownFields.end(), f) != kKnownFields.end(),
            "unknown field '{}' (expected h, u, v, hu or hv)", f);
}

double DamBreak2dConfig::radius(long long index) const {
  std::mt19937_64 rng(derive_seed(seed, static_cast<unsigned long long>(index)));
  std::uniform_real_distribution<double> draw(radius_min, radius_max);
  return radius_min == radius_max ? radius_min : draw(rng);
}

std::vector<double> DamBreak2dConfig::times() const {
  std::vector<double> t(frames);
  for (long long k = 0; k < frames; ++k) t[k] = t_end * static_cast<double>(k) / (frames - 1);
  t.back() = t_end;
  return t;
}

namespace {
std::vector<double> centres(double lo, double hi, int n) {
  std::vector<double> c(n);
  for (int i = 0; i < n; ++i) c[i] = lo + (i + 0.5) * (hi - lo) / n;
  return c;
}
}  // namespace

TrajectoryLayout dambreak2d_layout(const DamBreak2dConfig& config, StorageType dtype) {
  TrajectoryLayout layout;
  const auto& s = config.solver;
  layout.fields = config.fields;
  layout.diagnostics = dambreak2d_diagnostics();
  layout.trajectories = config.samples;
  layout.frames = config.frames;
  layout.nx = s.nx;
  layout.ny = s.ny;
  layout.dtype = dtype;
  layout.x = centres(s.x_min, s.x_max, s.nx);
  layout.y = centres(s.y_min, s.y_max, s.ny);
  layout.t = config.times();
  return layout;
}

PdeBenchLayout dambreak2d_pdebench_layout(const DamBreak2dConfig& config, StorageType dtype) {
  return pdebench_layout_of(dambreak2d_layout(config, dtype));
}

std::vector<Attribute> dambreak2d_attributes(const DamBreak2dConfig& config) {
  const auto& s = config.solver;
  return {
      {"pde", "dambreak2d: shallow-water equations, PDEBench radial dam break"},
      {"equation",
       "h_t + (hu)_x + (hv)_y = 0, (hu)_t + (hu^2 + g h^2/2)_x + (huv)_y = 0, "
       "(hv)_t + (huv)_x + (hv^2 + g h^2/2)_y = 0"},
      {"scheme", fmt::format("finite volume, {} Riemann solver, MUSCL with {} limiter, "
                             "hydrostatic reconstruction, {}, cfl {}",
                             solvers::to_string(s.riemann), solvers::to_string(s.limiter),
                             solvers::to_string(s.stepper), s.cfl)},
      {"boundary", solvers::to_string(s.boundary)},
      {"domain", std::vector<double>{s.x_min, s.x_max, s.y_min, s.y_max}},
      {"grid_points", "cell centres x_i = x_min + (i + 1/2) dx"},
      {"gravity", s.gravity},
      {"h_in", config.h_in},
      {"h_out", config.h_out},
      {"radius_range", std::vector<double>{config.radius_min, config.radius_max}},
      {"t_end", config.t_end},
      {"initial_condition",
       "h = h_in where sqrt(x^2 + y^2) <= R (cell centres), h_out elsewhere; u = v = 0; "
       "R ~ U(radius_min, radius_max) per sample"},
      {"seed", static_cast<long long>(config.seed)},
      {"seed_derivation", "sample i draws R from mt19937_64(splitmix64(seed, i))"},
  };
}

std::string dambreak2d_identity(const DamBreak2dConfig& config, FileLayout layout,
                                StorageType dtype) {
  const auto& s = config.solver;
  IdentityText id;
  id.add("dtype", to_string(dtype))
      .add("layout", to_string(layout))
      .add("samples", config.samples)
      .add("resolution", s.nx)
      .add("half-width", s.x_max)
      .add("frames", config.frames)
      .add("t-end", config.t_end)
      .add("gravity", s.gravity)
      .add("h-in", config.h_in)
      .add("h-out", config.h_out)
      .add("radius-min", config.radius_min)
      .add("radius-max", config.radius_max)
      .add("seed", config.seed)
      .add("fields", config.fields)
      .add("riemann", solvers::to_string(s.riemann))
      .add("limiter", solvers::to_string(s.limiter))
      .add("stepper", solvers::to_string(s.stepper))
      .add("boundary", solvers::to_string(s.boundary))
      .add("cfl", s.cfl);
  return id.str();
}

std::string dambreak2d_sample_config(const DamBreak2dConfig& config, long long index) {
  const auto& s = config.solver;
  return fmt::format(
      "sim:\n  name: radial_dam_break\n  sample: {}\n  seed: {}\n  dam_radius: {:.17g}\n"
      "  inner_height: {}\n  outer_height: {}\n  gravity: {}\n  T_end: {}\n  n_time_steps: {}\n"
      "  xdim: {}\n  ydim: {}\n  x_left: {}\n  x_right: {}\n  y_bottom: {}\n  y_top: {}\n"
      "  riemann_solver: {}\n  limiter: {}\n  time_stepper: {}\n  cfl: {}\n  generator: fieldlab\n",
      index, config.seed, config.radius(index), config.h_in, config.h_out, s.gravity, config.t_end,
      config.frames - 1, s.nx, s.ny, s.x_min, s.x_max, s.y_min, s.y_max,
      solvers::to_string(s.riemann), solvers::to_string(s.limiter), solvers::to_string(s.stepper),
      s.cfl);
}

bool solve_dambreak2d_sample(const DamBreak2dConfig& config, long long index, const FrameSink& sink,
                             std::vector<std::vector<double>>* diagnostics, const StopToken& stop) {
  solvers::FvSweSolver solver(config.solver);
  const int nx = solver.nx(), ny = solver.ny();
  const Field h0 =
      solvers::radial_dam_break_depth(solver, config.radius(index), config.h_in, config.h_out);
  solver.set_state(h0, Field::Zero(nx, ny), Field::Zero(nx, ny));
  const auto times = config.times();
  if (diagnostics)
    diagnostics->assign(dambreak2d_diagnostics().size(), std::vector<double>(config.frames));
  Field h, hu, hv, u, v;
  auto wants = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (std::find(config.fields.begin(), config.fields.end(), n) != config.fields.end())
        return true;
    return false;
  };
  const bool need_h = wants({"h"}), need_momentum = wants({"hu", "hv"}),
             need_velocity = wants({"u", "v"});
  for (long long k = 0; k < config.frames; ++k) {
    if (stop.stop_requested()) return false;
    solver.advance_to(times[k]);
    // Copy out only what is written (PDEBench's set is h alone).
    if (need_h) solver.depth(h);
    if (need_momentum) solver.momentum(hu, hv);
    if (need_velocity) solver.velocity(u, v);
    for (size_t f = 0; f < config.fields.size(); ++f) {
      const std::string& name = config.fields[f];
      const Field& src = name == "h"    ? h
                         : name == "hu" ? hu
                         : name == "hv" ? hv
                         : name == "u"  ? u
                                        : v;
      sink(k, static_cast<int>(f), src.data());
    }
    if (diagnostics) {
      const auto d = solver.diagnostics();
      (*diagnostics)[0][k] = d.mass;
      (*diagnostics)[1][k] = d.energy;
      (*diagnostics)[2][k] = d.max_wave_speed;
      (*diagnostics)[3][k] = static_cast<double>(d.steps);
    }
  }
  return true;
}

bool solve_dambreak2d_trajectory(const DamBreak2dConfig& config, long long index,
                                 TrajectoryWriter& writer, const StopToken& stop) {
  return write_native_sample(writer, index, [&](const FrameSink& sink, auto* diagnostics) {
    return solve_dambreak2d_sample(config, index, sink, diagnostics, stop);
  });
}

bool solve_dambreak2d_pdebench(const DamBreak2dConfig& config, long long index,
                               PdeBenchWriter& writer, const StopToken& stop) {
  return write_pdebench_sample(writer, index, [&](const FrameSink& sink, auto* diagnostics) {
    return solve_dambreak2d_sample(config, index, sink, diagnostics, stop);
  });
}

}  // namespace fieldlab::datasets
