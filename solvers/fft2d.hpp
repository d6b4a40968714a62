#pragma once
// 2D real-to-complex FFT of a row-major (nx, ny) array into its half spectrum (nx, ny/2 + 1),
// split into 1D transforms (rows along y, then blocks of columns along x) that OpenMP threads
// share. Every row and every column block always uses the same FFTW plan, whichever thread runs
// it and however many threads there are, so the result is bit-identical for any thread count
// (FFTW's own threaded plans differ with the thread count). Unnormalised, like FFTW.

#include <complex>
#include <memory>

namespace fieldlab::solvers {

class Fft2d {
 public:
  Fft2d(int nx, int ny);
  ~Fft2d();
  Fft2d(const Fft2d&) = delete;
  Fft2d& operator=(const Fft2d&) = delete;

  int nx() const { return nx_; }
  int ny() const { return ny_; }
  int ny_complex() const { return ny_ / 2 + 1; }

  // real (nx * ny) -> spectrum (nx * (ny/2 + 1)). `real` is left unchanged.
  void forward(const double* real, std::complex<double>* spectrum) const;
  // spectrum -> real; overwrites `spectrum`.
  void backward(std::complex<double>* spectrum, double* real) const;

 private:
  struct Plans;
  int nx_, ny_;
  std::unique_ptr<Plans> plans_;
};

}  // namespace fieldlab::solvers
