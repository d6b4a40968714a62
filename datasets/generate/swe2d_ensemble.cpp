#include "datasets/generate/swe2d_ensemble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "core/threads.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

using solvers::Field;

namespace {
const std::vector<std::string> kKnownFields = {"eta", "h", "u", "v", "vorticity"};
}

const std::vector<std::string>& swe2d_diagnostics() {
  static const std::vector<std::string> names = {"mass", "energy", "potential_enstrophy", "cfl",
                                                 "steps"};
  return names;
}

void Swe2dConfig::validate() const {
  solver.validate();
  require(std::isfinite(amplitude) && amplitude >= 0, "--amplitude must be >= 0 (got {})",
          amplitude);
  require(std::isfinite(spectrum_alpha) && spectrum_alpha > 0 && std::isfinite(spectrum_tau) &&
              spectrum_tau >= 0,
          "--spectrum-alpha must be positive and --spectrum-tau >= 0");
  require(std::isfinite(jet_speed), "--jet-speed must be finite");
  require(jet_mode >= 1, "--jet-mode must be >= 1 (got {})", jet_mode);
  require(std::isfinite(bump_width) && bump_width > 0, "--bump-width must be positive");
  require(trajectories > 0, "--trajectories must be positive (got {})", trajectories);
  require(frames > 0, "--frames must be positive (got {})", frames);
  require(std::isfinite(dt_out) && dt_out > 0, "--dt-out must be positive (got {})", dt_out);
  require(!fields.empty(), "--fields must name at least one field");
  for (const auto& f : fields)
    require(std::find(kKnownFields.begin(), kKnownFields.end(), f) != kKnownFields.end(),
            "unknown field '{}' (expected eta, h, u, v or vorticity)", f);
  if (initial != solvers::SweCgridInitial::unbalanced_random &&
      initial != solvers::SweCgridInitial::adjustment)
    require(solver.f0 != 0.0, "--initial-condition {} needs --f0 != 0 (geostrophic balance)",
            solvers::to_string(initial));
}

TrajectoryLayout swe2d_layout(const Swe2dConfig& config, StorageType dtype) {
  TrajectoryLayout layout;
  const auto& s = config.solver;
  layout.fields = config.fields;
  layout.diagnostics = swe2d_diagnostics();
  layout.trajectories = config.trajectories;
  layout.frames = config.frames;
  layout.nx = s.nx;
  layout.ny = s.ny;
  layout.dtype = dtype;
  for (int i = 0; i < s.nx; ++i) layout.x.push_back((i + 0.5) * s.dx());
  for (int j = 0; j < s.ny; ++j) layout.y.push_back((j + 0.5) * s.dy());
  for (long long k = 0; k < config.frames; ++k) layout.t.push_back(k * config.dt_out);
  return layout;
}

PdeBenchLayout swe2d_pdebench_layout(const Swe2dConfig& config, StorageType dtype) {
  return pdebench_layout_of(swe2d_layout(config, dtype));
}

std::vector<Attribute> swe2d_attributes(const Swe2dConfig& config) {
  const auto& s = config.solver;
  return {
      {"pde", "swe2d: rotating shallow water, doubly periodic plane, flat bottom"},
      {"equation",
       "h_t + div(h u) = 0; u_t - q h v + (g h + K)_x = nu lap u - r u; v_t + q h u + (g h + "
       "K)_y = nu lap v - r v; q = (f + zeta) / h"},
      {"scheme", fmt::format("Arakawa C-grid, Sadourny {}-conserving PV flux, {} (Boost.Odeint), "
                             "cfl {}",
                             solvers::to_string(s.scheme), solvers::to_string(s.stepper), s.cfl)},
      {"domain", std::vector<double>{0.0, s.lx, 0.0, s.ly}},
      {"grid_points",
       "cell centres x_i = (i + 1/2) dx; fields interpolated there from the C-grid (h centres, u "
       "west faces, v south faces, vorticity corners)"},
      {"gravity", s.gravity},
      {"mean_depth", s.depth},
      {"f0", s.f0},
      {"beta", s.beta},
      {"coriolis", "f = f0 + beta (ly / 2 pi) sin(2 pi (y - ly/2) / ly)"},
      {"viscosity", s.viscosity},
      {"drag", s.drag},
      {"dt_out", config.dt_out},
      {"initial_condition", solvers::to_string(config.initial)},
      {"amplitude", config.amplitude},
      {"seed", static_cast<long long>(config.seed)},
      {"seed_derivation", "trajectory i uses mt19937_64(splitmix64(seed, i))"},
  };
}

