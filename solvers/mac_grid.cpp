#include "solvers/mac_grid.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

const char* to_string(WallKind kind) { return kind == WallKind::no_slip ? "no-slip" : "free-slip"; }

WallKind parse_wall_kind(const std::string& name) {
  if (name == "no-slip" || name == "no_slip") return WallKind::no_slip;
  if (name == "free-slip" || name == "free_slip") return WallKind::free_slip;
  fail(ErrorKind::usage, "unknown wall kind '{}' (expected no-slip or free-slip)", name);
}

MacGrid::MacGrid(int nx_, int ny_, double lx_, double ly_) : nx(nx_), ny(ny_), lx(lx_), ly(ly_) {
  require(nx >= 4 && ny >= 4, "grid resolution must be at least 4 cells per side (got {}x{})", nx,
          ny);
  require(std::isfinite(lx) && lx > 0 && std::isfinite(ly) && ly > 0,
          "domain lengths must be positive and finite (got {} x {})", lx, ly);
}

GhostRule tangential_ghost(const Wall& wall) {
  if (wall.kind == WallKind::free_slip) return {0.0, 1.0};
  return {2.0 * wall.velocity, -1.0};
}

GridSampler GridSampler::u(const MacGrid& g, const WallSet& w, const Field& u) {
  GridSampler s;
  s.field_ = &u;
  s.ax_ = {g.nx + 1, 1.0 / g.dx(), 0.0, false, {}, {}};
  s.ay_ = {g.ny, 1.0 / g.dy(), 0.5, true, tangential_ghost(w.bottom), tangential_ghost(w.top)};
  return s;
}

GridSampler GridSampler::v(const MacGrid& g, const WallSet& w, const Field& v) {
  GridSampler s;
  s.field_ = &v;
  s.ax_ = {g.nx, 1.0 / g.dx(), 0.5, true, tangential_ghost(w.left), tangential_ghost(w.right)};
  s.ay_ = {g.ny + 1, 1.0 / g.dy(), 0.0, false, {}, {}};
  return s;
}

GridSampler GridSampler::cells(const MacGrid& g, const Field& c) {
  GridSampler s;
  s.field_ = &c;
  s.ax_ = {g.nx, 1.0 / g.dx(), 0.5, true, {}, {}};
  s.ay_ = {g.ny, 1.0 / g.dy(), 0.5, true, {}, {}};
  return s;
}

double GridSampler::node(int i, int j) const {
  const int ci = std::clamp(i, 0, ax_.n - 1), cj = std::clamp(j, 0, ay_.n - 1);
  double value = (*field_)(ci, cj);
  if (j < 0) value = ay_.low(value);
  if (j >= ay_.n) value = ay_.high(value);
  if (i < 0) value = ax_.low(value);
  if (i >= ax_.n) value = ax_.high(value);
  return value;
}

void divergence(const MacGrid& g, const Field& u, const Field& v, Field& div) {
  const double idx = 1.0 / g.dx(), idy = 1.0 / g.dy();
#pragma omp parallel for schedule(static)
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j)
      div(i, j) = (u(i + 1, j) - u(i, j)) * idx + (v(i, j + 1) - v(i, j)) * idy;
}

double max_abs_divergence(const MacGrid& g, const Field& u, const Field& v) {
  const double idx = 1.0 / g.dx(), idy = 1.0 / g.dy();
  double m = 0.0;
#pragma omp parallel for schedule(static) reduction(max : m)
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j)
      m = std::max(m, std::abs((u(i + 1, j) - u(i, j)) * idx + (v(i, j + 1) - v(i, j)) * idy));
  return m;
}

void velocity_at_centres(const MacGrid& g, const Field& u, const Field& v, Field& uc, Field& vc) {
#pragma omp parallel for schedule(static)
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j) {
      uc(i, j) = 0.5 * (u(i, j) + u(i + 1, j));
      vc(i, j) = 0.5 * (v(i, j) + v(i, j + 1));
    }
}

double max_cfl_rate(const MacGrid& g, const Field& u, const Field& v) {
  const double idx = 1.0 / g.dx(), idy = 1.0 / g.dy();
  double m = 0.0;
#pragma omp parallel for schedule(static) reduction(max : m)
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j)
      m = std::max(m, std::max(std::abs(u(i, j)), std::abs(u(i + 1, j))) * idx +
                          std::max(std::abs(v(i, j)), std::abs(v(i, j + 1))) * idy);
  return m;
}

void zero_normal_walls(const MacGrid& g, Field& u, Field& v) {
  for (int j = 0; j < g.ny; ++j) u(0, j) = u(g.nx, j) = 0.0;
  for (int i = 0; i < g.nx; ++i) v(i, 0) = v(i, g.ny) = 0.0;
}

}  // namespace fieldlab::solvers
