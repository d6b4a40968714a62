#include "datasets/generate/ns2d_ensemble.hpp"

#include <random>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/generation_identity.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"

namespace fieldlab::datasets {
// The HDF5 layer (datasets/io) is used throughout this file.
using namespace fieldlab::io;

using solvers::Field;

namespace {
const std::vector<std::string> kKnownFields = {"vorticity", "u", "v", "streamfunction"};
const std::vector<std::string> kDiagnostics = {"kinetic_energy", "enstrophy", "cfl", "steps"};

// Copies every stride-th point of `full` (strided subsampling, as the FNO data does 256 -> 64).
void subsample(const Field& full, int stride, std::vector<double>& out) {
  const int nx = static_cast<int>(full.rows()) / stride,
            ny = static_cast<int>(full.cols()) / stride;
  out.resize(static_cast<size_t>(nx) * ny);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j)
      out[static_cast<size_t>(i) * ny + j] = full(i * stride, j * stride);
}
}  // namespace

void Ns2dEnsembleConfig::validate() const {
  solver.validate();
  require(trajectories > 0, "--trajectories must be positive (got {})", trajectories);
  require(frames > 0, "--frames must be positive (got {})", frames);
  require(std::isfinite(dt_out) && dt_out > 0, "--dt-out must be positive (got {})", dt_out);
  const int out = effective_output_resolution();
  require(out >= 4 && solver.resolution % out == 0,
          "--resolution {} must divide the solve resolution {}", out, solver.resolution);
  require(!fields.empty(), "--fields must name at least one field");
  for (const auto& f : fields)
    require(std::find(kKnownFields.begin(), kKnownFields.end(), f) != kKnownFields.end(),
            "unknown field '{}' (expected vorticity, u, v or streamfunction)", f);
}

int Ns2dEnsembleConfig::effective_output_resolution() const {
  return output_resolution > 0 ? output_resolution : solver.resolution;
}

TrajectoryLayout ns2d_layout(const Ns2dEnsembleConfig& config, StorageType dtype) {
  TrajectoryLayout layout;
  const int n = config.effective_output_resolution();
  layout.fields = config.fields;
  layout.diagnostics = kDiagnostics;
  layout.trajectories = config.trajectories;
  layout.frames = config.frames;
  layout.nx = layout.ny = n;
  layout.dtype = dtype;
  for (int i = 0; i < n; ++i) layout.x.push_back(config.solver.length * i / n);
  layout.y = layout.x;
  for (long long k = 0; k < config.frames; ++k) layout.t.push_back(k * config.dt_out);
  return layout;
}

std::vector<Attribute> ns2d_attributes(const Ns2dEnsembleConfig& config) {
  const auto& s = config.solver;
  std::string forcing = solvers::to_string(s.forcing);
  if (s.forcing == solvers::Ns2dForcing::fno)
    forcing = fmt::format("fno: {} (sin 2pi(x+y) + cos 2pi(x+y)) (vorticity source)",
                          s.forcing_amplitude);
  else if (s.forcing == solvers::Ns2dForcing::kolmogorov)
    forcing = fmt::format("kolmogorov: body force ({} sin({} * 2pi y / L), 0)", s.forcing_amplitude,
                          s.forcing_wavenumber);
  std::string ic = solvers::to_string(s.initial_condition);
  if (s.initial_condition == solvers::Ns2dInitialCondition::gaussian_random_field)
    ic = fmt::format("gaussian random field N(0, {:.6g}^2 (-lap + {}^2 I)^(-{})), zero mean",
                     s.spectrum.effective_sigma(), s.spectrum.tau, s.spectrum.alpha);
  return {
      {"pde", "ns2d: incompressible Navier-Stokes, vorticity-streamfunction form, doubly periodic"},
      {"equation",
       "dw/dt + u.grad(w) = nu lap(w) - drag w + f, lap(psi) = -w, u = psi_y, v = -psi_x"},
      {"scheme", fmt::format("Arakawa Jacobian, {}-order central diffusion, FFT Poisson solve, {}",
                             static_cast<int>(s.diffusion_order) == 2 ? "2nd" : "4th",
                             solvers::to_string(s.stepper))},
      {"domain", std::vector<double>{0.0, s.length, 0.0, s.length}},
      {"grid_points", "nodes x_i = i L / n, i = 0..n-1 (periodic)"},
      {"solve_resolution", static_cast<long long>(s.resolution)},
      {"output_resolution", static_cast<long long>(config.effective_output_resolution())},
      {"dt_out", config.dt_out},
      {"viscosity", s.viscosity},
      {"drag", s.drag},
      {"forcing", forcing},
      {"initial_condition", ic},
      {"seed", static_cast<long long>(config.seed)},
      {"seed_derivation", "trajectory i uses mt19937_64(splitmix64(seed, i))"},
  };
}

