#include "solvers/spectral1d.hpp"

#include <fftw3.h>

#include <boost/numeric/odeint.hpp>
#include <cmath>
#include <complex>
#include <numbers>

#include "core/error.hpp"

namespace fieldlab::solvers {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// The right-hand side -f(u) u_x + nu u_xx with its FFT plans and buffers (no allocation per call).
class SpectralRhs {
 public:
  SpectralRhs(const Convection1dProblem& p, int n) : p_(p), n_(n), m_(n / 2 + 1) {
    real_ = fftw_alloc_real(n);
    spec_ = fftw_alloc_complex(m_);
    forward_ = fftw_plan_dft_r2c_1d(n, real_, spec_, FFTW_ESTIMATE);
    backward_ = fftw_plan_dft_c2r_1d(n, spec_, real_, FFTW_ESTIMATE);
    ux_.resize(n);
    hat_.resize(m_);
  }
  ~SpectralRhs() {
    fftw_destroy_plan(forward_);
    fftw_destroy_plan(backward_);
    fftw_free(real_);
    fftw_free(spec_);
  }
  SpectralRhs(const SpectralRhs&) = delete;
  SpectralRhs& operator=(const SpectralRhs&) = delete;

  void operator()(const std::vector<double>& u, std::vector<double>& dudt, double) {
    const int cut = n_ / 3;  // 2/3 rule: modes above n/3 are dropped from every product
    std::copy(u.begin(), u.end(), real_);
    fftw_execute(forward_);
    for (int k = 0; k < m_; ++k) hat_[k] = {spec_[k][0], spec_[k][1]};
    // u_x
    for (int k = 0; k < m_; ++k) {
      const std::complex<double> v = k <= cut ? std::complex<double>(0, k) * hat_[k] : 0.0;
      spec_[k][0] = v.real() / n_, spec_[k][1] = v.imag() / n_;
    }
    fftw_execute(backward_);
    std::copy(real_, real_ + n_, ux_.begin());
    const double nu = p_.diffusion();
    // -f(u) u_x formed pointwise, transformed, truncated; + nu u_xx in spectral space.
    for (int i = 0; i < n_; ++i) real_[i] = -p_.speed_of(u[i]) * ux_[i];
    fftw_execute(forward_);
    for (int k = 0; k < m_; ++k) {
      std::complex<double> v(spec_[k][0], spec_[k][1]);
      v = k <= cut ? v - nu * k * k * hat_[k] : 0.0;
      spec_[k][0] = v.real() / n_, spec_[k][1] = v.imag() / n_;
    }
    fftw_execute(backward_);
    std::copy(real_, real_ + n_, dudt.begin());
  }

 private:
  Convection1dProblem p_;
  int n_, m_;
  double* real_;
  fftw_complex* spec_;
  fftw_plan forward_, backward_;
  std::vector<double> ux_;
  std::vector<std::complex<double>> hat_;
};

}  // namespace

std::vector<std::vector<double>> solve_spectral1d(const Convection1dProblem& problem,
                                                  const std::vector<double>& times,
                                                  const Spectral1dOptions& o, StopToken stop,
                                                  ProgressSink* progress) {
  problem.validate();
  require(o.points >= 16 && o.points <= (1 << 20) && o.points % 2 == 0,
          "spectral solver: points must be even, between 16 and 2^20, got {}", o.points);
  require(o.rtol > 0 && o.atol > 0, "spectral solver: rtol and atol must be positive");
  for (std::size_t j = 0; j < times.size(); ++j)
    require(std::isfinite(times[j]) && times[j] >= 0 && (j == 0 || times[j] >= times[j - 1]),
            "spectral solver: output times must be finite, >= 0 and nondecreasing");
  const int n = o.points;
  std::vector<double> u(n);
  for (int i = 0; i < n; ++i) u[i] = problem.u0(kTwoPi * i / n);
  std::vector<std::vector<double>> out;
  out.reserve(times.size());
  SpectralRhs rhs(problem, n);
  auto system = [&rhs](const std::vector<double>& x, std::vector<double>& dxdt, double t) {
    rhs(x, dxdt, t);
  };
  namespace ode = boost::numeric::odeint;
  auto stepper =
      ode::make_controlled(o.atol, o.rtol, ode::runge_kutta_dopri5<std::vector<double>>());
  double t = 0, dt = 1e-4;
  if (progress) progress->start("spectral reference", static_cast<long long>(times.size()));
  for (double target : times) {
    if (stop.stop_requested()) {
      if (progress) progress->finish();
      fail(ErrorKind::usage, "spectral reference solve interrupted at t = {}", t);
    }
    if (target > t) {
      ode::integrate_adaptive(stepper, system, u, t, target, std::min(dt, target - t));
      t = target;
    }
    for (double v : u)
      if (!std::isfinite(v))
        fail(ErrorKind::numerical, "spectral reference: the solution blew up before t = {}",
             target);
    out.push_back(u);
    if (progress) progress->advance(1, "");
  }
  if (progress) progress->finish();
  return out;
}

std::vector<double> trig_interpolate(const std::vector<double>& u, const std::vector<double>& x) {
  const int n = static_cast<int>(u.size());
  require(n >= 2 && n % 2 == 0, "trig_interpolate: needs an even number of samples, got {}", n);
  // Coefficients by a direct DFT (n is a few hundred; called once per output time).
  const int m = n / 2;
  std::vector<double> a(m + 1, 0.0), b(m + 1, 0.0);
  for (int k = 0; k <= m; ++k) {
    for (int i = 0; i < n; ++i) {
      const double th = kTwoPi * k * i / n;
      a[k] += u[i] * std::cos(th);
      b[k] += u[i] * std::sin(th);
    }
    a[k] *= 2.0 / n;
    b[k] *= 2.0 / n;
  }
  std::vector<double> out(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) {
    double s = a[0] / 2 + a[m] / 2 * std::cos(m * x[j]);  // Nyquist mode halved
    for (int k = 1; k < m; ++k) s += a[k] * std::cos(k * x[j]) + b[k] * std::sin(k * x[j]);
    out[j] = s;
  }
  return out;
}

}  // namespace fieldlab::solvers
