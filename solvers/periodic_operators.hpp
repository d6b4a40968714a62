#pragma once
// Finite-difference operators on a doubly periodic grid (see periodic_grid.hpp for the layout).
// All loops are OpenMP-parallel over rows; none allocates.

#include "solvers/periodic_grid.hpp"

namespace fieldlab::solvers {

enum class DifferenceOrder { second = 2, fourth = 4 };

// Arakawa (1966) Jacobian J(a, b) = a_x b_y - a_y b_x: the average of the three second-order
// forms J++, J+x, Jx+, which conserves sum J, sum a J and sum b J exactly (energy and enstrophy
// of the semi-discrete vorticity equation).
void arakawa_jacobian(const PeriodicGrid& grid, const Field& a, const Field& b, Field& out);

// Central-difference Laplacian of the given order.
void laplacian(const PeriodicGrid& grid, const Field& f, Field& out,
               DifferenceOrder order = DifferenceOrder::second);

// Velocity of a streamfunction with the convention u = d(psi)/dy, v = -d(psi)/dx (so that
// laplacian(psi) = -vorticity), by second-order central differences.
void velocity_from_streamfunction(const PeriodicGrid& grid, const Field& psi, Field& u, Field& v);

// du/dx + dv/dy by second-order central differences.
void divergence(const PeriodicGrid& grid, const Field& u, const Field& v, Field& out);

// The three Arakawa terms at one point, for fused kernels. Rows a0/b0 are row i, am/bm row i-1,
// ap/bp row i+1; jm, j, jp are the wrapped column indices. Returns 12 dx dy J(a, b).
inline double arakawa_point_scaled(const double* am, const double* a0, const double* ap,
                                   const double* bm, const double* b0, const double* bp, int jm,
                                   int j, int jp) {
  const double jpp = (ap[j] - am[j]) * (b0[jp] - b0[jm]) - (a0[jp] - a0[jm]) * (bp[j] - bm[j]);
  const double jpx = ap[j] * (bp[jp] - bp[jm]) - am[j] * (bm[jp] - bm[jm]) -
                     a0[jp] * (bp[jp] - bm[jp]) + a0[jm] * (bp[jm] - bm[jm]);
  const double jxp = b0[jp] * (ap[jp] - am[jp]) - b0[jm] * (ap[jm] - am[jm]) -
                     bp[j] * (ap[jp] - ap[jm]) + bm[j] * (am[jp] - am[jm]);
  return jpp + jpx + jxp;
}

// Calls body(jm, j, jp) for every column j of a periodic row: the interior as a plain loop the
// compiler can vectorise, then the two wrapped ends.
template <typename Body>
inline void for_each_periodic_column(int ny, Body&& body) {
  for (int j = 1; j < ny - 1; ++j) body(j - 1, j, j + 1);
  body(ny - 1, 0, 1);
  body(ny - 2, ny - 1, 0);
}

inline int wrap(int i, int n) { return i < 0 ? i + n : (i >= n ? i - n : i); }

}  // namespace fieldlab::solvers