std::string ns2d_identity(const Ns2dEnsembleConfig& config, StorageType dtype) {
  const auto& s = config.solver;
  const int out = config.effective_output_resolution();
  IdentityText id;
  id.add("dtype", to_string(dtype))
      .add("trajectories", config.trajectories)
      .add("resolution", out)
      // 0: solved at the output resolution (the option's default spelling of that case).
      .add("solve-resolution", s.resolution == out ? 0 : s.resolution)
      .add("frames", config.frames)
      .add("dt-out", config.dt_out)
      .add("viscosity", s.viscosity)
      .add("drag", s.drag)
      .add("length", s.length)
      .add("seed", config.seed)
      .add("fields", config.fields)
      .add("forcing", solvers::to_string(s.forcing))
      .add("forcing-amplitude", s.forcing_amplitude)
      .add("forcing-wavenumber", s.forcing_wavenumber)
      .add("initial-condition", solvers::to_string(s.initial_condition))
      .add("grf-alpha", s.spectrum.alpha)
      .add("grf-tau", s.spectrum.tau)
      .add("grf-sigma", s.spectrum.sigma)
      .add("shear-rho", s.shear_rho)
      .add("shear-delta", s.shear_delta)
      .add("stepper", solvers::to_string(s.stepper))
      .add("cfl", s.cfl)
      .add("dt", s.dt)
      .add("rtol", s.rtol)
      .add("atol", s.atol)
      .add("diffusion-order", static_cast<int>(s.diffusion_order));
  return id.str();
}

bool solve_ns2d_trajectory(const Ns2dEnsembleConfig& config, long long index,
                           TrajectoryWriter& writer, const StopToken& stop) {
  solvers::Ns2dSolver solver(config.solver);
  std::mt19937_64 rng(derive_seed(config.seed, static_cast<unsigned long long>(index)));
  solver.set_vorticity(solvers::initial_vorticity(solver.grid(), config.solver, rng));
  const int stride = config.solver.resolution / config.effective_output_resolution();
  const long long frames = config.frames;
  std::vector<std::vector<double>> diagnostics(kDiagnostics.size(), std::vector<double>(frames));
  std::vector<double> frame;
  Field psi, u, v;
  for (long long k = 0; k < frames; ++k) {
    if (stop.stop_requested()) return false;
    if (k > 0) solver.advance_to(k * config.dt_out);
    const bool need_velocity = std::count(config.fields.begin(), config.fields.end(), "u") ||
                               std::count(config.fields.begin(), config.fields.end(), "v");
    if (need_velocity) solver.velocity(u, v);
    for (size_t f = 0; f < config.fields.size(); ++f) {
      const std::string& name = config.fields[f];
      if (name == "vorticity") {
        subsample(solver.vorticity(), stride, frame);
      } else if (name == "streamfunction") {
        solver.streamfunction(psi);
        subsample(psi, stride, frame);
      } else {
        subsample(name == "u" ? u : v, stride, frame);
      }
      writer.write_frame(index, k, static_cast<int>(f), frame.data());
    }
    const auto d = solver.diagnostics();
    diagnostics[0][k] = d.kinetic_energy;
    diagnostics[1][k] = d.enstrophy;
    diagnostics[2][k] = d.cfl;
    diagnostics[3][k] = static_cast<double>(d.steps);
  }
  for (size_t d = 0; d < diagnostics.size(); ++d)
    writer.write_diagnostic(index, static_cast<int>(d), diagnostics[d].data());
  writer.mark_complete(index);
  return true;
}

EnsembleOutcome generate_ns2d(const Ns2dEnsembleConfig& config, TrajectoryWriter& writer,
                              int threads, ProgressSink* progress, const StopToken& stop) {
  config.validate();
  return run_ensemble(
      writer.pending(), threads,
      [&](long long index) { return solve_ns2d_trajectory(config, index, writer, stop); }, progress,
      stop);
}

}  // namespace fieldlab::datasets
