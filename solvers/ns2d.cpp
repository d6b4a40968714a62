#include "solvers/ns2d.hpp"

#include <algorithm>
#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>
#include <cmath>
#include <functional>
#include <numbers>

#include "core/error.hpp"
#include "solvers/grid_guard.hpp"
#include "solvers/interval_progress.hpp"
#include "solvers/odeint_eigen.hpp"
#include "solvers/periodic_operators.hpp"

namespace fieldlab::solvers {

namespace odeint = boost::numeric::odeint;
using std::numbers::pi;

namespace {
LaplacianSymbol poisson_symbol_for(DifferenceOrder order) {
  return order == DifferenceOrder::second ? LaplacianSymbol::second_order
                                          : LaplacianSymbol::fourth_order;
}
}  // namespace

struct Ns2dSolver::Steppers {
  using Rk4 = odeint::runge_kutta4<Field, double, Field, double, odeint::vector_space_algebra>;
  using Dopri =
      odeint::runge_kutta_dopri5<Field, double, Field, double, odeint::vector_space_algebra>;
  using Dense = odeint::result_of::make_dense_output<Dopri>::type;
  Rk4 rk4;
  Dense dense;
  bool dense_initialised = false;
  Steppers(double atol, double rtol) : dense(odeint::make_dense_output(atol, rtol, Dopri())) {}
};

Field vorticity_forcing(const PeriodicGrid& grid, const Ns2dConfig& config) {
  Field f = grid.zeros();
  if (config.forcing == Ns2dForcing::none) return f;
  for (int i = 0; i < grid.nx; ++i)
    for (int j = 0; j < grid.ny; ++j) {
      const double s = grid.x(i) / grid.lx, r = grid.y(j) / grid.ly;
      if (config.forcing == Ns2dForcing::fno) {
        // FNO: f = 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)) in unit-square coordinates.
        f(i, j) = config.forcing_amplitude *
                  (std::sin(2.0 * pi * (s + r)) + std::cos(2.0 * pi * (s + r)));
      } else {
        // Kolmogorov body force F = (A sin(k y), 0) has curl -A k cos(k y).
        const double k = 2.0 * pi * config.forcing_wavenumber / grid.ly;
        f(i, j) = -config.forcing_amplitude * k * std::cos(k * grid.y(j));
      }
    }
  return f;
}

Ns2dSolver::Ns2dSolver(const Ns2dConfig& config)
    // 5 fields here, ~1 for the Poisson spectrum, 5 states in RK4, ~9 in dense Dormand-Prince.
    : config_((config.validate(),
               check_grid_memory("ns2d", config.resolution, config.resolution, 20), config)),
      grid_(config.resolution, config.resolution, config.length, config.length),
      poisson_(grid_, poisson_symbol_for(config.diffusion_order)),
      zeta_(grid_.zeros()),
      psi_(grid_.zeros()),
      work_(grid_.zeros()),
      scratch_(grid_.zeros()),
      forcing_(vorticity_forcing(grid_, config)),
      steppers_(std::make_unique<Steppers>(config.atol, config.rtol)) {}

Ns2dSolver::~Ns2dSolver() = default;

void Ns2dSolver::set_vorticity(const Field& zeta, double t) {
  require(zeta.rows() == grid_.nx && zeta.cols() == grid_.ny,
          "vorticity field is {}x{}, the grid is {}x{}", zeta.rows(), zeta.cols(), grid_.nx,
          grid_.ny);
  zeta_ = zeta;
  time_ = t;
  steppers_->dense_initialised = false;
  check_finite("initial condition");
}

namespace {

struct RhsCoefficients {
  double jacobian_scale, nu, nu_x, nu_y, drag, speed_scale;
};

// One row of the right-hand side: Arakawa advection + diffusion + forcing - drag, and the row's
// max(|u|/dx + |v|/dy). Written as a plain loop over restrict pointers with no branches so GCC
// vectorises the interior; `FusedDiffusion` selects the 5-point stencil or a precomputed
// Laplacian (4th order) at compile time.
template <bool FusedDiffusion>
double rhs_row(const double* pm, const double* p0, const double* pp, const double* zm,
               const double* z0, const double* zp, const double* __restrict forcing,
               const double* __restrict lap, double* __restrict out, int ny,
               const RhsCoefficients& c) {
  auto point = [&](int jm, int j, int jp) {
    const double advection =
        c.jacobian_scale * arakawa_point_scaled(pm, p0, pp, zm, z0, zp, jm, j, jp);
    double diffusion;
    if constexpr (FusedDiffusion)
      diffusion = c.nu_x * (zp[j] - 2.0 * z0[j] + zm[j]) + c.nu_y * (z0[jp] - 2.0 * z0[j] + z0[jm]);
    else
      diffusion = c.nu * lap[j];
    out[j] = advection + diffusion + forcing[j] - c.drag * z0[j];
    // |u|/dx + |v|/dy with u = psi_y, v = -psi_x by central differences.
    return c.speed_scale * (std::abs(p0[jp] - p0[jm]) + std::abs(pp[j] - pm[j]));
  };
  double speed = 0.0;
  // The simd reduction lets GCC vectorise the max without -ffast-math.
#pragma omp simd reduction(max : speed)
  for (int j = 1; j < ny - 1; ++j) speed = std::max(speed, point(j - 1, j, j + 1));
  speed = std::max(speed, point(ny - 1, 0, 1));
  return std::max(speed, point(ny - 2, ny - 1, 0));
}

}  // namespace

void Ns2dSolver::rhs(const Field& zeta, Field& dzeta) {
  poisson_.solve(zeta, psi_, -1.0);  // lap psi = -zeta
  const int nx = grid_.nx, ny = grid_.ny;
  const double dx = grid_.dx(), dy = grid_.dy();
  const RhsCoefficients c{
      1.0 / (12.0 * dx * dy),        config_.viscosity, config_.viscosity / (dx * dx),
      config_.viscosity / (dy * dy), config_.drag,      0.5 / (dx * dy)};
  const bool fused_diffusion = config_.diffusion_order == DifferenceOrder::second;
  if (!fused_diffusion) laplacian(grid_, zeta, work_, config_.diffusion_order);
  const Field& psi = psi_;
  double max_speed = 0.0;
#pragma omp parallel for schedule(static) reduction(max : max_speed)
  for (int i = 0; i < nx; ++i) {
    const int im = wrap(i - 1, nx), ip = wrap(i + 1, nx);
    const double* rows[] = {&psi(im, 0),  &psi(i, 0),  &psi(ip, 0),
                            &zeta(im, 0), &zeta(i, 0), &zeta(ip, 0)};
    const double speed = fused_diffusion
                             ? rhs_row<true>(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5],
                                             &forcing_(i, 0), nullptr, &dzeta(i, 0), ny, c)
                             : rhs_row<false>(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5],
                                              &forcing_(i, 0), &work_(i, 0), &dzeta(i, 0), ny, c);
    max_speed = std::max(max_speed, speed);
  }
  last_speed_ = max_speed;
}

