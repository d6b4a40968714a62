#pragma once
// Incompressible Navier-Stokes in a closed box on the MAC grid, with an optional passive scalar
// (smoke) that drives the flow through a Boussinesq-style buoyancy force:
//   du/dt + (u . grad) u = -grad p + nu lap u + b s,   div u = 0,   ds/dt + u . grad s = 0.
// One step (Chorin splitting, in the order of PDEArena's PhiFlow generator):
//   1. advect the scalar with the old velocity (semi-Lagrangian or MacCormack);
//   2. self-advect the velocity with the old velocity;
//   3. add the buoyancy force b s, with s averaged to the faces;
//   4. explicit diffusion (forward Euler on the 5-point stencil with wall ghosts), split into
//      substeps when nu dt (2/dx^2 + 2/dy^2) > 1 so it is always stable;
//   5. pressure projection (pressure_projection.hpp): div u at round-off afterwards.
// All work arrays are allocated in the constructor; step() allocates nothing, and the state arrays
// (u, v, scalar) never move, so pointers to their data (the Python views) stay valid.

#include "solvers/advection.hpp"
#include "solvers/mac_grid.hpp"
#include "solvers/pressure_projection.hpp"

namespace fieldlab::solvers {

struct IncompressibleConfig {
  int nx = 128, ny = 128;
  double lx = 32.0, ly = 32.0;
  WallSet walls;  // closed box, no-slip, at rest
  double viscosity = 0.01;
  AdvectionScheme scheme = AdvectionScheme::semi_lagrangian;
  bool limiter = true;  // MacCormack limiter
  bool scalar = false;  // carry a passive scalar (smoke)
  double buoyancy_x = 0.0, buoyancy_y = 0.0;

  void validate() const;  // usage errors naming the offending option
};

class IncompressibleMacSolver {
 public:
  explicit IncompressibleMacSolver(const IncompressibleConfig& config);

  const IncompressibleConfig& config() const { return config_; }
  const MacGrid& grid() const { return grid_; }
  Field& u() { return u_; }
  Field& v() { return v_; }
  Field& scalar() { return s_; }
  const Field& u() const { return u_; }
  const Field& v() const { return v_; }
  const Field& scalar() const { return s_; }
  // Pressure times dt of the latest step (density 1).
  const Field& pressure_potential() const { return projection_.potential(); }
  double time() const { return time_; }
  long long steps() const { return steps_; }
  void set_time(double t) { time_ = t; }

  // Advances one step of size dt (> 0). Throws a numerical Error if the state stops being finite.
  void step(double dt);
  // Projects the current velocity (e.g. after setting an initial condition).
  void project();
  // Number of explicit diffusion substeps step(dt) uses.
  int diffusion_substeps(double dt) const;
  // Buoyancy values may differ per trajectory (PDEArena's conditioned variant).
  void set_buoyancy(double bx, double by) {
    config_.buoyancy_x = bx;
    config_.buoyancy_y = by;
  }

 private:
  void diffuse(double dt);
  void add_buoyancy(double dt);

  IncompressibleConfig config_;
  MacGrid grid_;
  Advector advector_;
  PressureProjection projection_;
  Field u_, v_, s_, u_work_, v_work_, s_work_;
  double time_ = 0.0;
  long long steps_ = 0;
};

}  // namespace fieldlab::solvers
