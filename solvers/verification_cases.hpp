#pragma once
// The verification cases of `fieldlab solve <case>` (and fieldlab.solvers.solve_<case> in
// Python): set up a solver, run it, and measure the final state against the known answer. Each
// case has an options struct (the CLI's options, same defaults), validate() with the CLI's
// messages (checked before any output file is claimed), and a solve function returning the final
// fields on the case's [x, y] grid and the numbers the CLI prints and writes. Writing files is the
// caller's business (apps/cmd_solve*.cpp).
//
// `stop` is polled after every step: once requested, the solve returns early with the fields as
// reached (result.time < t_end); `progress` (may be null) receives a phase "advance".

#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/periodic_grid.hpp"
#include "solvers/swe_exact.hpp"

namespace fieldlab::solvers {

// ---- taylor-green: the decaying vortex on [0, 2 pi]^2 (ns2d, no forcing) ----
struct TaylorGreenCase {
  int resolution = 64;
  double viscosity = 0.01;
  double t_end = 1.0;
  std::string stepper = "rk4";
  double cfl = 0.5;
  void validate() const;
};
struct TaylorGreenResult {
  std::vector<double> x, y;  // nodes x_i = i 2 pi / n
  Field u, v, vorticity;
  double time = 0;
  long long steps = 0;
  double velocity_rms_error = 0;  // sqrt(mean((u - u_exact)^2 + (v - v_exact)^2))
};
TaylorGreenResult solve_taylor_green(const TaylorGreenCase& c, const StopToken& stop = {},
                                     ProgressSink* progress = nullptr);

// Scheme options shared by the finite-volume shallow-water cases.
struct FvSchemeCase {
  std::string riemann = "hllc", limiter = "mc", stepper = "ssprk2";
  double cfl = 0.5;
};

// ---- dam-break: planar dam on [-1, 1] (a strip of ny cells) vs Stoker / Ritter ----
struct DamBreakCase {
  FvSchemeCase scheme;
  int resolution = 400;
  int ny = 4;
  double h_left = 2.0, h_right = 1.0, gravity = 1.0, t_end = 0.4;
  void validate() const;
};
struct DamBreakResult {
  std::vector<double> x, y;  // cell centres
  Field h, u, hu, h_exact, u_exact;
  double time = 0;
  long long steps = 0;
  double l1_error_h = 0, l1_error_u = 0;
  double h_middle_exact = 0, u_middle_exact = 0, shock_speed_exact = 0;  // signed as written
  double mass_change = 0;
  DamBreakStructure structure;  // the exact waves with the deep side on the left
  std::string exact_solution;   // "Stoker (wet bed)" or "Ritter (dry bed)"
};
DamBreakResult solve_dam_break(const DamBreakCase& c, const StopToken& stop = {},
                               ProgressSink* progress = nullptr);

// ---- lake-at-rest: still water over a Gaussian bump on [-0.5, 0.5]^2 (well-balancing) ----
struct LakeAtRestCase {
  FvSchemeCase scheme;
  int resolution = 100;
  double t_end = 1.0, bump = 0.2, decay = 100.0, level = 1.0, gravity = 1.0;
  void validate() const;
};
struct LakeAtRestResult {
  std::vector<double> x, y;  // cell centres
  Field h, u, v, z, eta;
  double time = 0;
  long long steps = 0;
  double max_velocity = 0;       // max(|u|, |v|)
  double max_surface_error = 0;  // max |eta - level| over wet cells
  long long dry_cells = 0;
};
LakeAtRestResult solve_lake_at_rest(const LakeAtRestCase& c, const StopToken& stop = {},
                                    ProgressSink* progress = nullptr);

// ---- geostrophic-jet: balanced zonal jet, a steady state of the rotating C-grid solver ----
struct GeostrophicJetCase {
  int resolution = 64;
  double length = 1.0, speed = 0.1;
  int mode = 1;
  double f0 = 10.0, gravity = 1.0, depth = 1.0, t_end = 1.0;
  std::string scheme = "energy", stepper = "rk4";
  double cfl = 0.5, dt = 0.0;
  void validate() const;
};
struct GeostrophicJetResult {
  std::vector<double> x, y;  // cell centres (fields interpolated from the C-grid)
  Field eta, u, v, vorticity, eta_exact;
  double time = 0;
  long long steps = 0;
  double max_u_error = 0, max_v = 0, max_eta_error = 0;
  double relative_energy_change = 0, relative_mass_change = 0;
};
GeostrophicJetResult solve_geostrophic_jet(const GeostrophicJetCase& c, const StopToken& stop = {},
                                           ProgressSink* progress = nullptr);

}  // namespace fieldlab::solvers
