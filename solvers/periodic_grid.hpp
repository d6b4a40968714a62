#pragma once
// Uniform doubly periodic grid. Values live at nodes x_i = i * dx, i = 0..nx-1 (the periodic
// image of x = lx is node 0). Fields are row-major (nx, ny): index [i, j] -> i * ny + j, so the
// y index is contiguous, matching the on-disk [x, y] order.

#include <Eigen/Core>

namespace fieldlab::solvers {

using Field = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct PeriodicGrid {
  int nx = 0;
  int ny = 0;
  double lx = 1.0;
  double ly = 1.0;

  PeriodicGrid() = default;
  PeriodicGrid(int nx_, int ny_, double lx_, double ly_);  // validates sizes and lengths

  double dx() const { return lx / nx; }
  double dy() const { return ly / ny; }
  double x(int i) const { return i * dx(); }
  double y(int j) const { return j * dy(); }
  long long size() const { return static_cast<long long>(nx) * ny; }
  double cell_area() const { return dx() * dy(); }
  Field zeros() const { return Field::Zero(nx, ny); }
};

}  // namespace fieldlab::solvers
