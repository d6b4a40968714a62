#include "solvers/incompressible_mac.hpp"

#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "solvers/grid_guard.hpp"

namespace fieldlab::solvers {

void IncompressibleConfig::validate() const {
  require(nx >= 4 && ny >= 4, "--resolution must be at least 4 (got {}x{})", nx, ny);
  require(std::isfinite(lx) && lx > 0 && std::isfinite(ly) && ly > 0,
          "--length must be positive and finite (got {} x {})", lx, ly);
  require(std::isfinite(viscosity) && viscosity >= 0, "--viscosity must be >= 0 (got {})",
          viscosity);
  require(std::isfinite(buoyancy_x) && std::isfinite(buoyancy_y), "buoyancy must be finite");
  for (const Wall* w : {&walls.left, &walls.right, &walls.bottom, &walls.top})
    require(std::isfinite(w->velocity), "wall velocity must be finite");
}

IncompressibleMacSolver::IncompressibleMacSolver(const IncompressibleConfig& config)
    // 6 fields here, 2 in the projection, ~2 for the Poisson transforms, ~4 advection temporaries.
    : config_((config.validate(), check_grid_memory("MAC-grid flow", config.nx, config.ny, 14),
               config)),
      grid_(config.nx, config.ny, config.lx, config.ly),
      advector_(grid_, config.walls, config.scheme, config.limiter),
      projection_(grid_),
      u_(grid_.u_faces()),
      v_(grid_.v_faces()),
      s_(config.scalar ? grid_.cells() : Field()),
      u_work_(grid_.u_faces()),
      v_work_(grid_.v_faces()),
      s_work_(config.scalar ? grid_.cells() : Field()) {}

int IncompressibleMacSolver::diffusion_substeps(double dt) const {
  const double number =
      config_.viscosity * dt * (2.0 / (grid_.dx() * grid_.dx()) + 2.0 / (grid_.dy() * grid_.dy()));
  return number <= 1.0 ? 1 : static_cast<int>(std::ceil(number));
}

void IncompressibleMacSolver::step(double dt) {
  require(std::isfinite(dt) && dt > 0, "time step must be positive (got {})", dt);
  if (config_.scalar) {
    advector_.advect_cells(s_, u_, v_, dt, s_work_);
    s_ = s_work_;  // copied, not swapped: the state arrays never move (zero-copy views stay valid)
  }
  advector_.advect_velocity(u_, v_, dt, u_work_, v_work_);
  u_ = u_work_;
  v_ = v_work_;
  if (config_.scalar && (config_.buoyancy_x != 0.0 || config_.buoyancy_y != 0.0)) add_buoyancy(dt);
  if (config_.viscosity > 0) diffuse(dt);
  projection_.project(u_, v_);
  time_ += dt;
  ++steps_;
  // The DCT spreads a NaN or Inf anywhere in the divergence to every output value, so two
  // entries of the potential check the whole velocity field at no cost.
  const Field& phi = projection_.potential();
  if (!std::isfinite(phi(0, 0)) || !std::isfinite(phi(grid_.nx - 1, grid_.ny - 1)) ||
      (config_.scalar && !std::isfinite(s_(grid_.nx / 2, grid_.ny / 2))))
    fail(ErrorKind::numerical,
         "incompressible solver: state not finite after step {} (t = {}, dt = {}); reduce dt",
         steps_, time_, dt);
}

void IncompressibleMacSolver::project() { projection_.project(u_, v_); }

void IncompressibleMacSolver::add_buoyancy(double dt) {
  const MacGrid& g = grid_;
  const double fx = dt * config_.buoyancy_x, fy = dt * config_.buoyancy_y;
  const Field& s = s_;
  if (fx != 0.0) {
#pragma omp parallel for schedule(static)
    for (int i = 1; i < g.nx; ++i)
      for (int j = 0; j < g.ny; ++j) u_(i, j) += fx * 0.5 * (s(i - 1, j) + s(i, j));
  }
  if (fy != 0.0) {
#pragma omp parallel for schedule(static)
    for (int i = 0; i < g.nx; ++i)
      for (int j = 1; j < g.ny; ++j) v_(i, j) += fy * 0.5 * (s(i, j - 1) + s(i, j));
  }
}

void IncompressibleMacSolver::diffuse(double dt) {
  const MacGrid& g = grid_;
  const int substeps = diffusion_substeps(dt);
  const double h = dt / substeps;
  const double cx = config_.viscosity * h / (g.dx() * g.dx());
  const double cy = config_.viscosity * h / (g.dy() * g.dy());
  const GhostRule u_bottom = tangential_ghost(config_.walls.bottom);
  const GhostRule u_top = tangential_ghost(config_.walls.top);
  const GhostRule v_left = tangential_ghost(config_.walls.left);
  const GhostRule v_right = tangential_ghost(config_.walls.right);
  const int nx = g.nx, ny = g.ny;
  for (int sub = 0; sub < substeps; ++sub) {
    const Field& u = u_;
    const Field& v = v_;
    Field& uo = u_work_;
    Field& vo = v_work_;
#pragma omp parallel for schedule(static)
    for (int i = 1; i < nx; ++i)
      for (int j = 0; j < ny; ++j) {
        const double c = u(i, j);
        const double below = j > 0 ? u(i, j - 1) : u_bottom(c);
        const double above = j < ny - 1 ? u(i, j + 1) : u_top(c);
        uo(i, j) = c + cx * (u(i + 1, j) - 2 * c + u(i - 1, j)) + cy * (above - 2 * c + below);
      }
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nx; ++i)
      for (int j = 1; j < ny; ++j) {
        const double c = v(i, j);
        const double left = i > 0 ? v(i - 1, j) : v_left(c);
        const double right = i < nx - 1 ? v(i + 1, j) : v_right(c);
        vo(i, j) = c + cx * (right - 2 * c + left) + cy * (v(i, j + 1) - 2 * c + v(i, j - 1));
      }
    zero_normal_walls(g, uo, vo);
    u_ = u_work_;
    v_ = v_work_;
  }
}

}  // namespace fieldlab::solvers
