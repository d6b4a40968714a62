// A stand-in for solvers/convection1d_reference.cpp, linked into the bench programs only while
// that implementation is not in the tree (bench/pinn/CMakeLists.txt checks): just enough of the
// header's contract for this benchmark's problem (pure convection, u0 = sin x, nu = 0), where the
// reference is exact: u(x, t) = sin(x - c t). Every other problem is a usage error here. Delete
// it once solvers/convection1d_reference.cpp exists (the CMake check already stops using it).

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "solvers/convection1d.hpp"
#include "solvers/convection1d_reference.hpp"

namespace fieldlab::solvers {

namespace {
void only_convection_sine(const Convection1dProblem& p) {
  require(p.pde == Convection1dPde::convection && p.initial == InitialProfile1d::sine &&
              p.viscosity == 0,
          "bench convection1d shim: only convection with u0 = sin x, nu = 0");
}
}  // namespace

const char* to_string(Convection1dReferenceKind) { return "fourier"; }
Convection1dReferenceKind reference_kind(const Convection1dProblem& p) {
  only_convection_sine(p);
  return Convection1dReferenceKind::fourier;
}
std::vector<double> reference_solution(const Convection1dProblem& p, std::span<const double> x,
                                       std::span<const double> t,
                                       const Convection1dReferenceOptions&, StopToken,
                                       ProgressSink*) {
  only_convection_sine(p);
  std::vector<double> u(x.size() * t.size());
  for (std::size_t j = 0; j < t.size(); ++j)
    for (std::size_t i = 0; i < x.size(); ++i)
      u[j * x.size() + i] = std::sin(x[i] - p.speed * t[j]);
  return u;
}
std::vector<double> linspace(double a, double b, int n) {
  std::vector<double> v(n);
  for (int i = 0; i < n; ++i) v[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
  return v;
}

}  // namespace fieldlab::solvers
