#include "solvers/poisson_fft.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace fieldlab::solvers {
// Executing a plan (the hot path) is thread-safe and needs no lock; planning is not.
std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

double second_derivative_symbol(double theta, LaplacianSymbol symbol) {
  switch (symbol) {
    case LaplacianSymbol::second_order:
      return 2.0 * std::cos(theta) - 2.0;
    case LaplacianSymbol::fourth_order:
      return (-2.0 * std::cos(2.0 * theta) + 32.0 * std::cos(theta) - 30.0) / 12.0;
    case LaplacianSymbol::spectral:
      return -theta * theta;
  }
  return 0.0;
}

PeriodicPoissonSolver::PeriodicPoissonSolver(const PeriodicGrid& grid, LaplacianSymbol symbol)
    : grid_(grid), symbol_(symbol), fft_(grid.nx, grid.ny) {
  const int nx = grid.nx, nyc = fft_.ny_complex();
  spectrum_.resize(static_cast<size_t>(nx) * nyc);
  inverse_symbol_.resize(static_cast<Eigen::Index>(nx) * nyc);
  const double normalisation = 1.0 / (static_cast<double>(nx) * grid.ny);
  for (int m = 0; m < nx; ++m)
    for (int n = 0; n < nyc; ++n) {
      const double lambda = eigenvalue(m, n);
      inverse_symbol_(m * nyc + n) = (m == 0 && n == 0) ? 0.0 : normalisation / lambda;
    }
}

PeriodicPoissonSolver::~PeriodicPoissonSolver() = default;

double PeriodicPoissonSolver::eigenvalue(int m, int n) const {
  const int km = m <= grid_.nx / 2 ? m : m - grid_.nx;  // signed wavenumber index
  const double theta_x = 2.0 * std::numbers::pi * km / grid_.nx;
  const double theta_y = 2.0 * std::numbers::pi * n / grid_.ny;
  return second_derivative_symbol(theta_x, symbol_) / (grid_.dx() * grid_.dx()) +
         second_derivative_symbol(theta_y, symbol_) / (grid_.dy() * grid_.dy());
}

void PeriodicPoissonSolver::solve(const Field& f, Field& u, double scale) {
  fft_.forward(f.data(), spectrum_.data());
  const Eigen::Index ns = inverse_symbol_.size();
  std::complex<double>* spectrum = spectrum_.data();
  const double* inverse = inverse_symbol_.data();
#pragma omp parallel for schedule(static)
  for (Eigen::Index k = 0; k < ns; ++k) spectrum[k] *= scale * inverse[k];
  fft_.backward(spectrum_.data(), u.data());
}

}  // namespace fieldlab::solvers
