#pragma once
// FFT-based Poisson solver on a doubly periodic grid (FFTW, real-to-complex).
// Solves L u = f, where L is the Fourier symbol of the chosen Laplacian: the 2nd- or 4th-order
// finite-difference stencil (so the solve is the exact inverse of laplacian() in
// periodic_operators.hpp) or the spectral -|k|^2. The mean of f is ignored and u has zero mean.
// Transforms go through Fft2d: OpenMP-parallel and bit-identical for any thread count.

#include <complex>
#include <mutex>
#include <vector>

#include "solvers/fft2d.hpp"
#include "solvers/periodic_grid.hpp"

namespace fieldlab::solvers {

enum class LaplacianSymbol { second_order, fourth_order, spectral };

class PeriodicPoissonSolver {
 public:
  PeriodicPoissonSolver(const PeriodicGrid& grid, LaplacianSymbol symbol);
  ~PeriodicPoissonSolver();
  PeriodicPoissonSolver(const PeriodicPoissonSolver&) = delete;
  PeriodicPoissonSolver& operator=(const PeriodicPoissonSolver&) = delete;

  // u = L^{-1} (scale * (f - mean f)). f and u may alias. No allocation.
  void solve(const Field& f, Field& u, double scale = 1.0);

  // Eigenvalue of L for Fourier mode (kx index m, ky index n), m in [0, nx), n in [0, ny/2].
  double eigenvalue(int m, int n) const;
  const PeriodicGrid& grid() const { return grid_; }

 private:
  PeriodicGrid grid_;
  LaplacianSymbol symbol_;
  Fft2d fft_;
  std::vector<std::complex<double>> spectrum_;
  Eigen::ArrayXd inverse_symbol_;  // 1 / (L * nx * ny), zero for the mean mode
};

// FFTW's planner is not thread-safe: every plan in fieldlab is made and destroyed under this lock.
std::mutex& fftw_planner_mutex();

// Symbol of the 1D second-derivative stencil for angle theta = k * h, divided by 1/h^2.
double second_derivative_symbol(double theta, LaplacianSymbol symbol);

}  // namespace fieldlab::solvers
