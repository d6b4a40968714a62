#pragma once
// Exact and reference solutions of the 1D convection-diffusion family (solvers/convection1d.hpp),
// the yardsticks PINN and LPINN errors are measured against:
//
// - convection / convection-diffusion: exact, the Fourier solution
//     u(x, t) = sum_k a_k exp(i k (x - c t) - nu k^2 t)
//   with a_k from the FFT of u0 on a fine periodic grid (sin x: one mode, exact to round-off).
// - nu = 0 with a nonlinear speed (inviscid burgers, reaction): the characteristic solution
//   u(x0 + f(u0(x0)) t, t) = u0(x0), x0 found by a safeguarded Newton solve; before the
//   breaking time only (after it a numerical error says so).
// - burgers with u0 = C + sin x and nu > 0: exact by Cole-Hopf, u = C + w(x - C t, t), where the
//   heat-equation solution phi = I_0(a) + 2 sum_n I_n(a) exp(-nu n^2 t) cos(n x),
//   a = 1 / (2 nu), gives w = -2 nu phi_x / phi (modified Bessel functions, series summed until
//   its terms fall below round-off).
// - everything else with nu > 0 (burgers from sin or gauss, reaction-diffusion): the pseudo-
//   spectral solver (solvers/spectral1d.hpp).
//
// Values are returned on a tensor grid: u[j * x.size() + i] = u(x[i], t[j]).

#include <span>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/convection1d.hpp"

namespace fieldlab::solvers {

enum class Convection1dReferenceKind { fourier, characteristics, cole_hopf, spectral };
const char* to_string(Convection1dReferenceKind kind);

// Which method reference_solution uses for `problem` (a numerical error for t_end past the
// breaking time of a nu = 0 nonlinear problem).
Convection1dReferenceKind reference_kind(const Convection1dProblem& problem);

struct Convection1dReferenceOptions {
  int spectral_modes = 512;  // grid points of the pseudo-spectral solver (dealiased by padding)
  double rtol = 1e-10, atol = 1e-12;  // its adaptive time stepping
};

// u on the tensor grid (x any reals, wrapped periodically; t in [0, t_end]). The spectral case
// polls `stop` between output times (an interrupted error) and reports output times as progress.
std::vector<double> reference_solution(const Convection1dProblem& problem,
                                       std::span<const double> x, std::span<const double> t,
                                       const Convection1dReferenceOptions& options = {},
                                       StopToken stop = {}, ProgressSink* progress = nullptr);

// The evaluation grid of the LPINN paper: nx points linspace(0, 2 pi) and nt points
// linspace(0, t_end), both with their end points.
std::vector<double> linspace(double a, double b, int n);

}  // namespace fieldlab::solvers
