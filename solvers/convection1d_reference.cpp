#include "solvers/convection1d_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "solvers/spectral1d.hpp"

namespace fieldlab::solvers {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// Fourier coefficients of u0 from 2m samples: u0 = a0/2 + sum a_k cos kx + b_k sin kx.
void fourier_of_u0(const Convection1dProblem& p, int m, std::vector<double>& a,
                   std::vector<double>& b) {
  const int n = 2 * m;
  std::vector<double> s(n);
  for (int i = 0; i < n; ++i) s[i] = p.u0(kTwoPi * i / n);
  a.assign(m, 0.0);
  b.assign(m, 0.0);
  for (int k = 0; k < m; ++k) {
    for (int i = 0; i < n; ++i) {
      const double th = kTwoPi * static_cast<double>(k) * i / n;
      a[k] += s[i] * std::cos(th);
      b[k] += s[i] * std::sin(th);
    }
    a[k] *= 2.0 / n;
    b[k] *= 2.0 / n;
  }
}

std::vector<double> fourier(const Convection1dProblem& p, std::span<const double> x,
                            std::span<const double> t) {
  std::vector<double> a, b;
  fourier_of_u0(p, 256, a, b);  // the Gaussian bump is below 1e-16 beyond mode ~40
  const double c = p.speed, nu = p.diffusion();
  std::vector<double> u(x.size() * t.size());
  for (std::size_t j = 0; j < t.size(); ++j)
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double y = x[i] - c * t[j];
      double s = a[0] / 2;
      for (std::size_t k = 1; k < a.size(); ++k) {
        if (std::abs(a[k]) + std::abs(b[k]) < 1e-17) continue;
        const double kk = static_cast<double>(k);
        s += std::exp(-nu * kk * kk * t[j]) * (a[k] * std::cos(kk * y) + b[k] * std::sin(kk * y));
      }
      u[j * x.size() + i] = s;
    }
  return u;
}

// nu = 0: u(x, t) = u0(x0) with x0 + f(u0(x0)) t = x, by bisection (monotone before breaking).
std::vector<double> characteristics(const Convection1dProblem& p, std::span<const double> x,
                                    std::span<const double> t) {
  double fmin = std::numeric_limits<double>::infinity(), fmax = -fmin;
  for (int i = 0; i < 4096; ++i) {
    const double f = p.speed_of(p.u0(kTwoPi * i / 4096));
    fmin = std::min(fmin, f);
    fmax = std::max(fmax, f);
  }
  std::vector<double> u(x.size() * t.size());
  for (std::size_t j = 0; j < t.size(); ++j)
    for (std::size_t i = 0; i < x.size(); ++i) {
      auto g = [&](double x0) { return x0 + p.speed_of(p.u0(x0)) * t[j] - x[i]; };
      double lo = x[i] - fmax * t[j] - 1e-9, hi = x[i] - fmin * t[j] + 1e-9;
      for (int it = 0; it < 200 && hi - lo > 1e-15 * (1 + std::abs(lo)); ++it) {
        const double mid = 0.5 * (lo + hi);
        (g(mid) > 0 ? hi : lo) = mid;
      }
      u[j * x.size() + i] = p.u0(0.5 * (lo + hi));
    }
  return u;
}

// Viscous Burgers from C + sin x: u = C + w(x - C t, t) with w the Cole-Hopf solution from sin,
// w = int ((y - eta) / t) K phi0 / int K phi0 over the real line, K = exp(-(y - eta)^2 / (4 nu t)),
// phi0 = exp(cos eta / (2 nu)); the exponents are combined and their maximum subtracted, so
// neither overflows nor cancels, and the trapezoid rule over the window where the integrand is
// above e^-40 of its peak is spectrally accurate for this smooth, decaying integrand.
double cole_hopf_w(double y, double t, double nu) {
  if (t <= 0) return std::sin(y);
  const double four_nu_t = 4 * nu * t;
  const double half = std::sqrt(four_nu_t * (1 / nu + 40));
  const double width = std::min(std::sqrt(2 * nu * t), std::sqrt(2 * nu));
  const int n = std::max(64, static_cast<int>(std::ceil(2 * half / (width / 8))));
  const double h = 2 * half / n;
  auto exponent = [&](double z) { return -z * z / four_nu_t + std::cos(y - z) / (2 * nu); };
  double peak = -std::numeric_limits<double>::infinity();
  for (int k = 0; k <= n; ++k) peak = std::max(peak, exponent(-half + k * h));
  double num = 0, den = 0;
  for (int k = 0; k <= n; ++k) {
    const double z = -half + k * h;  // z = y - eta
    const double wgt = (k == 0 || k == n ? 0.5 : 1.0) * std::exp(exponent(z) - peak);
    num += z / t * wgt;
    den += wgt;
  }
  return num / den;
}

}  // namespace

