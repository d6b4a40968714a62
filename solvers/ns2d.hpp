#pragma once
// Periodic 2D incompressible Navier-Stokes in vorticity-streamfunction form (ns2d_config.hpp):
// Arakawa advection, central-difference diffusion, FFT Poisson solve for the streamfunction,
// time stepping by Boost.Odeint (fixed-step RK4 or adaptive Dormand-Prince with dense output).

#include <memory>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/ns2d_config.hpp"
#include "solvers/periodic_grid.hpp"
#include "solvers/poisson_fft.hpp"

namespace fieldlab::solvers {

struct Ns2dDiagnostics {
  double time = 0;
  double kinetic_energy = 0;  // mean of psi * zeta / 2 (= mean |grad psi|^2 / 2, discretely)
  double enstrophy = 0;       // mean of zeta^2 / 2
  double max_speed = 0;       // max |u| + |v| over the grid
  double cfl = 0;             // dt * max(|u|/dx + |v|/dy) of the last step
  double max_divergence = 0;  // max |div u| of the recovered velocity (round-off by construction)
  long long steps = 0;
};

class Ns2dSolver {
 public:
  explicit Ns2dSolver(const Ns2dConfig& config);
  ~Ns2dSolver();
  Ns2dSolver(const Ns2dSolver&) = delete;
  Ns2dSolver& operator=(const Ns2dSolver&) = delete;

  const Ns2dConfig& config() const { return config_; }
  const PeriodicGrid& grid() const { return grid_; }

  void set_vorticity(const Field& zeta, double t = 0.0);
  const Field& vorticity() const { return zeta_; }
  double time() const { return time_; }
  long long steps() const { return steps_; }
  double last_dt() const { return last_dt_; }

  // Advances to t_end (>= time()). Throws a numerical Error naming the step and CFL number if a
  // fixed step violates stability or the state stops being finite. `stop` is polled after every
  // step: once requested, the call returns early with time() < t_end and the state consistent at
  // time(). `progress` (may be null) receives a phase "advance" of the interval's fraction done.
  void advance_to(double t_end, const StopToken& stop = {}, ProgressSink* progress = nullptr);

  // The right-hand side d(zeta)/dt; also records max(|u|/dx + |v|/dy) of zeta for CFL checks.
  void rhs(const Field& zeta, Field& dzeta_dt);

  // Streamfunction (lap psi = -zeta) and velocity of the current state.
  void streamfunction(Field& psi);
  void velocity(Field& u, Field& v);
  Ns2dDiagnostics diagnostics();

  // Largest stable step estimated from the current state: CFL and diffusion limits.
  double automatic_dt();

 private:
  struct Steppers;
  void step_rk4_interval(double t_end, const StopToken& stop, ProgressSink* progress);
  void step_dopri5_interval(double t_end, const StopToken& stop, ProgressSink* progress);
  void check_finite(const char* where) const;

  Ns2dConfig config_;
  PeriodicGrid grid_;
  PeriodicPoissonSolver poisson_;
  Field zeta_, psi_, work_, scratch_, forcing_;
  double time_ = 0;
  double last_dt_ = 0;
  double last_speed_ = 0;  // max(|u|/dx + |v|/dy) seen by the latest rhs() call
  long long steps_ = 0;
  std::unique_ptr<Steppers> steppers_;
};

// Forcing term of the vorticity equation on the grid.
Field vorticity_forcing(const PeriodicGrid& grid, const Ns2dConfig& config);

}  // namespace fieldlab::solvers