double Ns2dSolver::automatic_dt() {
  rhs(zeta_, scratch_);  // for last_speed_ of the current state
  const double advective = last_speed_ > 0 ? config_.cfl / last_speed_ : 1e300;
  // RK4's real-axis stability reaches -2.78; keep diffusion well inside it.
  const double dx = grid_.dx(), dy = grid_.dy();
  const double diffusion_rate =
      config_.viscosity * (config_.diffusion_order == DifferenceOrder::second ? 4.0 : 16.0 / 3.0) *
          (1.0 / (dx * dx) + 1.0 / (dy * dy)) +
      config_.drag;
  const double diffusive = diffusion_rate > 0 ? 2.0 / diffusion_rate : 1e300;
  return std::min(advective, diffusive);
}

void Ns2dSolver::check_finite(const char* where) const {
  if (!zeta_.allFinite())
    fail(ErrorKind::numerical,
         "vorticity became non-finite at step {} (t = {:.6g}, {}); the time "
         "step is unstable: lower --cfl or --dt",
         steps_, time_, where);
}

void Ns2dSolver::advance_to(double t_end, const StopToken& stop, ProgressSink* progress) {
  require(t_end >= time_, "cannot advance backwards from t = {} to t = {}", time_, t_end);
  if (t_end == time_) return;
  if (config_.stepper == Ns2dStepper::rk4)
    step_rk4_interval(t_end, stop, progress);
  else
    step_dopri5_interval(t_end, stop, progress);
  check_finite("after advancing");
}

