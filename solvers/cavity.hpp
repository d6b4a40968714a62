#pragma once
// Lid-driven cavity on the unit square: no-slip walls, the top wall moving at speed 1 in +x,
// Reynolds number Re = 1 / nu. Marched in time with IncompressibleMacSolver until the velocity
// stops changing: the residual is max |u^{n+1} - u^n| / dt over all faces (the change per unit
// time), checked every few steps; converged when it drops below the tolerance.

#include <functional>
#include <memory>
#include <vector>

#include "core/stop_token.hpp"
#include "solvers/incompressible_mac.hpp"

namespace fieldlab::solvers {

struct CavityConfig {
  double reynolds = 100.0;
  int resolution = 128;  // cells per side
  AdvectionScheme scheme = AdvectionScheme::maccormack;
  double cfl = 0.5;         // dt = cfl dx (lid speed 1); explicit diffusion substeps as needed
  double tolerance = 1e-6;  // steady when max |du/dt| < tolerance
  double max_time = 500.0;  // give up (not converged) after this much simulated time
  int check_every = 10;     // steps between residual checks

  void validate() const;
  double time_step() const;
};

struct CavityResult {
  bool converged = false;
  double time = 0.0;
  long long steps = 0;
  double dt = 0.0;
  double residual = 0.0;                               // last max |du/dt|
  double max_divergence = 0.0;                         // max |div u| of the final field
  std::vector<double> history_time, history_residual;  // one entry per check
};

class LidDrivenCavity {
 public:
  explicit LidDrivenCavity(const CavityConfig& config);

  // Marches to a steady state. monitor(time, residual), if given, is called at every check and
  // may return false to stop early; `stop` is polled at every check too. Either way an early stop
  // leaves result.converged false and the fields as reached.
  CavityResult run(const std::function<bool(double, double)>& monitor = {},
                   const StopToken& stop = {});

  const IncompressibleMacSolver& solver() const { return *solver_; }
  const CavityConfig& config() const { return config_; }

  // Velocity interpolated at a point (bilinear on the staggered components, wall values exact).
  double u_at(double x, double y) const;
  double v_at(double x, double y) const;

  // Fields on the uniform node grid x_i = i / n, i = 0..n, walls included, indexed [x, y]:
  // velocity, pressure (zero mean), streamfunction (psi = 0 on the walls, u = psi_y, v = -psi_x
  // exactly for the discrete field) and vorticity v_x - u_y.
  void node_fields(Field& u, Field& v, Field& pressure, Field& streamfunction,
                   Field& vorticity) const;

 private:
  CavityConfig config_;
  std::unique_ptr<IncompressibleMacSolver> solver_;
  Field u_previous_, v_previous_;
};

// Largest |ours - Ghia| along the two centrelines, for Re 100 and 1000 (the tabulated cases);
// negative values when no table exists for the Reynolds number.
struct GhiaDeviation {
  double u = -1.0;  // along x = 0.5
  double v = -1.0;  // along y = 0.5
};
GhiaDeviation ghia_deviation(const LidDrivenCavity& cavity);

}  // namespace fieldlab::solvers
