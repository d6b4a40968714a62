#pragma once
// Rotating shallow water on a doubly periodic plane, Arakawa C-grid, in vector-invariant form:
//   h_t + div(h u) = 0,
//   u_t - q V + (g h + K)_x = nu lap(u) - r u,     q = (f + zeta) / h (potential vorticity),
//   v_t + q U + (g h + K)_y = nu lap(v) - r v,     K = (u^2 + v^2) / 2,  (U, V) = h (u, v),
// flat bottom, f = f0 (f-plane) or f0 + beta y' (beta-plane, see SweCgridConfig::coriolis).
//
// Staggering (cell (i, j) is [i dx, (i+1) dx] x [j dy, (j+1) dy]): h at centres, u(i, j) on the
// west face (i dx, (j+1/2) dy), v(i, j) on the south face ((i+1/2) dx, j dy), vorticity and q at
// the south-west corner (i dx, j dy). The potential-vorticity flux follows Sadourny (1975):
//   energy:     q V -> avg_y(q avg_x(V)),  q U -> avg_x(q avg_y(U))  (conserves the discrete energy
//               sum h (avg_x(u^2) + avg_y(v^2)) / 2 + g h^2 / 2 exactly in semi-discrete form);
//   enstrophy:  q V -> avg_y(q) avg_xy(V), q U -> avg_x(q) avg_xy(U) (conserves potential
//               enstrophy sum h_corner q^2 / 2 for non-divergent flow).
// Mass is conserved exactly by the flux form. Time stepping: Boost.Odeint RK4, or SSP-RK3 built
// with explicit_generic_rk. The state is one Field of shape (3 nx, ny): rows [0, nx) hold h,
// [nx, 2 nx) u and [2 nx, 3 nx) v. Nothing is allocated while stepping.

#include <memory>
#include <random>
#include <string>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "solvers/periodic_grid.hpp"

namespace fieldlab::solvers {

enum class SweCgridStepper { rk4, ssprk3 };
enum class SweCgridScheme { energy, enstrophy };
enum class SweCgridInitial { balanced_random, unbalanced_random, jet, adjustment };

struct SweCgridConfig {
  int nx = 64, ny = 64;
  double lx = 1.0, ly = 1.0;
  double gravity = 1.0;
  double depth = 1.0;  // mean depth H (h = H + eta)
  double f0 = 10.0;
  // Beta-plane: f = f0 + beta (ly / 2 pi) sin(2 pi (y - ly / 2) / ly), which is f0 + beta (y -
  // ly/2) near the centre line and stays periodic (a linear f cannot be doubly periodic).
  double beta = 0.0;
  double viscosity = 0.0;  // harmonic viscosity on u, v
  double drag = 0.0;       // linear bottom drag r
  SweCgridScheme scheme = SweCgridScheme::energy;
  SweCgridStepper stepper = SweCgridStepper::rk4;
  double cfl = 0.5;  // dt = cfl * min(dx, dy) / (max |u| + sqrt(g h_max)) when dt is 0
  double dt = 0.0;

  void validate() const;
  double dx() const { return lx / nx; }
  double dy() const { return ly / ny; }
  double coriolis(double y) const;
};

const char* to_string(SweCgridStepper v);
const char* to_string(SweCgridScheme v);
const char* to_string(SweCgridInitial v);
SweCgridStepper parse_swe_cgrid_stepper(const std::string& name);
SweCgridScheme parse_swe_cgrid_scheme(const std::string& name);
SweCgridInitial parse_swe_cgrid_initial(const std::string& name);

struct SweCgridDiagnostics {
  double time = 0;
  double mass = 0;                 // integral of h
  double energy = 0;               // sum (h K + g h^2 / 2) dx dy, the conserved discrete energy
  double potential_enstrophy = 0;  // sum h_corner q^2 / 2 dx dy
  double max_speed = 0;
  double min_depth = 0;
  double cfl = 0;  // dt (max |u| + c) / min(dx, dy) of the last step
  long long steps = 0;
};

class SweCgridSolver {
 public:
  explicit SweCgridSolver(const SweCgridConfig& config);
  ~SweCgridSolver();
  SweCgridSolver(const SweCgridSolver&) = delete;
  SweCgridSolver& operator=(const SweCgridSolver&) = delete;

  const SweCgridConfig& config() const { return config_; }
  int nx() const { return config_.nx; }
  int ny() const { return config_.ny; }

  // Depth (total, > 0 everywhere) at centres, u on west faces, v on south faces: each (nx, ny).
  void set_state(const Field& h, const Field& u, const Field& v, double t = 0.0);
  const Field& state() const { return state_; }
  void fields(Field& h, Field& u, Field& v) const;  // staggered, as stored
  // Interpolated to cell centres: surface height eta = h - H, u, v and relative vorticity.
  void centred(Field& eta, Field& u, Field& v, Field& vorticity) const;

  double time() const { return time_; }
  long long steps() const { return steps_; }
  double automatic_dt() const;
  // Advances to t_end with equal steps that land on it; throws numerical Errors on CFL violations
  // (fixed dt), non-finite states or depths that reach zero. `stop` is polled after every step
  // (once requested the call returns early, time() < t_end); `progress` (may be null) receives a
  // phase "advance" of the interval's fraction done.
  void advance_to(double t_end, const StopToken& stop = {}, ProgressSink* progress = nullptr);
  void rhs(const Field& state, Field& tendency);

  SweCgridDiagnostics diagnostics() const;

 private:
  struct Steppers;
  void check_state(const char* where) const;

  SweCgridConfig config_;
  bool parallel_;
  Field state_;
  Field mass_x_, mass_y_, bernoulli_, pv_;  // scratch for rhs: U, V, g h + K, q
  std::vector<double> f_corner_;            // Coriolis parameter at corner rows y = j dy
  double time_ = 0, last_dt_ = 0;
  long long steps_ = 0;
  std::unique_ptr<Steppers> steppers_;
};

// Initial states (h, u, v staggered as above).
// Balanced zonal jet u = U sin(k y), eta = (f0 U / (g k)) cos(k y), k = 2 pi m / ly, with an
// optional eta perturbation of relative amplitude `perturbation` at x-wavenumber 1 (instability).
void swe_jet_state(const SweCgridConfig& c, double speed, int mode, double perturbation, Field& h,
                   Field& u, Field& v);
// Gaussian bump of height `amplitude` and width `width`, at rest (geostrophic adjustment).
void swe_adjustment_state(const SweCgridConfig& c, double amplitude, double width, Field& h,
                          Field& u, Field& v);
// Random eta with a Gaussian-random-field spectrum (alpha, tau) scaled to rms `amplitude`;
// balanced: winds from the streamfunction g eta / f0 (discretely non-divergent); unbalanced: at
// rest.
void swe_random_state(const SweCgridConfig& c, bool balanced, double amplitude, double alpha,
                      double tau, std::mt19937_64& rng, Field& h, Field& u, Field& v);

}  // namespace fieldlab::solvers
