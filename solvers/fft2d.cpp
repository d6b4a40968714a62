#include "solvers/fft2d.hpp"

#include <fftw3.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "solvers/poisson_fft.hpp"

namespace fieldlab::solvers {
namespace {
// Columns transformed together: 8 complex numbers = 128 contiguous bytes per row visited.
constexpr int kColumnBlock = 8;
}  // namespace

struct Fft2d::Plans {
  fftw_plan row_forward = nullptr, row_backward = nullptr;
  fftw_plan block_forward = nullptr, block_backward = nullptr;  // kColumnBlock columns
  fftw_plan tail_forward = nullptr, tail_backward = nullptr;    // the remaining columns
  int tail = 0;
};

Fft2d::Fft2d(int nx, int ny) : nx_(nx), ny_(ny), plans_(std::make_unique<Plans>()) {
  const int nyc = ny / 2 + 1;
  // Planning needs arrays of the right size; FFTW_ESTIMATE never writes to them, and
  // FFTW_UNALIGNED lets the plans run on any row or column offset.
  std::vector<double> real(static_cast<size_t>(nx) * ny);
  std::vector<std::complex<double>> spectrum(static_cast<size_t>(nx) * nyc);
  auto* spec = reinterpret_cast<fftw_complex*>(spectrum.data());
  const unsigned flags = FFTW_ESTIMATE | FFTW_UNALIGNED;
  auto& p = *plans_;
  p.tail = nyc % kColumnBlock;
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  p.row_forward =
      fftw_plan_many_dft_r2c(1, &ny, 1, real.data(), nullptr, 1, ny, spec, nullptr, 1, nyc, flags);
  p.row_backward = fftw_plan_many_dft_c2r(1, &ny, 1, spec, nullptr, 1, nyc, real.data(), nullptr, 1,
                                          ny, flags | FFTW_DESTROY_INPUT);
  auto column_plan = [&](int count, int sign) {
    return fftw_plan_many_dft(1, &nx, count, spec, nullptr, nyc, 1, spec, nullptr, nyc, 1, sign,
                              flags);
  };
  if (nyc >= kColumnBlock) {
    p.block_forward = column_plan(kColumnBlock, FFTW_FORWARD);
    p.block_backward = column_plan(kColumnBlock, FFTW_BACKWARD);
  }
  if (p.tail > 0) {
    p.tail_forward = column_plan(p.tail, FFTW_FORWARD);
    p.tail_backward = column_plan(p.tail, FFTW_BACKWARD);
  }
  if (!p.row_forward || !p.row_backward || (nyc >= kColumnBlock && !p.block_forward) ||
      (p.tail > 0 && !p.tail_forward))
    fail(ErrorKind::internal, "FFTW planning failed for a {}x{} grid", nx, ny);
}

Fft2d::~Fft2d() {
  std::lock_guard<std::mutex> lock(fftw_planner_mutex());
  for (fftw_plan plan : {plans_->row_forward, plans_->row_backward, plans_->block_forward,
                         plans_->block_backward, plans_->tail_forward, plans_->tail_backward})
    if (plan) fftw_destroy_plan(plan);
}

void Fft2d::forward(const double* real, std::complex<double>* spectrum) const {
  const int nx = nx_, ny = ny_, nyc = ny_complex();
  auto* spec = reinterpret_cast<fftw_complex*>(spectrum);
  const auto& p = *plans_;
  const int blocks = nyc / kColumnBlock;
#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (int i = 0; i < nx; ++i)
      fftw_execute_dft_r2c(p.row_forward, const_cast<double*>(real) + static_cast<size_t>(i) * ny,
                           spec + static_cast<size_t>(i) * nyc);
#pragma omp for schedule(static)
    for (int b = 0; b <= blocks; ++b) {
      if (b < blocks)
        fftw_execute_dft(p.block_forward, spec + b * kColumnBlock, spec + b * kColumnBlock);
      else if (p.tail > 0)
        fftw_execute_dft(p.tail_forward, spec + b * kColumnBlock, spec + b * kColumnBlock);
    }
  }
}

void Fft2d::backward(std::complex<double>* spectrum, double* real) const {
  const int nx = nx_, ny = ny_, nyc = ny_complex();
  auto* spec = reinterpret_cast<fftw_complex*>(spectrum);
  const auto& p = *plans_;
  const int blocks = nyc / kColumnBlock;
#pragma omp parallel
  {
#pragma omp for schedule(static)
    for (int b = 0; b <= blocks; ++b) {
      if (b < blocks)
        fftw_execute_dft(p.block_backward, spec + b * kColumnBlock, spec + b * kColumnBlock);
      else if (p.tail > 0)
        fftw_execute_dft(p.tail_backward, spec + b * kColumnBlock, spec + b * kColumnBlock);
    }
#pragma omp for schedule(static)
    for (int i = 0; i < nx; ++i)
      fftw_execute_dft_c2r(p.row_backward, spec + static_cast<size_t>(i) * nyc,
                           real + static_cast<size_t>(i) * ny);
  }
}

}  // namespace fieldlab::solvers
