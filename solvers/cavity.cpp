#include "solvers/cavity.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "solvers/cavity_reference.hpp"

namespace fieldlab::solvers {

void CavityConfig::validate() const {
  require(std::isfinite(reynolds) && reynolds > 0, "--re must be positive (got {})", reynolds);
  require(resolution >= 8 && resolution <= 4096, "--resolution must be in [8, 4096] (got {})",
          resolution);
  require(std::isfinite(cfl) && cfl > 0 && cfl <= 4, "--cfl must be in (0, 4] (got {})", cfl);
  require(std::isfinite(tolerance) && tolerance > 0, "--tolerance must be positive (got {})",
          tolerance);
  require(std::isfinite(max_time) && max_time > 0, "--max-time must be positive (got {})",
          max_time);
  require(check_every >= 1, "check interval must be >= 1 (got {})", check_every);
}

double CavityConfig::time_step() const {
  // The advective CFL number for the lid speed alone. Explicit diffusion takes substeps when this
  // step exceeds its limit dx^2 / (4 nu) (low Re, fine grids): fewer advection steps per unit
  // time means fewer interpolations, and the interpolation error is what limits accuracy.
  return cfl / resolution;
}

namespace {
IncompressibleConfig cavity_flow(const CavityConfig& c) {
  c.validate();
  IncompressibleConfig f;
  f.nx = f.ny = c.resolution;
  f.lx = f.ly = 1.0;
  f.walls = WallSet::lid_driven(1.0);
  f.viscosity = 1.0 / c.reynolds;
  f.scheme = c.scheme;
  f.limiter = true;
  f.scalar = false;
  return f;
}
}  // namespace

LidDrivenCavity::LidDrivenCavity(const CavityConfig& config)
    : config_(config),
      solver_(std::make_unique<IncompressibleMacSolver>(cavity_flow(config))),
      u_previous_(solver_->grid().u_faces()),
      v_previous_(solver_->grid().v_faces()) {}

CavityResult LidDrivenCavity::run(const std::function<bool(double, double)>& monitor,
                                  const StopToken& stop) {
  CavityResult result;
  const double dt = config_.time_step();
  result.dt = dt;
  IncompressibleMacSolver& s = *solver_;
  const long long max_steps = static_cast<long long>(std::ceil(config_.max_time / dt));
  while (s.steps() < max_steps) {
    const bool check = (s.steps() + 1) % config_.check_every == 0;
    if (check) {
      u_previous_ = s.u();  // same shape: a copy, no allocation
      v_previous_ = s.v();
    }
    s.step(dt);
    if (!check) continue;
    const double change =
        std::max((s.u() - u_previous_).abs().maxCoeff(), (s.v() - v_previous_).abs().maxCoeff());
    result.residual = change / dt;
    result.history_time.push_back(s.time());
    result.history_residual.push_back(result.residual);
    if (result.residual < config_.tolerance) {
      result.converged = true;
      break;
    }
    if ((monitor && !monitor(s.time(), result.residual)) || stop.stop_requested()) break;
  }
  result.time = s.time();
  result.steps = s.steps();
  result.max_divergence = max_abs_divergence(s.grid(), s.u(), s.v());
  return result;
}

double LidDrivenCavity::u_at(double x, double y) const {
  const auto& s = *solver_;
  return GridSampler::u(s.grid(), s.config().walls, s.u())(x, y);
}

double LidDrivenCavity::v_at(double x, double y) const {
  const auto& s = *solver_;
  return GridSampler::v(s.grid(), s.config().walls, s.v())(x, y);
}

void LidDrivenCavity::node_fields(Field& un, Field& vn, Field& pn, Field& psi, Field& omega) const {
  const auto& s = *solver_;
  const MacGrid& g = s.grid();
  const WallSet& w = s.config().walls;
  const Field& u = s.u();
  const Field& v = s.v();
  const int n = g.nx;
  const double dx = g.dx(), dy = g.dy();
  un = vn = pn = psi = omega = Field::Zero(n + 1, n + 1);
  const GhostRule u_bottom = tangential_ghost(w.bottom), u_top = tangential_ghost(w.top);
  const GhostRule v_left = tangential_ghost(w.left), v_right = tangential_ghost(w.right);
  Field pressure = s.pressure_potential() / config_.time_step();
  pressure -= pressure.mean();
  const GridSampler p_sampler = GridSampler::cells(g, pressure);
#pragma omp parallel for schedule(static)
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j) {
      // u on the node: mean of the faces above and below, the wall speed on bottom/top walls
      // (the side walls win at the two top corners, where the lid speed is discontinuous).
      if (i == 0 || i == n)
        un(i, j) = 0.0;
      else if (j == 0)
        un(i, j) = w.bottom.velocity;
      else if (j == n)
        un(i, j) = w.top.velocity;
      else
        un(i, j) = 0.5 * (u(i, j - 1) + u(i, j));
      if (j == 0 || j == n)
        vn(i, j) = 0.0;
      else if (i == 0)
        vn(i, j) = w.left.velocity;
      else if (i == n)
        vn(i, j) = w.right.velocity;
      else
        vn(i, j) = 0.5 * (v(i - 1, j) + v(i, j));
      pn(i, j) = p_sampler(i * dx, j * dy);
      const double v_east = i < n ? v(i, j) : v_right(v(n - 1, j));
      const double v_west = i > 0 ? v(i - 1, j) : v_left(v(0, j));
      const double u_north = j < n ? u(i, j) : u_top(u(i, n - 1));
      const double u_south = j > 0 ? u(i, j - 1) : u_bottom(u(i, 0));
      omega(i, j) = (v_east - v_west) / dx - (u_north - u_south) / dy;
    }
    // psi_y = u along each x-face column, starting from psi = 0 on the bottom wall.
#pragma omp parallel for schedule(static)
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j < n; ++j) psi(i, j + 1) = psi(i, j) + u(i, j) * dy;
}

GhiaDeviation ghia_deviation(const LidDrivenCavity& cavity) {
  GhiaDeviation d;
  const double re = cavity.config().reynolds;
  const bool re100 = re == 100.0, re1000 = re == 1000.0;
  if (!re100 && !re1000) return d;
  const auto& u_ref = re100 ? ghia::kU100 : ghia::kU1000;
  const auto& v_ref = re100 ? ghia::kV100 : ghia::kV1000;
  d.u = d.v = 0.0;
  for (size_t k = 0; k < ghia::kY.size(); ++k) {
    d.u = std::max(d.u, std::abs(cavity.u_at(0.5, ghia::kY[k]) - u_ref[k]));
    d.v = std::max(d.v, std::abs(cavity.v_at(ghia::kX[k], 0.5) - v_ref[k]));
  }
  return d;
}

}  // namespace fieldlab::solvers
