// solver_loop: a time loop with fieldlab's periodic Navier-Stokes solver (solvers/ns2d.hpp).
//
// It starts the decaying Taylor-Green vortex on [0, 2pi]^2, advances it in frames of 0.25 time
// units with Ns2dSolver::advance_to, prints the library's diagnostics after each frame and
// compares the final velocity with the exact solution u = cos x sin y exp(-2 nu t).
//
// Build: `cmake --build build --target example_solver_loop` (examples/CMakeLists.txt; it links
// fieldlab::solvers, which brings core, FFTW and Boost); ctest runs it as example_solver_loop.
// Run: build/examples/example_solver_loop
//
// Expected output (the same for any thread count; exit status 0 when the error is below 1e-2):
//   t      steps  kinetic energy  enstrophy      max |u|+|v|
//   0.25   6      2.4771e-01      4.9503e-01     0.9942
//   0.50   12     2.4525e-01      4.9011e-01     0.9893
//   0.75   18     2.4281e-01      4.8523e-01     0.9843
//   1.00   24     2.4040e-01      4.8041e-01     0.9794
//   velocity RMS error vs exact at t = 1: 5.457e-04

#include <cmath>
#include <cstdio>
#include <numbers>

#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"

int main() {
  using namespace fieldlab::solvers;

  // 1. Configure the solver: 64^2 periodic grid of side 2 pi, viscosity 0.01, no forcing, RK4
  //    with the step chosen from the CFL number (Ns2dConfig's defaults otherwise).
  Ns2dConfig config;
  config.resolution = 64;
  config.length = 2.0 * std::numbers::pi;
  config.viscosity = 0.01;
  config.forcing = Ns2dForcing::none;
  config.stepper = Ns2dStepper::rk4;
  config.validate();  // throws fieldlab::Error naming the offending option

  // 2. Build the solver and set the initial vorticity -2 cos x cos y (Taylor-Green).
  Ns2dSolver solver(config);
  solver.set_vorticity(taylor_green_vorticity(solver.grid()));

  // 3. The loop: advance frame by frame and print the diagnostics the library computes.
  std::printf("%-6s %-6s %-15s %-14s %s\n", "t", "steps", "kinetic energy", "enstrophy",
              "max |u|+|v|");
  for (int frame = 1; frame <= 4; ++frame) {
    solver.advance_to(0.25 * frame);
    const Ns2dDiagnostics d = solver.diagnostics();
    std::printf("%-6.2f %-6lld %-15.4e %-14.4e %.4f\n", d.time, d.steps, d.kinetic_energy,
                d.enstrophy, d.max_speed);
  }

  // 4. Compare with the exact solution at the final time.
  Field u, v, u_exact, v_exact;
  solver.velocity(u, v);
  taylor_green_velocity(solver.grid(), config.viscosity, solver.time(), u_exact, v_exact);
  const double error = std::sqrt(((u - u_exact).square() + (v - v_exact).square()).mean());
  std::printf("velocity RMS error vs exact at t = %g: %.3e\n", solver.time(), error);
  return error < 1e-2 ? 0 : 1;
}