std::string swe2d_identity(const Swe2dConfig& config, FileLayout layout, StorageType dtype) {
  const auto& s = config.solver;
  IdentityText id;
  id.add("dtype", to_string(dtype))
      .add("layout", to_string(layout))
      .add("trajectories", config.trajectories)
      .add("resolution", s.nx)
      .add("length", s.lx)
      .add("frames", config.frames)
      .add("dt-out", config.dt_out)
      .add("gravity", s.gravity)
      .add("depth", s.depth)
      .add("f0", s.f0)
      .add("beta", s.beta)
      .add("viscosity", s.viscosity)
      .add("drag", s.drag)
      .add("initial-condition", solvers::to_string(config.initial))
      .add("amplitude", config.amplitude)
      .add("spectrum-alpha", config.spectrum_alpha)
      .add("spectrum-tau", config.spectrum_tau)
      .add("jet-speed", config.jet_speed)
      .add("jet-mode", config.jet_mode)
      .add("bump-width", config.bump_width)
      .add("seed", config.seed)
      .add("fields", config.fields)
      .add("scheme", solvers::to_string(s.scheme))
      .add("stepper", solvers::to_string(s.stepper))
      .add("cfl", s.cfl)
      .add("dt", s.dt);
  return id.str();
}

std::string swe2d_sample_config(const Swe2dConfig& config, long long index) {
  const auto& s = config.solver;
  return fmt::format(
      "sim:\n  name: rotating_shallow_water\n  sample: {}\n  seed: {}\n  initial_condition: {}\n"
      "  amplitude: {}\n  nx: {}\n  ny: {}\n  lx: {}\n  ly: {}\n  gravity: {}\n  depth: {}\n"
      "  f0: {}\n  beta: {}\n  viscosity: {}\n  drag: {}\n  dt_out: {}\n  frames: {}\n"
      "  channels: [{}]\n  generator: fieldlab\n",
      index, config.seed, solvers::to_string(config.initial), config.amplitude, s.nx, s.ny, s.lx,
      s.ly, s.gravity, s.depth, s.f0, s.beta, s.viscosity, s.drag, config.dt_out, config.frames,
      fmt::join(config.fields, ", "));
}

void swe2d_initial_state(const Swe2dConfig& config, long long index, Field& h, Field& u, Field& v) {
  std::mt19937_64 rng(derive_seed(config.seed, static_cast<unsigned long long>(index)));
  const auto& s = config.solver;
  switch (config.initial) {
    case solvers::SweCgridInitial::balanced_random:
    case solvers::SweCgridInitial::unbalanced_random:
      solvers::swe_random_state(s, config.initial == solvers::SweCgridInitial::balanced_random,
                                config.amplitude, config.spectrum_alpha, config.spectrum_tau, rng,
                                h, u, v);
      break;
    case solvers::SweCgridInitial::jet: {
      // The balanced jet plus a small random balanced perturbation that seeds its instability.
      Field hp, up, vp;
      solvers::swe_jet_state(s, config.jet_speed, config.jet_mode, 0.0, h, u, v);
      solvers::swe_random_state(s, true, config.amplitude, config.spectrum_alpha,
                                config.spectrum_tau, rng, hp, up, vp);
      h += hp.array() - s.depth;
      u += up;
      v += vp;
      break;
    }
    case solvers::SweCgridInitial::adjustment: {
      std::uniform_real_distribution<double> scale(0.5, 1.5);
      solvers::swe_adjustment_state(s, config.amplitude * scale(rng), config.bump_width, h, u, v);
      break;
    }
  }
}

bool solve_swe2d_sample(const Swe2dConfig& config, long long index, const FrameSink& sink,
                        std::vector<std::vector<double>>* diagnostics, const StopToken& stop) {
  solvers::SweCgridSolver solver(config.solver);
  Field h, u, v;
  swe2d_initial_state(config, index, h, u, v);
  solver.set_state(h, u, v);
  if (diagnostics)
    diagnostics->assign(swe2d_diagnostics().size(), std::vector<double>(config.frames));
  Field eta, uc, vc, vorticity, depth;
  for (long long k = 0; k < config.frames; ++k) {
    if (stop.stop_requested()) return false;
    if (k > 0) solver.advance_to(k * config.dt_out);
    solver.centred(eta, uc, vc, vorticity);
    for (size_t f = 0; f < config.fields.size(); ++f) {
      const std::string& name = config.fields[f];
      if (name == "h") depth = eta + config.solver.depth;
      const Field& src = name == "eta" ? eta
                         : name == "h" ? depth
                         : name == "u" ? uc
                         : name == "v" ? vc
                                       : vorticity;
      sink(k, static_cast<int>(f), src.data());
    }
    if (diagnostics) {
      const auto d = solver.diagnostics();
      (*diagnostics)[0][k] = d.mass;
      (*diagnostics)[1][k] = d.energy;
      (*diagnostics)[2][k] = d.potential_enstrophy;
      (*diagnostics)[3][k] = d.cfl;
      (*diagnostics)[4][k] = static_cast<double>(d.steps);
    }
  }
  return true;
}

bool solve_swe2d_trajectory(const Swe2dConfig& config, long long index, TrajectoryWriter& writer,
                            const StopToken& stop) {
  return write_native_sample(writer, index, [&](const FrameSink& sink, auto* diagnostics) {
    return solve_swe2d_sample(config, index, sink, diagnostics, stop);
  });
}

bool solve_swe2d_pdebench(const Swe2dConfig& config, long long index, PdeBenchWriter& writer,
                          const StopToken& stop) {
  return write_pdebench_sample(writer, index, [&](const FrameSink& sink, auto* diagnostics) {
    return solve_swe2d_sample(config, index, sink, diagnostics, stop);
  });
}

}  // namespace fieldlab::datasets
