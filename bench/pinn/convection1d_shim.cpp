// A stand-in for solvers/convection1d*.cpp, linked into the bench programs only while that
// implementation is not in the tree (bench/pinn/CMakeLists.txt checks): just enough of the
// header contracts for this benchmark's problem (pure convection, u0 = sin x, nu = 0), where the
// reference is exact: u(x, t) = sin(x - c t). Every other problem is a usage error here. Delete
// it once solvers/convection1d.cpp exists (the CMake check already stops using it then).

#include <cmath>
#include <limits>
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

Convection1dPde parse_convection1d_pde(const std::string& name) {
  if (name == "convection") return Convection1dPde::convection;
  fail(ErrorKind::usage, "bench convection1d shim: pde must be convection, got '{}'", name);
}
const char* to_string(Convection1dPde) { return "convection"; }
InitialProfile1d parse_initial_profile1d(const std::string& name) {
  if (name == "sin") return InitialProfile1d::sine;
  fail(ErrorKind::usage, "bench convection1d shim: initial must be sin, got '{}'", name);
}
const char* to_string(InitialProfile1d) { return "sin"; }

double Convection1dProblem::u0(double x) const { return std::sin(x); }
double Convection1dProblem::u0_dx(double x) const { return std::cos(x); }
double Convection1dProblem::speed_of(double) const { return speed; }
double Convection1dProblem::speed_du(double) const { return 0; }
double Convection1dProblem::diffusion() const { return 0; }
void Convection1dProblem::validate() const {
  only_convection_sine(*this);
  require(std::isfinite(speed) && speed >= 0, "speed must be finite and >= 0");
  require(std::isfinite(t_end) && t_end > 0, "t_end must be > 0");
}
double Convection1dProblem::breaking_time() const {
  return std::numeric_limits<double>::infinity();
}
std::string Convection1dProblem::describe() const {
  return "convection c=" + std::to_string(speed) + ", u0=sin, t in [0, " + std::to_string(t_end) +
         "]";
}

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
