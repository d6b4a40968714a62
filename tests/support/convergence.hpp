#pragma once
// Observed orders of convergence, computed one way for every test (MFEM's tests/convergence style):
// from errors e_k measured at resolutions refined by a constant factor r (h_k = h_0 / r^k), the
// order between levels k-1 and k is log(e_{k-1} / e_k) / log(r); the fitted order is the
// least-squares slope of log e against log h over all levels.

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace fieldlab::test {

// Order between two errors at spacings refined by `ratio` (2: h -> h/2).
inline double observed_order(double coarse_error, double fine_error, double ratio = 2.0) {
  return std::log(coarse_error / fine_error) / std::log(ratio);
}

// Orders between successive levels: errors.size() - 1 values.
inline std::vector<double> observed_orders(std::span<const double> errors, double ratio = 2.0) {
  std::vector<double> orders;
  for (std::size_t k = 1; k < errors.size(); ++k)
    orders.push_back(observed_order(errors[k - 1], errors[k], ratio));
  return orders;
}

// Least-squares slope of log(error) against log(1 / h) for levels refined by `ratio`.
inline double fitted_order(std::span<const double> errors, double ratio = 2.0) {
  if (errors.size() < 2) throw std::invalid_argument("fitted_order needs two or more errors");
  const double n = static_cast<double>(errors.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < errors.size(); ++k) {
    const double x = static_cast<double>(k) * std::log(ratio), y = -std::log(errors[k]);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace fieldlab::test
