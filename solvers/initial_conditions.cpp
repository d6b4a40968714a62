#include "solvers/initial_conditions.hpp"

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "core/error.hpp"
#include "solvers/poisson_fft.hpp"

namespace fieldlab::solvers {

using std::numbers::pi;

Field gaussian_random_field(const PeriodicGrid& grid, const GaussianRandomFieldSpectrum& spectrum,
                            std::mt19937_64& rng) {
  const int nx = grid.nx, ny = grid.ny;
  const double sigma = spectrum.effective_sigma();
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::complex<double>> coefficients(static_cast<size_t>(nx) * ny);
  for (int m = 0; m < nx; ++m) {
    const int km = m < nx / 2 ? m : m - nx;
    for (int n = 0; n < ny; ++n) {
      const int kn = n < ny / 2 ? n : n - ny;
      const double kx = 2.0 * pi * km / grid.lx, ky = 2.0 * pi * kn / grid.ly;
      const double amplitude =
          (m == 0 && n == 0)
              ? 0.0
              : std::sqrt(2.0) * sigma *
                    std::pow(kx * kx + ky * ky + spectrum.tau * spectrum.tau, -spectrum.alpha / 2);
      const double re = normal(rng);  // drawn in a fixed order so a seed fixes the field
      const double im = normal(rng);
      coefficients[static_cast<size_t>(m) * ny + n] = amplitude * std::complex<double>(re, im);
    }
  }
  auto* data = reinterpret_cast<fftw_complex*>(coefficients.data());
  fftw_plan plan;
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    plan = fftw_plan_dft_2d(nx, ny, data, data, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  if (!plan) fail(ErrorKind::internal, "FFTW planning failed");
  fftw_execute(plan);  // unnormalised backward transform: the sum over modes itself
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fftw_destroy_plan(plan);
  }
  Field w(nx, ny);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) w(i, j) = coefficients[static_cast<size_t>(i) * ny + j].real();
  return w;
}

Field taylor_green_vorticity(const PeriodicGrid& grid, double viscosity, double t) {
  const double k = 2.0 * pi / grid.lx;
  const double decay = std::exp(-2.0 * viscosity * k * k * t);
  Field w(grid.nx, grid.ny);
  for (int i = 0; i < grid.nx; ++i)
    for (int j = 0; j < grid.ny; ++j)
      w(i, j) = -2.0 * k * std::cos(k * grid.x(i)) * std::cos(k * grid.y(j)) * decay;
  return w;
}

void taylor_green_velocity(const PeriodicGrid& grid, double viscosity, double t, Field& u,
                           Field& v) {
  const double k = 2.0 * pi / grid.lx;
  const double decay = std::exp(-2.0 * viscosity * k * k * t);
  u.resize(grid.nx, grid.ny);
  v.resize(grid.nx, grid.ny);
  for (int i = 0; i < grid.nx; ++i)
    for (int j = 0; j < grid.ny; ++j) {
      u(i, j) = std::cos(k * grid.x(i)) * std::sin(k * grid.y(j)) * decay;
      v(i, j) = -std::sin(k * grid.x(i)) * std::cos(k * grid.y(j)) * decay;
    }
}

Field double_shear_layer_vorticity(const PeriodicGrid& grid, double rho, double delta) {
  Field w(grid.nx, grid.ny);
  for (int i = 0; i < grid.nx; ++i) {
    const double s = grid.x(i) / grid.lx;
    for (int j = 0; j < grid.ny; ++j) {
      const double r = grid.y(j) / grid.ly;
      // u = tanh(rho (r - 1/4)) below r = 1/2, tanh(rho (3/4 - r)) above; v = delta sin(2 pi s).
      const double arg = r <= 0.5 ? rho * (r - 0.25) : rho * (0.75 - r);
      const double sech2 = 1.0 / (std::cosh(arg) * std::cosh(arg));
      const double du_dy = (r <= 0.5 ? rho : -rho) * sech2 / grid.ly;
      const double dv_dx = 2.0 * pi * delta * std::cos(2.0 * pi * s) / grid.lx;
      w(i, j) = dv_dx - du_dy;
    }
  }
  return w;
}

Field initial_vorticity(const PeriodicGrid& grid, const Ns2dConfig& config, std::mt19937_64& rng) {
  switch (config.initial_condition) {
    case Ns2dInitialCondition::gaussian_random_field:
      return gaussian_random_field(grid, config.spectrum, rng);
    case Ns2dInitialCondition::taylor_green:
      return taylor_green_vorticity(grid);
    case Ns2dInitialCondition::double_shear_layer:
      return double_shear_layer_vorticity(grid, config.shear_rho, config.shear_delta);
  }
  fail(ErrorKind::internal, "unhandled initial condition");
}

}  // namespace fieldlab::solvers