const char* to_string(Convection1dReferenceKind kind) {
  switch (kind) {
    case Convection1dReferenceKind::fourier:
      return "fourier";
    case Convection1dReferenceKind::characteristics:
      return "characteristics";
    case Convection1dReferenceKind::cole_hopf:
      return "cole-hopf";
    default:
      return "spectral";
  }
}

Convection1dReferenceKind reference_kind(const Convection1dProblem& p) {
  p.validate();
  if (p.pde == Convection1dPde::convection || p.pde == Convection1dPde::convection_diffusion)
    return Convection1dReferenceKind::fourier;
  if (p.diffusion() == 0) {
    const double tb = p.breaking_time();
    if (!(p.t_end < tb))
      fail(ErrorKind::numerical,
           "{}: characteristics cross at t = {:.6g} < t_end = {} (a shock forms; no classical "
           "solution to compare with)",
           p.describe(), tb, p.t_end);
    return Convection1dReferenceKind::characteristics;
  }
  if (p.pde == Convection1dPde::burgers &&
      (p.initial == InitialProfile1d::sine || p.initial == InitialProfile1d::shifted_sine))
    return Convection1dReferenceKind::cole_hopf;
  return Convection1dReferenceKind::spectral;
}

std::vector<double> reference_solution(const Convection1dProblem& p, std::span<const double> x,
                                       std::span<const double> t,
                                       const Convection1dReferenceOptions& o, StopToken stop,
                                       ProgressSink* progress) {
  for (double v : x) require(std::isfinite(v), "reference solution: x must be finite");
  for (double v : t)
    require(std::isfinite(v) && v >= 0 && v <= p.t_end * (1 + 1e-12),
            "reference solution: t = {} is outside [0, t_end = {}]", v, p.t_end);
  switch (reference_kind(p)) {
    case Convection1dReferenceKind::fourier:
      return fourier(p, x, t);
    case Convection1dReferenceKind::characteristics:
      return characteristics(p, x, t);
    case Convection1dReferenceKind::cole_hopf: {
      const double c = p.initial == InitialProfile1d::shifted_sine ? p.offset : 0.0;
      std::vector<double> u(x.size() * t.size());
      for (std::size_t j = 0; j < t.size(); ++j)
        for (std::size_t i = 0; i < x.size(); ++i)
          u[j * x.size() + i] = c + cole_hopf_w(x[i] - c * t[j], t[j], p.diffusion());
      return u;
    }
    default: {
      std::vector<double> times(t.begin(), t.end());
      std::vector<std::size_t> order(times.size());
      for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
      std::sort(order.begin(), order.end(), [&](auto a, auto b) { return times[a] < times[b]; });
      std::vector<double> sorted(times.size());
      for (std::size_t j = 0; j < order.size(); ++j) sorted[j] = times[order[j]];
      Spectral1dOptions so;
      so.points = o.spectral_modes;
      so.rtol = o.rtol;
      so.atol = o.atol;
      const auto frames = solve_spectral1d(p, sorted, so, stop, progress);
      const std::vector<double> xs(x.begin(), x.end());
      std::vector<double> u(x.size() * t.size());
      for (std::size_t j = 0; j < order.size(); ++j) {
        const auto row = trig_interpolate(frames[j], xs);
        std::copy(row.begin(), row.end(), u.begin() + order[j] * x.size());
      }
      return u;
    }
  }
}

std::vector<double> linspace(double a, double b, int n) {
  require(n >= 1, "linspace: needs at least one point, got {}", n);
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
  return v;
}

}  // namespace fieldlab::solvers
