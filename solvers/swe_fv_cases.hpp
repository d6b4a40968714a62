#pragma once
// Initial states of the finite-volume shallow-water verification and data cases, and the
// planar dam break's comparison with its exact solution.

#include "solvers/swe_exact.hpp"
#include "solvers/swe_fv.hpp"

namespace fieldlab::solvers {

// PDEBench's radial dam break: h = h_in where sqrt((x - cx)^2 + (y - cy)^2) <= radius (at cell
// centres), h_out elsewhere; still water.
Field radial_dam_break_depth(const FvSweSolver& solver, double radius, double h_in, double h_out,
                             double cx = 0.0, double cy = 0.0);

// Planar dam at x = x_dam: h_left for x < x_dam, h_right otherwise.
Field planar_dam_break_depth(const FvSweSolver& solver, double h_left, double h_right,
                             double x_dam = 0.0);

// Gaussian bump z = amplitude exp(-decay r^2) (the lake-at-rest bottom: 0.2 exp(-100 r^2)).
Field gaussian_bump(const FvSweSolver& solver, double amplitude, double decay, double cx = 0.0,
                    double cy = 0.0);

// Lake at rest over bottom z with free surface level: h = max(0, level - z).
Field lake_at_rest_depth(const Field& z, double level);

// Errors of a planar dam break (dam at x = 0, still water h_left | h_right at t = 0, uniform in y)
// against the exact Stoker (wet bed) or Ritter (dry bed) solution at the solver's current time,
// along the first row of cells: L1 = sum_i |e_i| dx, L2 = sqrt(sum_i e_i^2 dx) over the x extent.
// With the deep side on the right (h_left < h_right) the exact solution is mirrored. Throws a
// usage Error for depths without an exact solution (see dam_break_structure).
struct DamBreakErrors {
  double l1_h = 0, l1_u = 0;
  double l2_h = 0, l2_u = 0;
  DamBreakStructure structure;  // the exact waves with the deep side on the left
  bool mirrored = false;        // h_left < h_right: x and u of the structure flip sign
};
// h_exact and u_exact, when given, receive the exact depth and velocity on the solver's grid.
DamBreakErrors dam_break_errors(const FvSweSolver& solver, double h_left, double h_right,
                                Field* h_exact = nullptr, Field* u_exact = nullptr);

}  // namespace fieldlab::solvers
