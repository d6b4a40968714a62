#pragma once
// A pseudo-spectral solver for the 1D periodic family u_t + f(u) u_x = nu u_xx
// (solvers/convection1d.hpp) on n equispaced points of [0, 2 pi): u_x and u_xx by FFT (FFTW,
// plans made once), the product f(u) u_x formed on the points and its top third of modes
// removed (the 2/3 rule, which dealiases quadratic products exactly and, at the resolutions used
// here, keeps the cubic one of the reaction speed below the time-stepping tolerance), time
// stepping by Boost.Odeint's adaptive Dormand-Prince 5(4) with dense output at the requested
// times. The reference for problems without a closed form (burgers from sin or gauss with
// nu > 0 is also checked against Cole-Hopf in the tests).

#include <memory>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/convection1d.hpp"

namespace fieldlab::solvers {

struct Spectral1dOptions {
  int points = 512;
  double rtol = 1e-10, atol = 1e-12;
};

// u at the n points x_i = 2 pi i / n for each time of `times` (increasing, >= 0): [times][n].
// A non-finite state is a numerical error; a stop request between output times is a usage error
// saying the solve was interrupted.
std::vector<std::vector<double>> solve_spectral1d(const Convection1dProblem& problem,
                                                  const std::vector<double>& times,
                                                  const Spectral1dOptions& options = {},
                                                  StopToken stop = {},
                                                  ProgressSink* progress = nullptr);

// The trigonometric interpolant of the samples u (n points on [0, 2 pi)) at x (any real).
std::vector<double> trig_interpolate(const std::vector<double>& u, const std::vector<double>& x);

}  // namespace fieldlab::solvers
