#include "solvers/smoke_noise.hpp"

#include <fftw3.h>

#include <cmath>
#include <complex>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "solvers/poisson_fft.hpp"

namespace fieldlab::solvers {

void SmokeNoise::validate() const {
  require(std::isfinite(scale) && scale > 0, "--noise-scale must be positive (got {})", scale);
  require(std::isfinite(smoothness) && smoothness >= 0, "--noise-smoothness must be >= 0 (got {})",
          smoothness);
}

void smooth_noise(const MacGrid& grid, const SmokeNoise& noise, std::mt19937_64& rng, Field& out) {
  noise.validate();
  const int nx = grid.nx, ny = grid.ny;
  const size_t n = static_cast<size_t>(nx) * ny;
  std::vector<std::complex<double>> spectrum(n);
  std::normal_distribution<double> normal(0.0, 1.0);
  auto wavenumber = [&](int m, int count, double length) {
    const int signed_m = m <= count / 2 ? m : m - count;
    return signed_m * noise.scale / length;
  };
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const double re = normal(rng), im = normal(rng);  // always drawn: fixed stream order
      const double kx = wavenumber(i, nx, grid.lx), ky = wavenumber(j, ny, grid.ly);
      const double k = std::sqrt(kx * kx + ky * ky);
      const double weight = k > 0.1 ? std::pow(k, -noise.smoothness) : 0.0;
      spectrum[static_cast<size_t>(i) * ny + j] = {re * weight, im * weight};
    }
  auto* data = reinterpret_cast<fftw_complex*>(spectrum.data());
  fftw_plan plan;
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    plan = fftw_plan_dft_2d(nx, ny, data, data, FFTW_BACKWARD, FFTW_ESTIMATE);
  }
  if (!plan) fail(ErrorKind::internal, "FFTW planning failed");
  fftw_execute(plan);
  {
    std::lock_guard<std::mutex> lock(fftw_planner_mutex());
    fftw_destroy_plan(plan);
  }
  out.resize(nx, ny);
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) out(i, j) = spectrum[static_cast<size_t>(i) * ny + j].real();
  const double mean = out.mean();
  const double std_dev = std::sqrt((out - mean).square().mean());
  if (!(std_dev > 0))
    fail(ErrorKind::numerical, "smooth noise is constant (grid too coarse for --noise-scale?)");
  out /= std_dev;
  out -= out.mean();
}

}  // namespace fieldlab::solvers
