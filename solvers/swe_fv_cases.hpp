#pragma once
// Initial states of the finite-volume shallow-water verification and data cases.

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

}  // namespace fieldlab::solvers
