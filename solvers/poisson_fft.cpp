#include "solvers/poisson_fft.hpp"

#include <fftw3.h>

#include <cmath>
#include <numbers>

#include "core/error.hpp"

namespace fieldlab::solvers {
// Executing a plan (the hot path) is thread-safe and needs no lock; planning is not.
std::mutex& fftw_planner_mutex() {
  static std::mutex m;
  return m;
}

struct PeriodicPoissonSolver::Plans {
  fftw_plan forward = nullptr;
  fftw_plan backward = nullptr;
};

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
    : grid_(grid), symbol_(symbol), plans_(std::make_unique<Plans>()) {
  const int nx = grid.nx, ny = grid.ny, nyc = ny / 2 + 1;
  real_ = fftw_alloc_real(static_cast<size_t>(nx) * ny);
  spectrum_ =
      reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(static_cast<size_t>(nx) * nyc));
  if (!real_ || !spectrum_) fail(ErrorKind::internal, "out of memory allocating FFT buffers");
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    auto* spec = reinterpret_cast<fftw_complex*>(spectrum_);
    plans_->forward = fftw_plan_dft_r2c_2d(nx, ny, real_, spec, FFTW_ESTIMATE);
    plans_->backward = fftw_plan_dft_c2r_2d(nx, ny, spec, real_, FFTW_ESTIMATE);
  }
  if (!plans_->forward || !plans_->backward) fail(ErrorKind::internal, "FFTW planning failed");

  inverse_symbol_.resize(static_cast<Eigen::Index>(nx) * nyc);
  const double normalisation = 1.0 / (static_cast<double>(nx) * ny);
  for (int m = 0; m < nx; ++m)
    for (int n = 0; n < nyc; ++n) {
      const double lambda = eigenvalue(m, n);
      inverse_symbol_(m * nyc + n) = (m == 0 && n == 0) ? 0.0 : normalisation / lambda;
    }
}

PeriodicPoissonSolver::~PeriodicPoissonSolver() {
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    if (plans_->forward) fftw_destroy_plan(plans_->forward);
    if (plans_->backward) fftw_destroy_plan(plans_->backward);
  }
  fftw_free(real_);
  fftw_free(spectrum_);
}

double PeriodicPoissonSolver::eigenvalue(int m, int n) const {
  const int km = m <= grid_.nx / 2 ? m : m - grid_.nx;  // signed wavenumber index
  const double theta_x = 2.0 * std::numbers::pi * km / grid_.nx;
  const double theta_y = 2.0 * std::numbers::pi * n / grid_.ny;
  return second_derivative_symbol(theta_x, symbol_) / (grid_.dx() * grid_.dx()) +
         second_derivative_symbol(theta_y, symbol_) / (grid_.dy() * grid_.dy());
}

void PeriodicPoissonSolver::solve(const Field& f, Field& u, double scale) {
  const Eigen::Index n = grid_.size();
  std::copy(f.data(), f.data() + n, real_);
  fftw_execute(plans_->forward);
  const Eigen::Index ns = inverse_symbol_.size();
  for (Eigen::Index k = 0; k < ns; ++k) spectrum_[k] *= scale * inverse_symbol_(k);
  fftw_execute(plans_->backward);
  std::copy(real_, real_ + n, u.data());
}

}  // namespace fieldlab::solvers
