#include "solvers/swe_cgrid.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "solvers/grid_guard.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/interval_progress.hpp"
#include "solvers/odeint_eigen.hpp"

namespace fieldlab::solvers {

namespace odeint = boost::numeric::odeint;
using std::numbers::pi;

namespace {
// Below this many cells fork/join costs more than the loop (and ensembles run one trajectory per
// thread anyway).
constexpr long long kParallelCells = 16384;

inline int wrap_down(int i, int n) { return i == 0 ? n - 1 : i - 1; }
inline int wrap_up(int i, int n) { return i == n - 1 ? 0 : i + 1; }

// Imaginary-axis stability limits of the steppers, divided by the 2 sqrt(2) of the C-grid gravity
// wave operator's largest frequency (in units of c / dx): the largest stable CFL number.
double cfl_limit(SweCgridStepper s) {
  return s == SweCgridStepper::rk4 ? 2.0 * std::numbers::sqrt2 / (2.0 * std::numbers::sqrt2)
                                   : std::sqrt(3.0) / (2.0 * std::numbers::sqrt2);
}
}  // namespace

void SweCgridConfig::validate() const {
  require(nx >= 4 && ny >= 4, "the C-grid needs at least 4 x 4 cells (got {} x {})", nx, ny);
  require(std::isfinite(lx) && lx > 0 && std::isfinite(ly) && ly > 0,
          "domain lengths must be positive (got {} x {})", lx, ly);
  require(std::isfinite(gravity) && gravity > 0, "--gravity must be positive (got {})", gravity);
  require(std::isfinite(depth) && depth > 0, "--depth must be positive (got {})", depth);
  require(std::isfinite(f0) && std::isfinite(beta), "--f0 and --beta must be finite");
  require(std::isfinite(viscosity) && viscosity >= 0, "--viscosity must be >= 0 (got {})",
          viscosity);
  require(std::isfinite(drag) && drag >= 0, "--drag must be >= 0 (got {})", drag);
  require(std::isfinite(cfl) && cfl > 0 && cfl <= cfl_limit(stepper),
          "--cfl must be in (0, {:.3g}] for {} (got {})", cfl_limit(stepper), to_string(stepper),
          cfl);
  require(std::isfinite(dt) && dt >= 0, "--dt must be >= 0 (got {})", dt);
}

double SweCgridConfig::coriolis(double y) const {
  return f0 + beta * (ly / (2.0 * pi)) * std::sin(2.0 * pi * (y - 0.5 * ly) / ly);
}

const char* to_string(SweCgridStepper v) { return v == SweCgridStepper::rk4 ? "rk4" : "ssprk3"; }
const char* to_string(SweCgridScheme v) {
  return v == SweCgridScheme::energy ? "energy" : "enstrophy";
}
const char* to_string(SweCgridInitial v) {
  switch (v) {
    case SweCgridInitial::balanced_random:
      return "balanced";
    case SweCgridInitial::unbalanced_random:
      return "unbalanced";
    case SweCgridInitial::jet:
      return "jet";
    case SweCgridInitial::adjustment:
      return "adjustment";
  }
  return "?";
}

SweCgridStepper parse_swe_cgrid_stepper(const std::string& name) {
  if (name == "rk4") return SweCgridStepper::rk4;
  if (name == "ssprk3") return SweCgridStepper::ssprk3;
  fail(ErrorKind::usage, "unknown stepper '{}' (expected rk4 or ssprk3)", name);
}

SweCgridScheme parse_swe_cgrid_scheme(const std::string& name) {
  if (name == "energy") return SweCgridScheme::energy;
  if (name == "enstrophy") return SweCgridScheme::enstrophy;
  fail(ErrorKind::usage, "unknown scheme '{}' (expected energy or enstrophy)", name);
}

SweCgridInitial parse_swe_cgrid_initial(const std::string& name) {
  if (name == "balanced") return SweCgridInitial::balanced_random;
  if (name == "unbalanced") return SweCgridInitial::unbalanced_random;
  if (name == "jet") return SweCgridInitial::jet;
  if (name == "adjustment") return SweCgridInitial::adjustment;
  fail(ErrorKind::usage,
       "unknown initial condition '{}' (expected balanced, unbalanced, jet or adjustment)", name);
}

struct SweCgridSolver::Steppers {
  using Rk4 = odeint::runge_kutta4<Field, double, Field, double, odeint::vector_space_algebra>;
  using Ssp3 =
      odeint::explicit_generic_rk<3, 3, Field, double, Field, double, odeint::vector_space_algebra>;
  Rk4 rk4;
  Ssp3 ssp3;
  // Shu-Osher SSP-RK3 as a Butcher tableau: c = (0, 1, 1/2), a21 = 1, a31 = a32 = 1/4,
  // b = (1/6, 1/6, 2/3).
  Steppers()
      : ssp3(boost::fusion::make_vector(boost::array<double, 1>{{1.0}},
                                        boost::array<double, 2>{{0.25, 0.25}}),
             boost::array<double, 3>{{1.0 / 6.0, 1.0 / 6.0, 2.0 / 3.0}},
             boost::array<double, 3>{{0.0, 1.0, 0.5}}) {}
};

SweCgridSolver::SweCgridSolver(const SweCgridConfig& config)
    // The 3-field state, ~5 diagnostic fields, and 4 RK stages of the state.
    : config_((config.validate(),
               check_grid_memory("shallow water (C-grid)", config.nx, config.ny, 20), config)),
      parallel_(static_cast<long long>(config.nx) * config.ny >= kParallelCells),
      state_(Field::Zero(3 * config.nx, config.ny)),
      mass_x_(Field::Zero(config.nx, config.ny)),
      mass_y_(Field::Zero(config.nx, config.ny)),
      bernoulli_(Field::Zero(config.nx, config.ny)),
      pv_(Field::Zero(config.nx, config.ny)),
      f_corner_(config.ny),
      steppers_(std::make_unique<Steppers>()) {
  for (int j = 0; j < config_.ny; ++j) f_corner_[j] = config_.coriolis(j * config_.dy());
}

SweCgridSolver::~SweCgridSolver() = default;

void SweCgridSolver::set_state(const Field& h, const Field& u, const Field& v, double t) {
  const int nx = config_.nx, ny = config_.ny;
  for (const Field* f : {&h, &u, &v}) {
    require(f->rows() == nx && f->cols() == ny, "initial field is {}x{}, the grid is {}x{}",
            f->rows(), f->cols(), nx, ny);
    require(f->allFinite(), "initial state has non-finite values");
  }
  require(h.minCoeff() > 0.0,
          "the C-grid solver needs a positive depth everywhere (minimum {}); dry states are "
          "supported by the finite-volume solver (dambreak2d)",
          h.minCoeff());
  state_.topRows(nx) = h;
  state_.middleRows(nx, nx) = u;
  state_.bottomRows(nx) = v;
  time_ = t;
  steps_ = 0;
}

void SweCgridSolver::fields(Field& h, Field& u, Field& v) const {
  const int nx = config_.nx;
  h = state_.topRows(nx);
  u = state_.middleRows(nx, nx);
  v = state_.bottomRows(nx);
}

void SweCgridSolver::rhs(const Field& s, Field& ds) {
  const int nx = config_.nx, ny = config_.ny;
  const long long n = static_cast<long long>(nx) * ny;
  const double g = config_.gravity, dx = config_.dx(), dy = config_.dy();
  const double nu = config_.viscosity, r = config_.drag;
  const bool energy = config_.scheme == SweCgridScheme::energy;
  const double* h = s.data();
  const double* u = h + n;
  const double* v = h + 2 * n;
  double* dh = ds.data();
  double* du = dh + n;
  double* dv = dh + 2 * n;
  double* U = mass_x_.data();
  double* V = mass_y_.data();
  double* B = bernoulli_.data();
  double* q = pv_.data();
  const double* f = f_corner_.data();
  auto at = [ny](int i, int j) { return static_cast<long long>(i) * ny + j; };

#pragma omp parallel if (parallel_)
  {
#pragma omp for schedule(static)
    for (int i = 0; i < nx; ++i) {
      const int im = wrap_down(i, nx), ip = wrap_up(i, nx);
      for (int j = 0; j < ny; ++j) {
        const int jm = wrap_down(j, ny), jp = wrap_up(j, ny);
        const long long c = at(i, j);
        U[c] = 0.5 * (h[at(im, j)] + h[c]) * u[c];
        V[c] = 0.5 * (h[at(i, jm)] + h[c]) * v[c];
        const double ue = u[at(ip, j)], vn = v[at(i, jp)];
        B[c] = g * h[c] + 0.25 * (u[c] * u[c] + ue * ue + v[c] * v[c] + vn * vn);
        const double zeta = (v[c] - v[at(im, j)]) / dx - (u[c] - u[at(i, jm)]) / dy;
        const double h_corner = 0.25 * (h[c] + h[at(im, j)] + h[at(i, jm)] + h[at(im, jm)]);
        q[c] = (f[j] + zeta) / h_corner;
      }
    }
#pragma omp for schedule(static)
    for (int i = 0; i < nx; ++i) {
      const int im = wrap_down(i, nx), ip = wrap_up(i, nx);
      for (int j = 0; j < ny; ++j) {
        const int jm = wrap_down(j, ny), jp = wrap_up(j, ny);
        const long long c = at(i, j), w = at(im, j), e = at(ip, j), sth = at(i, jm),
                        nth = at(i, jp);
        dh[c] = -(U[e] - U[c]) / dx - (V[nth] - V[c]) / dy;
        double pv_u, pv_v;
        if (energy) {
          pv_u = 0.25 * (q[c] * (V[w] + V[c]) + q[nth] * (V[at(im, jp)] + V[nth]));
          pv_v = -0.25 * (q[c] * (U[sth] + U[c]) + q[e] * (U[at(ip, jm)] + U[e]));
        } else {
          pv_u = 0.125 * (q[c] + q[nth]) * (V[w] + V[c] + V[at(im, jp)] + V[nth]);
          pv_v = -0.125 * (q[c] + q[e]) * (U[sth] + U[c] + U[at(ip, jm)] + U[e]);
        }
        double fu = pv_u - (B[c] - B[w]) / dx;
        double fv = pv_v - (B[c] - B[sth]) / dy;
        if (nu > 0) {
          fu += nu *
                ((u[e] - 2 * u[c] + u[w]) / (dx * dx) + (u[nth] - 2 * u[c] + u[sth]) / (dy * dy));
          fv += nu *
                ((v[e] - 2 * v[c] + v[w]) / (dx * dx) + (v[nth] - 2 * v[c] + v[sth]) / (dy * dy));
        }
        du[c] = fu - r * u[c];
        dv[c] = fv - r * v[c];
      }
    }
  }
}

double SweCgridSolver::automatic_dt() const {
  const int nx = config_.nx;
  const double h_max = state_.topRows(nx).maxCoeff();
  const double speed =
      std::max(state_.middleRows(nx, nx).abs().maxCoeff(), state_.bottomRows(nx).abs().maxCoeff()) +
      std::sqrt(config_.gravity * std::max(h_max, 0.0));
  const double dx = config_.dx(), dy = config_.dy();
  const double advective = config_.cfl * std::min(dx, dy) / speed;
  const double rate = 4.0 * config_.viscosity * (1 / (dx * dx) + 1 / (dy * dy)) + config_.drag;
  const double diffusive = rate > 0 ? 2.0 / rate : 1e300;  // well inside the real-axis limits
  return std::min(advective, diffusive);
}

void SweCgridSolver::check_state(const char* where) const {
  const int nx = config_.nx;
  if (!state_.allFinite())
    fail(ErrorKind::numerical,
         "shallow-water state became non-finite at step {} (t = {:.6g}, {}); lower --cfl or --dt",
         steps_, time_, where);
  const double h_min = state_.topRows(nx).minCoeff();
  if (h_min <= 0)
    fail(ErrorKind::numerical,
         "depth reached {:.3g} at step {} (t = {:.6g}): the C-grid solver needs h > 0 (use "
         "smaller amplitudes or a deeper layer)",
         h_min, steps_, time_);
}

void SweCgridSolver::advance_to(double t_end, const StopToken& stop, ProgressSink* progress) {
  require(std::isfinite(t_end) && t_end >= time_, "cannot advance from t = {} to t = {}", time_,
          t_end);
  if (t_end == time_) return;
  const double interval = t_end - time_;
  const double dt_max = config_.dt > 0 ? config_.dt : automatic_dt();
  const long long n = std::max(1LL, static_cast<long long>(std::ceil(interval / dt_max - 1e-9)));
  const double dt = interval / n;
  const int nx = config_.nx;
  const double speed =
      std::max(state_.middleRows(nx, nx).abs().maxCoeff(), state_.bottomRows(nx).abs().maxCoeff()) +
      std::sqrt(config_.gravity * state_.topRows(nx).maxCoeff());
  const double cfl = dt * speed / std::min(config_.dx(), config_.dy());
  if (cfl > cfl_limit(config_.stepper))
    fail(
        ErrorKind::usage,
        "--dt {} gives a gravity-wave CFL number {:.3g} above the {} stability limit {:.3g}; lower "
        "--dt or set it to 0 to choose it from --cfl",
        config_.dt, cfl, to_string(config_.stepper), cfl_limit(config_.stepper));
  auto system = [this](const Field& s, Field& ds, double) { rhs(s, ds); };
  const double t_start = time_;
  IntervalProgress report(progress, t_start, t_end);
  for (long long k = 0; k < n; ++k) {
    if (config_.stepper == SweCgridStepper::rk4)
      steppers_->rk4.do_step(system, state_, time_, dt);
    else
      steppers_->ssp3.do_step(system, state_, time_, dt);
    ++steps_;
    time_ = (k + 1 == n) ? t_end : t_start + (k + 1) * dt;
    last_dt_ = dt;
    if ((k & 15) == 15 || k + 1 == n) check_state("while stepping");
    report.at(time_);
    if (stop.stop_requested() && k + 1 < n) {
      check_state("while stepping");
      return;
    }
  }
}

void SweCgridSolver::centred(Field& eta, Field& uc, Field& vc, Field& vorticity) const {
  const int nx = config_.nx, ny = config_.ny;
  const double dx = config_.dx(), dy = config_.dy();
  eta.resize(nx, ny);
  uc.resize(nx, ny);
  vc.resize(nx, ny);
  vorticity.resize(nx, ny);
  const auto h = state_.topRows(nx);
  const auto u = state_.middleRows(nx, nx);
  const auto v = state_.bottomRows(nx);
  auto zeta = [&](int i, int j) {
    return (v(i, j) - v(wrap_down(i, nx), j)) / dx - (u(i, j) - u(i, wrap_down(j, ny))) / dy;
  };
#pragma omp parallel for schedule(static) if (parallel_)
  for (int i = 0; i < nx; ++i) {
    const int ip = wrap_up(i, nx);
    for (int j = 0; j < ny; ++j) {
      const int jp = wrap_up(j, ny);
      eta(i, j) = h(i, j) - config_.depth;
      uc(i, j) = 0.5 * (u(i, j) + u(ip, j));
      vc(i, j) = 0.5 * (v(i, j) + v(i, jp));
      vorticity(i, j) = 0.25 * (zeta(i, j) + zeta(ip, j) + zeta(i, jp) + zeta(ip, jp));
    }
  }
}

SweCgridDiagnostics SweCgridSolver::diagnostics() const {
  const int nx = config_.nx, ny = config_.ny;
  const double g = config_.gravity, dx = config_.dx(), dy = config_.dy();
  const auto h = state_.topRows(nx);
  const auto u = state_.middleRows(nx, nx);
  const auto v = state_.bottomRows(nx);
  double mass = 0, energy = 0, enstrophy = 0, speed = 0, h_min = 1e300;
#pragma omp parallel for schedule(static) if (parallel_) reduction(+ : mass, energy, enstrophy) \
    reduction(max : speed) reduction(min : h_min)
  for (int i = 0; i < nx; ++i) {
    const int im = wrap_down(i, nx), ip = wrap_up(i, nx);
    for (int j = 0; j < ny; ++j) {
      const int jm = wrap_down(j, ny), jp = wrap_up(j, ny);
      const double k = 0.25 * (u(i, j) * u(i, j) + u(ip, j) * u(ip, j) + v(i, j) * v(i, j) +
                               v(i, jp) * v(i, jp));
      mass += h(i, j);
      energy += h(i, j) * k + 0.5 * g * h(i, j) * h(i, j);
      const double zeta = (v(i, j) - v(im, j)) / dx - (u(i, j) - u(i, jm)) / dy;
      const double hc = 0.25 * (h(i, j) + h(im, j) + h(i, jm) + h(im, jm));
      const double q = (f_corner_[j] + zeta) / hc;
      enstrophy += 0.5 * hc * q * q;
      speed = std::max({speed, std::abs(u(i, j)), std::abs(v(i, j))});
      h_min = std::min(h_min, h(i, j));
    }
  }
  SweCgridDiagnostics d;
  d.time = time_;
  d.steps = steps_;
  d.mass = mass * dx * dy;
  d.energy = energy * dx * dy;
  d.potential_enstrophy = enstrophy * dx * dy;
  d.max_speed = speed;
  d.min_depth = h_min;
  d.cfl = last_dt_ * (speed + std::sqrt(g * std::max(0.0, h.maxCoeff()))) / std::min(dx, dy);
  return d;
}

void swe_jet_state(const SweCgridConfig& c, double speed, int mode, double perturbation, Field& h,
                   Field& u, Field& v) {
  c.validate();
  require(mode >= 1, "--jet-mode must be >= 1 (got {})", mode);
  require(c.f0 != 0.0, "the balanced jet needs --f0 != 0");
  require(std::isfinite(speed) && std::isfinite(perturbation), "jet parameters must be finite");
  const double k = 2.0 * pi * mode / c.ly, dx = c.dx(), dy = c.dy();
  const double amplitude = c.f0 * speed / (c.gravity * k);
  h.resize(c.nx, c.ny);
  u.resize(c.nx, c.ny);
  v = Field::Zero(c.nx, c.ny);
  for (int i = 0; i < c.nx; ++i)
    for (int j = 0; j < c.ny; ++j) {
      const double y = (j + 0.5) * dy, x = (i + 0.5) * dx;
      u(i, j) = speed * std::sin(k * y);
      h(i, j) = c.depth +
                amplitude * std::cos(k * y) * (1.0 + perturbation * std::cos(2.0 * pi * x / c.lx));
    }
}

void swe_adjustment_state(const SweCgridConfig& c, double amplitude, double width, Field& h,
                          Field& u, Field& v) {
  c.validate();
  require(std::isfinite(amplitude) && std::isfinite(width) && width > 0,
          "bump amplitude must be finite and width positive");
  const double dx = c.dx(), dy = c.dy();
  h.resize(c.nx, c.ny);
  u = Field::Zero(c.nx, c.ny);
  v = Field::Zero(c.nx, c.ny);
  for (int i = 0; i < c.nx; ++i)
    for (int j = 0; j < c.ny; ++j) {
      const double x = (i + 0.5) * dx - 0.5 * c.lx, y = (j + 0.5) * dy - 0.5 * c.ly;
      h(i, j) = c.depth + amplitude * std::exp(-(x * x + y * y) / (2 * width * width));
    }
}

void swe_random_state(const SweCgridConfig& c, bool balanced, double amplitude, double alpha,
                      double tau, std::mt19937_64& rng, Field& h, Field& u, Field& v) {
  c.validate();
  require(std::isfinite(amplitude) && amplitude >= 0, "--amplitude must be >= 0 (got {})",
          amplitude);
  require(!balanced || c.f0 != 0.0, "balanced initial states need --f0 != 0");
  GaussianRandomFieldSpectrum spectrum;
  spectrum.alpha = alpha;
  spectrum.tau = tau;
  spectrum.sigma = 1.0;
  Field eta = gaussian_random_field(PeriodicGrid(c.nx, c.ny, c.lx, c.ly), spectrum, rng);
  eta -= eta.mean();
  const double rms = std::sqrt(eta.square().mean());
  if (rms > 0) eta *= amplitude / rms;
  h = eta + c.depth;
  u = Field::Zero(c.nx, c.ny);
  v = Field::Zero(c.nx, c.ny);
  if (!balanced) return;
  // Streamfunction g eta / f0 interpolated to corners; winds as its discrete curl are
  // non-divergent on the C-grid and geostrophic to second order.
  const int nx = c.nx, ny = c.ny;
  Field psi(nx, ny);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const int im = wrap_down(i, nx), jm = wrap_down(j, ny);
      psi(i, j) = 0.25 * c.gravity / c.f0 * (eta(i, j) + eta(im, j) + eta(i, jm) + eta(im, jm));
    }
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      u(i, j) = -(psi(i, wrap_up(j, ny)) - psi(i, j)) / c.dy();
      v(i, j) = (psi(wrap_up(i, nx), j) - psi(i, j)) / c.dx();
    }
}

}  // namespace fieldlab::solvers
