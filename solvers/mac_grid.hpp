#pragma once
// Staggered (MAC) grid on a closed rectangular box [0, lx] x [0, ly] with nx x ny cells.
//   pressure and scalars: cell centres ((i + 1/2) dx, (j + 1/2) dy), arrays (nx, ny);
//   u (x velocity):        x faces   (i dx, (j + 1/2) dy),         arrays (nx + 1, ny);
//   v (y velocity):        y faces   ((i + 1/2) dx, j dy),         arrays (nx, ny + 1).
// Faces i = 0, nx of u and j = 0, ny of v lie on the walls and always hold zero (closed box).
// Arrays are the row-major solvers::Field indexed [x, y], as everywhere in fieldlab.
//
// The walls set the tangential velocity through ghost values one half cell outside the wall:
// no-slip with wall speed U puts 2 U - (interior value) there, so linear interpolation gives
// exactly U on the wall; free-slip mirrors the interior value (zero shear stress).

#include <algorithm>
#include <string>

#include "solvers/periodic_grid.hpp"

namespace fieldlab::solvers {

enum class WallKind { no_slip, free_slip };
const char* to_string(WallKind kind);
WallKind parse_wall_kind(const std::string& name);

struct Wall {
  WallKind kind = WallKind::no_slip;
  double velocity = 0.0;  // tangential wall speed (+x on bottom/top, +y on left/right walls)
};

struct WallSet {
  Wall left, right, bottom, top;
  static WallSet closed_box() { return {}; }
  static WallSet lid_driven(double lid_speed) {
    WallSet w;
    w.top.velocity = lid_speed;
    return w;
  }
};

struct MacGrid {
  int nx = 0, ny = 0;
  double lx = 1.0, ly = 1.0;

  MacGrid() = default;
  MacGrid(int nx_, int ny_, double lx_, double ly_);  // validates

  double dx() const { return lx / nx; }
  double dy() const { return ly / ny; }
  double xc(int i) const { return (i + 0.5) * dx(); }  // cell centre
  double yc(int j) const { return (j + 0.5) * dy(); }
  double cell_area() const { return dx() * dy(); }
  Field cells() const { return Field::Zero(nx, ny); }
  Field u_faces() const { return Field::Zero(nx + 1, ny); }
  Field v_faces() const { return Field::Zero(nx, ny + 1); }
};

// Value of a ghost node from the interior node it mirrors: offset + sign * interior.
struct GhostRule {
  double offset = 0.0;
  double sign = 1.0;
  double operator()(double interior) const { return offset + sign * interior; }
};
GhostRule tangential_ghost(const Wall& wall);

// One gridded quantity (u, v or a cell-centred scalar) with what bilinear interpolation needs:
// where its nodes sit and how to extend it past the walls. Sampling clamps the point into the
// box first, so a departure point traced through a wall takes the wall's value.
class GridSampler {
 public:
  static GridSampler u(const MacGrid& grid, const WallSet& walls, const Field& u);
  static GridSampler v(const MacGrid& grid, const WallSet& walls, const Field& v);
  // Cell-centred scalar with zero-gradient (Neumann) walls.
  static GridSampler cells(const MacGrid& grid, const Field& c);

  double operator()(double x, double y) const { return interpolate<false>(x, y, nullptr, nullptr); }
  // Also returns the smallest and largest of the four nodes used (for MacCormack's limiter).
  double sample(double x, double y, double& lo, double& hi) const {
    return interpolate<true>(x, y, &lo, &hi);
  }

 private:
  struct Axis {
    int n = 0;            // nodes along the axis
    double inv_h = 1.0;   // 1 / spacing
    double offset = 0.0;  // node k sits at (k + offset) h
    bool ghosts = false;  // half-offset nodes: a ghost node at -1 and n
    GhostRule low, high;
  };

  // Lower node index and weight of the upper node along one axis, with the point clamped into
  // the box (walls at f = -1/2 and n - 1/2 for half-offset nodes, at the end nodes otherwise).
  // Inline and without std::floor: this is the innermost loop of every advection step.
  static void locate(const Axis& a, double position, int& i0, double& t) {
    double f = position * a.inv_h - a.offset;
    if (a.ghosts) {
      f = std::clamp(f, -0.5, a.n - 0.5);
      i0 = std::min(static_cast<int>(f + 1.0) - 1, a.n - 1);  // floor, as f > -1
    } else {
      f = std::clamp(f, 0.0, static_cast<double>(a.n - 1));
      i0 = std::min(static_cast<int>(f), a.n - 2);
    }
    t = f - i0;
  }

  template <bool kRange>
  double interpolate(double x, double y, double* lo, double* hi) const {
    int i0, j0;
    double tx, ty;
    locate(ax_, x, i0, tx);
    locate(ay_, y, j0, ty);
    double a, b, c, d;
    if (i0 >= 0 && i0 + 1 < ax_.n && j0 >= 0 && j0 + 1 < ay_.n) {  // no ghost logic needed
      const double* row0 = field_->data() + static_cast<Eigen::Index>(i0) * ay_.n + j0;
      const double* row1 = row0 + ay_.n;
      a = row0[0];
      c = row0[1];
      b = row1[0];
      d = row1[1];
    } else {
      a = node(i0, j0);
      b = node(i0 + 1, j0);
      c = node(i0, j0 + 1);
      d = node(i0 + 1, j0 + 1);
    }
    if constexpr (kRange) {
      *lo = std::min(std::min(a, b), std::min(c, d));
      *hi = std::max(std::max(a, b), std::max(c, d));
    }
    return (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
  }
  double node(int i, int j) const;

  const Field* field_ = nullptr;
  Axis ax_, ay_;
};

// Cell divergence (u(i+1,j) - u(i,j)) / dx + (v(i,j+1) - v(i,j)) / dy.
void divergence(const MacGrid& grid, const Field& u, const Field& v, Field& div);
double max_abs_divergence(const MacGrid& grid, const Field& u, const Field& v);
// Velocity averaged to cell centres (the two faces of each cell).
void velocity_at_centres(const MacGrid& grid, const Field& u, const Field& v, Field& uc, Field& vc);
// Largest |u| / dx + |v| / dy over the faces (advective CFL number per unit time step).
double max_cfl_rate(const MacGrid& grid, const Field& u, const Field& v);
// Sets the wall-normal faces to zero.
void zero_normal_walls(const MacGrid& grid, Field& u, Field& v);

}  // namespace fieldlab::solvers