void Ns2dSolver::step_rk4_interval(double t_end, const StopToken& stop, ProgressSink* progress) {
  IntervalProgress report(progress, time_, t_end);
  const double limit = stepper_cfl_limit(Ns2dStepper::rk4);
  auto system = [this](const Field& z, Field& dz, double) { rhs(z, dz); };
  const double interval = t_end - time_;
  const double dt_max = config_.dt > 0 ? config_.dt : automatic_dt();
  // Equal steps that land exactly on t_end, so output frames sit at their nominal times.
  long long n = std::max(1LL, static_cast<long long>(std::ceil(interval / dt_max - 1e-9)));
  double dt = interval / n;
  const double t_start = time_;
  for (long long k = 0; k < n; ++k) {
    steppers_->rk4.do_step(system, zeta_, time_, dt);
    ++steps_;
    time_ = (k + 1 == n) ? t_end : t_start + (k + 1) * dt;
    last_dt_ = dt;
    // last_speed_ comes from the final RK stage, close to the new state: a cheap stability check.
    const double cfl = dt * last_speed_;
    if (!(cfl <= limit))
      fail(ErrorKind::numerical,
           "step {} (t = {:.6g}): CFL number {:.3g} exceeds the RK4 stability limit {:.3g}; lower "
           "--dt or leave it unset to choose it from --cfl",
           steps_, time_, cfl, limit);
    if (config_.dt <= 0 && cfl > 1.5 * config_.cfl && k + 1 < n) {
      // The flow sped up within the interval: re-plan the remaining steps with a smaller dt.
      const double remaining = t_end - time_;
      const long long left =
          std::max(1LL, static_cast<long long>(std::ceil(remaining / automatic_dt() - 1e-9)));
      dt = remaining / left;
      n = k + 1 + left;
    }
    report.at(time_);
    if (stop.stop_requested()) return;
  }
}

void Ns2dSolver::step_dopri5_interval(double t_end, const StopToken& stop, ProgressSink* progress) {
  IntervalProgress report(progress, time_, t_end);
  auto& dense = steppers_->dense;
  auto system = [this](const Field& z, Field& dz, double) { rhs(z, dz); };
  if (!steppers_->dense_initialised) {
    dense.initialize(zeta_, time_, 0.5 * automatic_dt());
    steppers_->dense_initialised = true;
  }
  while (dense.current_time() < t_end) {
    auto [t0, t1] = dense.do_step(system);
    ++steps_;
    last_dt_ = t1 - t0;
    if (!std::isfinite(t1) || last_dt_ <= 0)
      fail(ErrorKind::numerical, "adaptive step {} failed at t = {:.6g}", steps_, t0);
    if (steps_ % 64 == 0 && !dense.current_state().allFinite())
      fail(ErrorKind::numerical, "vorticity became non-finite at step {} (t = {:.6g})", steps_, t1);
    report.at(t1);
    if (stop.stop_requested() && dense.current_time() < t_end) {
      // Stopped between steps: the state at the end of the last step (the dense stepper holds it).
      zeta_ = dense.current_state();
      time_ = dense.current_time();
      return;
    }
  }
  dense.calc_state(t_end, zeta_);
  time_ = t_end;
}

void Ns2dSolver::streamfunction(Field& psi) {
  psi.resize(grid_.nx, grid_.ny);
  poisson_.solve(zeta_, psi, -1.0);
}

void Ns2dSolver::velocity(Field& u, Field& v) {
  streamfunction(psi_);
  u.resize(grid_.nx, grid_.ny);
  v.resize(grid_.nx, grid_.ny);
  velocity_from_streamfunction(grid_, psi_, u, v);
}

Ns2dDiagnostics Ns2dSolver::diagnostics() {
  Ns2dDiagnostics d;
  Field u, v, div(grid_.nx, grid_.ny);
  velocity(u, v);  // also leaves psi_ for the current state
  divergence(grid_, u, v, div);
  d.time = time_;
  d.steps = steps_;
  d.kinetic_energy = 0.5 * (psi_ * zeta_).mean();
  d.enstrophy = 0.5 * zeta_.square().mean();
  d.max_speed = (u.abs() + v.abs()).maxCoeff();
  d.cfl = last_dt_ * ((u.abs() / grid_.dx()) + (v.abs() / grid_.dy())).maxCoeff();
  d.max_divergence = div.abs().maxCoeff();
  return d;
}

}  // namespace fieldlab::solvers
