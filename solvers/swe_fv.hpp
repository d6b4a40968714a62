#pragma once
// Finite-volume shallow-water solver on a rectangle (swe_fv_config.hpp): Godunov-type fluxes
// (HLL, HLLC or Rusanov) from a MUSCL reconstruction of (h, h + z, u, v) with a slope limiter,
// the hydrostatic reconstruction of Audusse, Bouchut, Bristeau, Klein & Perthame (2004) for the
// bottom slope, and strong-stability-preserving Runge-Kutta steps (Shu-Osher form).
//
// Properties the tests check: still water over any bottom (including dry islands) stays still to
// round-off (well-balanced); depths stay >= 0 for cfl <= 1/2; mass changes only through the
// boundary (to round-off with reflective walls); the wet-bed dam break converges to Stoker's
// solution. Every array is allocated in the constructor: stepping allocates nothing.

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/periodic_grid.hpp"
#include "solvers/swe_fv_config.hpp"

namespace fieldlab::solvers {

struct FvSweDiagnostics {
  double time = 0;
  double mass = 0;            // integral of h
  double energy = 0;          // integral of h (u^2 + v^2) / 2 + g (h^2 / 2 + h z)
  double max_wave_speed = 0;  // max(|u| + c, |v| + c)
  double min_depth = 0;
  double clipped_mass = 0;  // total depth added by clipping round-off negatives to zero
  long long steps = 0;
};

class FvSweSolver {
 public:
  explicit FvSweSolver(const FvSweConfig& config);

  const FvSweConfig& config() const { return config_; }
  int nx() const { return config_.nx; }
  int ny() const { return config_.ny; }
  double dx() const { return dx_; }
  double dy() const { return dy_; }
  double x(int i) const { return config_.x_min + (i + 0.5) * dx_; }  // cell centres
  double y(int j) const { return config_.y_min + (j + 0.5) * dy_; }

  // Bottom elevation at cell centres (default flat, z = 0). Set it before the state.
  void set_bathymetry(const Field& z);
  // Depth and momenta (nx, ny); depth must be finite and >= 0, momenta finite.
  void set_state(const Field& h, const Field& hu, const Field& hv, double t = 0.0);

  // Copies of the interior fields (resized to (nx, ny) if needed).
  void depth(Field& h) const;
  void momentum(Field& hu, Field& hv) const;
  void velocity(Field& u, Field& v) const;  // zero in dry cells
  void bathymetry(Field& z) const;

  double time() const { return time_; }
  long long steps() const { return steps_; }
  double last_dt() const { return last_dt_; }

  // Largest step allowed by config().cfl for the current state.
  double stable_dt() const;
  // One SSP-RK step of size dt (no CFL check; advance_to chooses dt).
  void step(double dt);
  // Advances to t_end with CFL-limited steps, the last one shortened to land exactly on t_end.
  // Throws a numerical Error if the state stops being finite. `stop` is polled after every step
  // (once requested the call returns early, time() < t_end); `progress` (may be null) receives a
  // phase "advance" of the interval's fraction done.
  void advance_to(double t_end, const StopToken& stop = {}, ProgressSink* progress = nullptr);

  // The stored arrays, (nx + 2 g, ny + 2 g) with g = kGhostLayers ghost layers on every side
  // (interior cell (i, j) at (i + g, j + g)); they never move, so views of them stay valid. For
  // zero-copy readers (the Python views); ghost values are only meaningful during a step.
  static constexpr int kGhostLayers = 2;
  const Field& padded_depth() const { return h_; }
  const Field& padded_momentum_x() const { return hu_; }
  const Field& padded_momentum_y() const { return hv_; }

  FvSweDiagnostics diagnostics() const;

 private:
  // Right-hand side into dh_, dhu_, dhv_. With half_dt > 0 (MUSCL-Hancock) the reconstructed
  // face values are first advanced by half_dt with the primitive-variable equations.
  template <RiemannSolver R, SlopeLimiter L>
  void rhs_impl(const Field& h, const Field& hu, const Field& hv, double half_dt);
  void rhs(const Field& h, const Field& hu, const Field& hv, double half_dt = 0.0);
  void fill_ghosts(Field& h, Field& hu, Field& hv) const;
  void fill_ghosts_scalar(Field& a, int flip_x, int flip_y) const;
  // dst = a * src0 + b * (src1 + dt * rhs), then the dry-cell fix; interior cells only.
  void combine(double a, const Field* h0, const Field* hu0, const Field* hv0, double b,
               const Field& h1, const Field& hu1, const Field& hv1, double dt, Field& h, Field& hu,
               Field& hv);

  FvSweConfig config_;
  double dx_, dy_;
  bool parallel_;  // grid large enough for OpenMP loops
  // Padded arrays (nx + 4, ny + 4): two ghost layers on every side for the MUSCL stencil.
  Field h_, hu_, hv_, z_;
  Field h1_, hu1_, hv1_, h2_, hu2_, hv2_;  // Runge-Kutta stages
  Field dh_, dhu_, dhv_;                   // right-hand side
  Field eta_, u_, v_;                      // primitive variables
  Field hp_, etap_, up_, vp_;              // MUSCL-Hancock: cell values predicted half a step ahead
  Field sx_h_, sx_eta_, sx_u_, sx_v_, sy_h_, sy_eta_, sy_u_, sy_v_;  // limited slopes
  // Face fluxes: fx(i, j) on the face between cells i and i + 1; fy(i, j) between j and j + 1.
  // *_l / *_r: normal momentum flux minus g h*^2 / 2 of the hydrostatically reconstructed depth
  // on the left / right side (the rest of the pressure term is a cell-local well-balanced source).
  Field fx_mass_, fx_l_, fx_r_, fx_tan_, fy_mass_, fy_l_, fy_r_, fy_tan_;
  double time_ = 0;
  double last_dt_ = 0;
  double clipped_mass_ = 0;
  long long steps_ = 0;
};

}  // namespace fieldlab::solvers
