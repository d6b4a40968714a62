#include "solvers/swe_fv_cases.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

Field radial_dam_break_depth(const FvSweSolver& solver, double radius, double h_in, double h_out,
                             double cx, double cy) {
  require(std::isfinite(radius) && radius > 0, "dam radius must be positive (got {})", radius);
  require(std::isfinite(h_in) && h_in >= 0 && std::isfinite(h_out) && h_out >= 0,
          "dam-break depths must be >= 0 (got {} inside, {} outside)", h_in, h_out);
  Field h(solver.nx(), solver.ny());
  for (int i = 0; i < solver.nx(); ++i)
    for (int j = 0; j < solver.ny(); ++j) {
      const double dx = solver.x(i) - cx, dy = solver.y(j) - cy;
      h(i, j) = std::sqrt(dx * dx + dy * dy) <= radius ? h_in : h_out;
    }
  return h;
}

Field planar_dam_break_depth(const FvSweSolver& solver, double h_left, double h_right,
                             double x_dam) {
  require(std::isfinite(h_left) && h_left >= 0 && std::isfinite(h_right) && h_right >= 0,
          "dam-break depths must be >= 0 (got {} left, {} right)", h_left, h_right);
  Field h(solver.nx(), solver.ny());
  for (int i = 0; i < solver.nx(); ++i)
    h.row(i).setConstant(solver.x(i) < x_dam ? h_left : h_right);
  return h;
}

Field gaussian_bump(const FvSweSolver& solver, double amplitude, double decay, double cx,
                    double cy) {
  Field z(solver.nx(), solver.ny());
  for (int i = 0; i < solver.nx(); ++i)
    for (int j = 0; j < solver.ny(); ++j) {
      const double dx = solver.x(i) - cx, dy = solver.y(j) - cy;
      z(i, j) = amplitude * std::exp(-decay * (dx * dx + dy * dy));
    }
  return z;
}

Field lake_at_rest_depth(const Field& z, double level) { return (level - z).max(0.0); }

DamBreakErrors dam_break_errors(const FvSweSolver& solver, double h_left, double h_right,
                                Field* h_exact, Field* u_exact) {
  DamBreakErrors e;
  e.mirrored = h_left < h_right;
  e.structure = dam_break_structure(std::max(h_left, h_right), std::min(h_left, h_right),
                                    solver.config().gravity);
  Field h, u, v;
  solver.depth(h);
  solver.velocity(u, v);
  const int nx = solver.nx(), ny = solver.ny();
  if (h_exact) h_exact->resize(nx, ny);
  if (u_exact) u_exact->resize(nx, ny);
  const double t = solver.time(), dx = solver.dx();
  for (int i = 0; i < nx; ++i) {
    double he, ue;
    dam_break_exact(e.structure, e.mirrored ? -solver.x(i) : solver.x(i), t, he, ue);
    if (e.mirrored) ue = -ue;
    if (h_exact) h_exact->row(i).setConstant(he);
    if (u_exact) u_exact->row(i).setConstant(ue);
    const double dh = h(i, 0) - he, du = u(i, 0) - ue;
    e.l1_h += std::abs(dh) * dx;
    e.l1_u += std::abs(du) * dx;
    e.l2_h += dh * dh * dx;
    e.l2_u += du * du * dx;
  }
  e.l2_h = std::sqrt(e.l2_h);
  e.l2_u = std::sqrt(e.l2_u);
  return e;
}

}  // namespace fieldlab::solvers
