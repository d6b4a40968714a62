#pragma once
// Exact solutions of the 1D dam break (a Riemann problem with still water on both sides) for
// verifying shallow-water solvers: Stoker's wet-bed solution (left rarefaction, middle state,
// right-moving shock) and Ritter's dry-bed solution.

namespace fieldlab::solvers {

struct DamBreakStructure {
  double h_left = 0, h_right = 0, gravity = 1;
  double h_middle = 0;     // depth between rarefaction and shock (wet bed)
  double u_middle = 0;     // velocity there
  double shock_speed = 0;  // wet bed: the right-moving shock; dry bed: the front speed 2 c_left
};

// The wave structure for depths h_left > h_right >= 0 (h_right == 0: Ritter).
// Throws a usage Error for non-positive h_left, negative h_right or h_right > h_left.
DamBreakStructure dam_break_structure(double h_left, double h_right, double gravity);

// Depth and velocity at position x (relative to the dam) and time t > 0 (t == 0: initial state).
void dam_break_exact(const DamBreakStructure& s, double x, double t, double& h, double& u);

// Residual of Stoker's polynomial in r = h_middle / h_left with a = h_right / h_left:
// r^3 - 9 r^2 a + 16 r^1.5 a - r a (a + 8) + a^3 (zero at the solution).
double stoker_polynomial(double h_middle, double h_left, double h_right);

}  // namespace fieldlab::solvers
