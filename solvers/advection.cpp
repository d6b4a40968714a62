#include "solvers/advection.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::solvers {

const char* to_string(AdvectionScheme scheme) {
  return scheme == AdvectionScheme::semi_lagrangian ? "semi-lagrangian" : "maccormack";
}

AdvectionScheme parse_advection_scheme(const std::string& name) {
  if (name == "semi-lagrangian" || name == "semi_lagrangian" || name == "sl")
    return AdvectionScheme::semi_lagrangian;
  if (name == "maccormack") return AdvectionScheme::maccormack;
  fail(ErrorKind::usage, "unknown advection scheme '{}' (expected semi-lagrangian or maccormack)",
       name);
}

namespace {

// The nodes of one gridded quantity: node (i, j) sits at ((i + ox) dx, (j + oy) dy); the pass
// updates i in [i_begin, i_end), j in [j_begin, j_end) (wall-normal faces are left alone).
enum class NodeKind { u_face, v_face, cell };
struct NodeSet {
  NodeKind kind;
  double ox, oy;
  int i_begin, i_end, j_begin, j_end;
};

// The face velocity at node (i, j) itself, read from the arrays rather than interpolated: the
// departure point's first stage needs no search (u on a u face, the four-face mean of v, ...).
inline void node_velocity(NodeKind kind, const Field& u, const Field& v, int i, int j,
                          const GridSampler& U, const GridSampler& V, double x, double y,
                          double& un, double& vn) {
  switch (kind) {
    case NodeKind::u_face:
      un = u(i, j);
      vn = V(x, y);  // bilinear = mean of the four surrounding v faces (ghosts on walls)
      return;
    case NodeKind::v_face:
      un = U(x, y);
      vn = v(i, j);
      return;
    case NodeKind::cell:
      un = 0.5 * (u(i, j) + u(i + 1, j));
      vn = 0.5 * (v(i, j) + v(i, j + 1));
      return;
  }
}

// out(node) = src(departure point of node over step h), h = +dt traces back, -dt forwards.
// lo / hi (optional) receive the range of the interpolation stencil, for the limiter.
void lagrangian_pass(const MacGrid& g, const GridSampler& src, const Field& u, const Field& v,
                     const GridSampler& U, const GridSampler& V, double h, const NodeSet& nodes,
                     Field& out, Field* lo, Field* hi) {
  const double dx = g.dx(), dy = g.dy();
#pragma omp parallel for schedule(static)
  for (int i = nodes.i_begin; i < nodes.i_end; ++i)
    for (int j = nodes.j_begin; j < nodes.j_end; ++j) {
      const double x = (i + nodes.ox) * dx, y = (j + nodes.oy) * dy;
      double un, vn;
      node_velocity(nodes.kind, u, v, i, j, U, V, x, y, un, vn);
      // Midpoint rule for the characteristic: second-order accurate departure point.
      const double xm = x - 0.5 * h * un, ym = y - 0.5 * h * vn;
      const double xd = x - h * U(xm, ym), yd = y - h * V(xm, ym);
      if (lo) {
        double a, b;
        out(i, j) = src.sample(xd, yd, a, b);
        (*lo)(i, j) = a;
        (*hi)(i, j) = b;
      } else {
        out(i, j) = src(xd, yd);
      }
    }
}

// MacCormack correction: out = hat + (orig - bar) / 2, optionally clamped to [lo, hi].
// `bar` arrives in `out` and is overwritten.
void maccormack_correct(const NodeSet& nodes, const Field& orig, const Field& hat, const Field& lo,
                        const Field& hi, bool limiter, Field& out) {
#pragma omp parallel for schedule(static)
  for (int i = nodes.i_begin; i < nodes.i_end; ++i)
    for (int j = nodes.j_begin; j < nodes.j_end; ++j) {
      double value = hat(i, j) + 0.5 * (orig(i, j) - out(i, j));
      if (limiter) value = std::clamp(value, lo(i, j), hi(i, j));
      out(i, j) = value;
    }
}

}  // namespace

Advector::Advector(const MacGrid& grid, const WallSet& walls, AdvectionScheme scheme, bool limiter)
    : grid_(grid), walls_(walls), scheme_(scheme), limiter_(limiter) {
  if (scheme_ == AdvectionScheme::maccormack) {
    c_hat_ = c_lo_ = c_hi_ = grid.cells();
    u_hat_ = u_lo_ = u_hi_ = grid.u_faces();
    v_hat_ = v_lo_ = v_hi_ = grid.v_faces();
  }
}

void Advector::advect_cells(const Field& c, const Field& u, const Field& v, double dt, Field& out) {
  const MacGrid& g = grid_;
  const GridSampler U = GridSampler::u(g, walls_, u), V = GridSampler::v(g, walls_, v);
  const NodeSet nodes{NodeKind::cell, 0.5, 0.5, 0, g.nx, 0, g.ny};
  if (scheme_ == AdvectionScheme::semi_lagrangian) {
    lagrangian_pass(g, GridSampler::cells(g, c), u, v, U, V, dt, nodes, out, nullptr, nullptr);
    return;
  }
  lagrangian_pass(g, GridSampler::cells(g, c), u, v, U, V, dt, nodes, c_hat_, &c_lo_, &c_hi_);
  lagrangian_pass(g, GridSampler::cells(g, c_hat_), u, v, U, V, -dt, nodes, out, nullptr, nullptr);
  maccormack_correct(nodes, c, c_hat_, c_lo_, c_hi_, limiter_, out);
}

void Advector::advect_velocity(const Field& u, const Field& v, double dt, Field& u_out,
                               Field& v_out) {
  const MacGrid& g = grid_;
  const GridSampler U = GridSampler::u(g, walls_, u), V = GridSampler::v(g, walls_, v);
  const NodeSet u_nodes{NodeKind::u_face, 0.0, 0.5, 1, g.nx, 0, g.ny};
  const NodeSet v_nodes{NodeKind::v_face, 0.5, 0.0, 0, g.nx, 1, g.ny};
  zero_normal_walls(g, u_out, v_out);
  if (scheme_ == AdvectionScheme::semi_lagrangian) {
    lagrangian_pass(g, U, u, v, U, V, dt, u_nodes, u_out, nullptr, nullptr);
    lagrangian_pass(g, V, u, v, U, V, dt, v_nodes, v_out, nullptr, nullptr);
    return;
  }
  zero_normal_walls(g, u_hat_, v_hat_);
  lagrangian_pass(g, U, u, v, U, V, dt, u_nodes, u_hat_, &u_lo_, &u_hi_);
  lagrangian_pass(g, V, u, v, U, V, dt, v_nodes, v_hat_, &v_lo_, &v_hi_);
  lagrangian_pass(g, GridSampler::u(g, walls_, u_hat_), u, v, U, V, -dt, u_nodes, u_out, nullptr,
                  nullptr);
  lagrangian_pass(g, GridSampler::v(g, walls_, v_hat_), u, v, U, V, -dt, v_nodes, v_out, nullptr,
                  nullptr);
  maccormack_correct(u_nodes, u, u_hat_, u_lo_, u_hi_, limiter_, u_out);
  maccormack_correct(v_nodes, v, v_hat_, v_lo_, v_hi_, limiter_, v_out);
}

}  // namespace fieldlab::solvers
