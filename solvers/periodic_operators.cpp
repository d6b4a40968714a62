#include "solvers/periodic_operators.hpp"

namespace fieldlab::solvers {

void arakawa_jacobian(const PeriodicGrid& grid, const Field& a, const Field& b, Field& out) {
  const int nx = grid.nx, ny = grid.ny;
  const double scale = 1.0 / (12.0 * grid.dx() * grid.dy());
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nx; ++i) {
    const int im = wrap(i - 1, nx), ip = wrap(i + 1, nx);
    const double *am = &a(im, 0), *a0 = &a(i, 0), *ap = &a(ip, 0);
    const double *bm = &b(im, 0), *b0 = &b(i, 0), *bp = &b(ip, 0);
    double* o = &out(i, 0);
    for_each_periodic_column(ny, [&](int jm, int j, int jp) {
      o[j] = scale * arakawa_point_scaled(am, a0, ap, bm, b0, bp, jm, j, jp);
    });
  }
}

void laplacian(const PeriodicGrid& grid, const Field& f, Field& out, DifferenceOrder order) {
  const int nx = grid.nx, ny = grid.ny;
  const double idx2 = 1.0 / (grid.dx() * grid.dx()), idy2 = 1.0 / (grid.dy() * grid.dy());
  if (order == DifferenceOrder::second) {
#pragma omp parallel for schedule(static)
    for (int i = 0; i < nx; ++i) {
      const double *fm = &f(wrap(i - 1, nx), 0), *f0 = &f(i, 0), *fp = &f(wrap(i + 1, nx), 0);
      double* o = &out(i, 0);
      for_each_periodic_column(ny, [&](int jm, int j, int jp) {
        o[j] = (fp[j] - 2.0 * f0[j] + fm[j]) * idx2 + (f0[jp] - 2.0 * f0[j] + f0[jm]) * idy2;
      });
    }
    return;
  }
  const double cx = idx2 / 12.0, cy = idy2 / 12.0;
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nx; ++i) {
    const double *fmm = &f(wrap(i - 2, nx), 0), *fm = &f(wrap(i - 1, nx), 0), *f0 = &f(i, 0);
    const double *fp = &f(wrap(i + 1, nx), 0), *fpp = &f(wrap(i + 2, nx), 0);
    double* o = &out(i, 0);
    for (int j = 0; j < ny; ++j) {
      const int jmm = wrap(j - 2, ny), jm = wrap(j - 1, ny), jp = wrap(j + 1, ny),
                jpp = wrap(j + 2, ny);
      o[j] = cx * (-fpp[j] + 16.0 * fp[j] - 30.0 * f0[j] + 16.0 * fm[j] - fmm[j]) +
             cy * (-f0[jpp] + 16.0 * f0[jp] - 30.0 * f0[j] + 16.0 * f0[jm] - f0[jmm]);
    }
  }
}

void velocity_from_streamfunction(const PeriodicGrid& grid, const Field& psi, Field& u, Field& v) {
  const int nx = grid.nx, ny = grid.ny;
  const double h2x = 0.5 / grid.dx(), h2y = 0.5 / grid.dy();
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nx; ++i) {
    const double *pm = &psi(wrap(i - 1, nx), 0), *p0 = &psi(i, 0), *pp = &psi(wrap(i + 1, nx), 0);
    double *uo = &u(i, 0), *vo = &v(i, 0);
    for_each_periodic_column(ny, [&](int jm, int j, int jp) {
      uo[j] = (p0[jp] - p0[jm]) * h2y;
      vo[j] = -(pp[j] - pm[j]) * h2x;
    });
  }
}

void divergence(const PeriodicGrid& grid, const Field& u, const Field& v, Field& out) {
  const int nx = grid.nx, ny = grid.ny;
  const double h2x = 0.5 / grid.dx(), h2y = 0.5 / grid.dy();
#pragma omp parallel for schedule(static)
  for (int i = 0; i < nx; ++i) {
    const double *um = &u(wrap(i - 1, nx), 0), *up = &u(wrap(i + 1, nx), 0), *v0 = &v(i, 0);
    double* o = &out(i, 0);
    for_each_periodic_column(
        ny, [&](int jm, int j, int jp) { o[j] = (up[j] - um[j]) * h2x + (v0[jp] - v0[jm]) * h2y; });
  }
}

}  // namespace fieldlab::solvers
