#include "solvers/swe_fv.hpp"

#include <algorithm>
#include <cmath>

#include "core/cpu_dispatch.hpp"
#include "core/error.hpp"
#include "solvers/grid_guard.hpp"
#include "solvers/interval_progress.hpp"
#include "solvers/swe_riemann.hpp"

namespace fieldlab::solvers {

namespace {
constexpr int kGhost = FvSweSolver::kGhostLayers;
// Below this many cells a step is a few microseconds of work: fork/join costs more than it saves
// (and ensembles already run one trajectory per thread).
constexpr long long kParallelCells = 16384;

void check_shape(const Field& f, int nx, int ny, const char* what) {
  require(f.rows() == nx && f.cols() == ny, "{} field is {}x{}, the grid is {}x{}", what, f.rows(),
          f.cols(), nx, ny);
  require(f.allFinite(), "{} field has non-finite values", what);
}

// The row kernels below do all the per-cell work of a step. Each is a free function over
// restrict pointers with a branch-free body, so its loop vectorises, and FIELDLAB_MULTIVERSION
// compiles it for AVX2/FMA as well as the baseline. They are separate functions (called once per
// row from the OpenMP loops) because the bodies GCC outlines for `omp parallel` would not inherit
// a target_clones attribute of the function around them.

// Primitive variables of one row: free-surface elevation and velocities (zero in dry cells).
FIELDLAB_MULTIVERSION void primitive_line(int m, double tol, const double* __restrict h,
                                          const double* __restrict hu, const double* __restrict hv,
                                          const double* __restrict z, double* __restrict eta,
                                          double* __restrict u, double* __restrict v) {
  for (int j = 0; j < m; ++j) {
    const double d = h[j];
    const double inv = d > tol ? 1.0 / std::max(d, 1e-300) : 0.0;
    eta[j] = d + z[j];
    u[j] = hu[j] * inv;
    v[j] = hv[j] * inv;
  }
}

// Limited slopes out[j] from q0[j] - qm[j] and qp[j] - q0[j] (qm, qp: the neighbouring row, or
// q0 shifted by -1 / +1 for slopes along the row).
template <SlopeLimiter L>
FIELDLAB_MULTIVERSION void slope_line(int j0, int j1, const double* qm, const double* q0,
                                      const double* qp, double* __restrict out) {
  for (int j = j0; j < j1; ++j) out[j] = limited_slope(L, q0[j] - qm[j], qp[j] - q0[j]);
}

// Fluxes through one line of faces between "left" cells (values q, slopes s: face value q + s/2)
// and "right" cells (q - s/2), with the hydrostatic reconstruction: the bottom is the higher of
// the two reconstructed bottoms and each side's depth is its free surface above it (never
// negative).
template <RiemannSolver R>
FIELDLAB_MULTIVERSION void face_line(
    int j0, int j1, double g, const double* __restrict hl, const double* __restrict shl,
    const double* __restrict el, const double* __restrict sel, const double* __restrict nl,
    const double* __restrict snl, const double* __restrict tl, const double* __restrict stl,
    const double* __restrict hr, const double* __restrict shr, const double* __restrict er,
    const double* __restrict ser, const double* __restrict nr, const double* __restrict snr,
    const double* __restrict tr, const double* __restrict str, double* __restrict mass,
    double* __restrict mom_l, double* __restrict mom_r, double* __restrict tan) {
  for (int j = j0; j < j1; ++j) {
    const double h_l = hl[j] + 0.5 * shl[j], eta_l = el[j] + 0.5 * sel[j];
    const double h_r = hr[j] - 0.5 * shr[j], eta_r = er[j] - 0.5 * ser[j];
    const double zs = std::max(eta_l - h_l, eta_r - h_r);
    const double hls = std::max(0.0, eta_l - zs), hrs = std::max(0.0, eta_r - zs);
    const SweFaceFlux f = swe_flux(R, g, hls, nl[j] + 0.5 * snl[j], tl[j] + 0.5 * stl[j], hrs,
                                   nr[j] - 0.5 * snr[j], tr[j] - 0.5 * str[j]);
    mass[j] = f.mass;
    mom_l[j] = f.normal - 0.5 * g * hls * hls;
    mom_r[j] = f.normal - 0.5 * g * hrs * hrs;
    tan[j] = f.tangential;
  }
}

// MUSCL-Hancock predictor for one row: cell values advanced by half a step with the
// quasi-linear primitive-variable equations, the pressure gradient taken from the free-surface
// slope so that still water over any bottom stays still (the velocity slopes vanish and so does
// the eta slope):
//   h_t = -(u h_x + h u_x) - (v h_y + h v_y),  u_t = -u u_x - v u_y - g eta_x,
//   v_t = -u v_x - v v_y - g eta_y,  eta_t = h_t.
// Slopes are differences across a cell, so hx = half_dt / dx. Dry cells are not advanced.
FIELDLAB_MULTIVERSION void predictor_line(
    int j0, int j1, double g, double tol, double hx, double hy, const double* __restrict h,
    const double* __restrict eta, const double* __restrict u, const double* __restrict v,
    const double* __restrict sxh, const double* __restrict sxe, const double* __restrict sxu,
    const double* __restrict sxv, const double* __restrict syh, const double* __restrict sye,
    const double* __restrict syu, const double* __restrict syv, double* __restrict hp,
    double* __restrict ep, double* __restrict up, double* __restrict vp) {
  for (int j = j0; j < j1; ++j) {
    const double d = h[j], a = u[j], b = v[j];
    const double wet = d > tol ? 1.0 : 0.0;
    const double dh = -(a * sxh[j] + d * sxu[j]) * hx - (b * syh[j] + d * syv[j]) * hy;
    const double du = -(a * sxu[j] + g * sxe[j]) * hx - b * syu[j] * hy;
    const double dv = -a * sxv[j] * hx - (b * syv[j] + g * sye[j]) * hy;
    hp[j] = d + wet * dh;
    ep[j] = eta[j] + wet * dh;
    up[j] = a + wet * du;
    vp[j] = b + wet * dv;
  }
}

// Right-hand side of one row of cells from its face fluxes (x faces i - 1/2, i + 1/2: rows
// *0 / *1; y faces at j - 1/2, j + 1/2 along the row). The cell-local part of the pressure and
// bottom terms, -g h (d eta), is what makes the second-order scheme well balanced: it vanishes
// when the free surface is flat.
FIELDLAB_MULTIVERSION void update_line(int j0, int j1, double g, double inv_dx, double inv_dy,
                                       const double* __restrict h, const double* __restrict sxe,
                                       const double* __restrict sye, const double* __restrict fxm0,
                                       const double* __restrict fxm1, const double* __restrict fxl1,
                                       const double* __restrict fxr0, const double* __restrict fxt0,
                                       const double* __restrict fxt1, const double* __restrict fym,
                                       const double* __restrict fyl, const double* __restrict fyr,
                                       const double* __restrict fyt, double* __restrict dh,
                                       double* __restrict dhu, double* __restrict dhv) {
  for (int j = j0; j < j1; ++j) {
    dh[j] = -(fxm1[j] - fxm0[j]) * inv_dx - (fym[j] - fym[j - 1]) * inv_dy;
    dhu[j] =
        -(fxl1[j] - fxr0[j]) * inv_dx - (fyt[j] - fyt[j - 1]) * inv_dy - g * h[j] * sxe[j] * inv_dx;
    dhv[j] =
        -(fxt1[j] - fxt0[j]) * inv_dx - (fyl[j] - fyr[j - 1]) * inv_dy - g * h[j] * sye[j] * inv_dy;
  }
}

// One row of a Runge-Kutta stage: out = a * base + b * (src + dt * rhs) (base only if WithBase),
// round-off negative depths clipped to zero (returns the depth added) and dry cells' momentum
// reset. Output may be the same row as base or src (element-wise in place), hence ivdep instead
// of restrict on those.
template <bool WithBase>
FIELDLAB_MULTIVERSION double combine_line(int j0, int j1, double a, const double* h0,
                                          const double* hu0, const double* hv0, double b,
                                          const double* h1, const double* hu1, const double* hv1,
                                          const double* __restrict dh, const double* __restrict dhu,
                                          const double* __restrict dhv, double dt, double tol,
                                          double* h, double* hu, double* hv) {
  double clipped = 0.0;
#pragma omp simd reduction(+ : clipped)
  for (int j = j0; j < j1; ++j) {
    double d = b * (h1[j] + dt * dh[j]);
    double mx = b * (hu1[j] + dt * dhu[j]);
    double my = b * (hv1[j] + dt * dhv[j]);
    if constexpr (WithBase) {
      d += a * h0[j];
      mx += a * hu0[j];
      my += a * hv0[j];
    }
    // Under the CFL bound depths stay >= 0 up to round-off; clip that and record it.
    clipped += std::max(-d, 0.0);
    d = std::max(d, 0.0);
    const bool wet = d > tol;
    h[j] = d;
    hu[j] = wet ? mx : 0.0;
    hv[j] = wet ? my : 0.0;
  }
  return clipped;
}

struct RateAndSum {
  double rate, sum;
};

// Largest (|u| + c) / dx + (|v| + c) / dy of one row (dry cells: 0) and the sum of its state
// values, which a NaN or Inf anywhere poisons.
FIELDLAB_MULTIVERSION RateAndSum wave_rate_line(int j0, int j1, double g, double tol, double inv_dx,
                                                double inv_dy, const double* __restrict h,
                                                const double* __restrict hu,
                                                const double* __restrict hv) {
  double rate = 0.0, sum = 0.0;
#pragma omp simd reduction(max : rate) reduction(+ : sum)
  for (int j = j0; j < j1; ++j) {
    const double d = h[j];
    sum += d + hu[j] + hv[j];
    const bool wet = d > tol;
    const double inv = wet ? 1.0 / std::max(d, 1e-300) : 0.0;
    const double c = wet ? std::sqrt(g * std::max(d, 0.0)) : 0.0;
    const double r = (std::abs(hu[j]) * inv + c) * inv_dx + (std::abs(hv[j]) * inv + c) * inv_dy;
    rate = std::max(rate, r);
  }
  return {rate, sum};
}
}  // namespace

FvSweSolver::FvSweSolver(const FvSweConfig& config)
    // 4 conserved fields, 8 flux fields and the SSP-RK stage copies of the 4.
    : config_((config.validate(),
               check_grid_memory("shallow water (finite volume)", config.nx, config.ny, 20),
               config)),
      dx_(config.dx()),
      dy_(config.dy()),
      parallel_(static_cast<long long>(config.nx) * config.ny >= kParallelCells) {
  const int n = config_.nx + 2 * kGhost, m = config_.ny + 2 * kGhost;
  for (Field* f :
       {&h_,    &hu_,      &hv_,   &z_,      &h1_,     &hu1_,     &hv1_,  &h2_,     &hu2_,
        &hv2_,  &dh_,      &dhu_,  &dhv_,    &eta_,    &u_,       &v_,    &hp_,     &etap_,
        &up_,   &vp_,      &sx_h_, &sx_eta_, &sx_u_,   &sx_v_,    &sy_h_, &sy_eta_, &sy_u_,
        &sy_v_, &fx_mass_, &fx_l_, &fx_r_,   &fx_tan_, &fy_mass_, &fy_l_, &fy_r_,   &fy_tan_})
    *f = Field::Zero(n, m);
}

void FvSweSolver::set_bathymetry(const Field& z) {
  check_shape(z, config_.nx, config_.ny, "bathymetry");
  z_.block(kGhost, kGhost, config_.nx, config_.ny) = z;
  // The bottom is extended by copying (transmissive) or mirroring (reflective): both leave the
  // ghost bottom equal to its neighbour's, so still water stays still at the boundary too.
  fill_ghosts_scalar(z_, 1, 1);
}

void FvSweSolver::set_state(const Field& h, const Field& hu, const Field& hv, double t) {
  const int nx = config_.nx, ny = config_.ny;
  check_shape(h, nx, ny, "depth");
  check_shape(hu, nx, ny, "x-momentum");
  check_shape(hv, nx, ny, "y-momentum");
  require(h.minCoeff() >= 0.0, "depth must be >= 0 everywhere (minimum {})", h.minCoeff());
  require(std::isfinite(t), "initial time must be finite");
  h_.block(kGhost, kGhost, nx, ny) = h;
  hu_.block(kGhost, kGhost, nx, ny) = (h > config_.dry_tolerance).select(hu, 0.0);
  hv_.block(kGhost, kGhost, nx, ny) = (h > config_.dry_tolerance).select(hv, 0.0);
  time_ = t;
  steps_ = 0;
  clipped_mass_ = 0;
}

void FvSweSolver::depth(Field& h) const { h = h_.block(kGhost, kGhost, config_.nx, config_.ny); }

void FvSweSolver::momentum(Field& hu, Field& hv) const {
  hu = hu_.block(kGhost, kGhost, config_.nx, config_.ny);
  hv = hv_.block(kGhost, kGhost, config_.nx, config_.ny);
}

void FvSweSolver::velocity(Field& u, Field& v) const {
  const int nx = config_.nx, ny = config_.ny;
  u.resize(nx, ny);
  v.resize(nx, ny);
  const double tol = config_.dry_tolerance;
#pragma omp parallel for schedule(static) if (parallel_)
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const double h = h_(i + kGhost, j + kGhost);
      u(i, j) = h > tol ? hu_(i + kGhost, j + kGhost) / h : 0.0;
      v(i, j) = h > tol ? hv_(i + kGhost, j + kGhost) / h : 0.0;
    }
}

void FvSweSolver::bathymetry(Field& z) const {
  z = z_.block(kGhost, kGhost, config_.nx, config_.ny);
}

void FvSweSolver::fill_ghosts_scalar(Field& a, int flip_x, int flip_y) const {
  const int nx = config_.nx, ny = config_.ny;
  const int n = nx + 2 * kGhost, m = ny + 2 * kGhost;
  const bool reflect = config_.boundary == SweBoundary::reflective;
  const double sx = reflect ? flip_x : 1.0, sy = reflect ? flip_y : 1.0;
  // x ghosts (rows) first over interior columns, then y ghosts over every row (fills corners).
  for (int j = kGhost; j < ny + kGhost; ++j) {
    if (reflect) {
      a(1, j) = sx * a(2, j);
      a(0, j) = sx * a(3, j);
      a(nx + 2, j) = sx * a(nx + 1, j);
      a(nx + 3, j) = sx * a(nx, j);
    } else {
      a(0, j) = a(1, j) = a(2, j);
      a(nx + 2, j) = a(nx + 3, j) = a(nx + 1, j);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (reflect) {
      a(i, 1) = sy * a(i, 2);
      a(i, 0) = sy * a(i, 3);
      a(i, ny + 2) = sy * a(i, ny + 1);
      a(i, ny + 3) = sy * a(i, ny);
    } else {
      a(i, 0) = a(i, 1) = a(i, 2);
      a(i, m - 2) = a(i, m - 1) = a(i, m - 3);
    }
  }
}

void FvSweSolver::fill_ghosts(Field& h, Field& hu, Field& hv) const {
  fill_ghosts_scalar(h, 1, 1);
  fill_ghosts_scalar(hu, -1, 1);  // walls reverse the normal momentum only
  fill_ghosts_scalar(hv, 1, -1);
}

template <RiemannSolver R, SlopeLimiter L>
void FvSweSolver::rhs_impl(const Field& h, const Field& hu, const Field& hv, double half_dt) {
  const int nx = config_.nx, ny = config_.ny;
  const int n = nx + 2 * kGhost, m = ny + 2 * kGhost;
  const double g = config_.gravity, tol = config_.dry_tolerance;
  const double inv_dx = 1.0 / dx_, inv_dy = 1.0 / dy_;

#pragma omp parallel if (parallel_)
  {
#pragma omp for schedule(static)
    for (int i = 0; i < n; ++i)
      primitive_line(m, tol, &h(i, 0), &hu(i, 0), &hv(i, 0), &z_(i, 0), &eta_(i, 0), &u_(i, 0),
                     &v_(i, 0));

      // Slopes (differences across a cell) of rows 1..nx+2, columns 1..ny+2: every cell next to a
      // face of the interior (the x slopes of the first and last columns and the y slopes of the
      // first and last rows are only used by the MUSCL-Hancock predictor).
#pragma omp for schedule(static)
    for (int i = 1; i <= nx + 2; ++i) {
      const Field* src[4] = {&h, &eta_, &u_, &v_};
      Field* dst[4] = {&sx_h_, &sx_eta_, &sx_u_, &sx_v_};
      Field* ydst[4] = {&sy_h_, &sy_eta_, &sy_u_, &sy_v_};
      for (int k = 0; k < 4; ++k) {
        const double* q0 = &(*src[k])(i, 0);
        slope_line<L>(1, ny + 3, &(*src[k])(i - 1, 0), q0, &(*src[k])(i + 1, 0), &(*dst[k])(i, 0));
        slope_line<L>(1, ny + 3, q0 - 1, q0, q0 + 1, &(*ydst[k])(i, 0));
      }
    }

    // Cell values the faces are reconstructed from: the current ones, or (MUSCL-Hancock) the
    // ones predicted half a step ahead.
    const Field *hc = &h, *ec = &eta_, *uc = &u_, *vc = &v_;
    if (half_dt > 0) {
#pragma omp for schedule(static)
      for (int i = 1; i <= nx + 2; ++i)
        predictor_line(1, ny + 3, g, tol, half_dt * inv_dx, half_dt * inv_dy, &h(i, 0), &eta_(i, 0),
                       &u_(i, 0), &v_(i, 0), &sx_h_(i, 0), &sx_eta_(i, 0), &sx_u_(i, 0),
                       &sx_v_(i, 0), &sy_h_(i, 0), &sy_eta_(i, 0), &sy_u_(i, 0), &sy_v_(i, 0),
                       &hp_(i, 0), &etap_(i, 0), &up_(i, 0), &vp_(i, 0));
      hc = &hp_;
      ec = &etap_;
      uc = &up_;
      vc = &vp_;
    }
    const Field &hh = *hc, &ee = *ec, &uu = *uc, &vv = *vc;

#pragma omp for schedule(static)
    for (int i = 1; i <= nx + 1; ++i)
      face_line<R>(kGhost, ny + kGhost, g, &hh(i, 0), &sx_h_(i, 0), &ee(i, 0), &sx_eta_(i, 0),
                   &uu(i, 0), &sx_u_(i, 0), &vv(i, 0), &sx_v_(i, 0), &hh(i + 1, 0),
                   &sx_h_(i + 1, 0), &ee(i + 1, 0), &sx_eta_(i + 1, 0), &uu(i + 1, 0),
                   &sx_u_(i + 1, 0), &vv(i + 1, 0), &sx_v_(i + 1, 0), &fx_mass_(i, 0), &fx_l_(i, 0),
                   &fx_r_(i, 0), &fx_tan_(i, 0));

      // y faces: the normal velocity is v; the right cell is the next one along the row.
#pragma omp for schedule(static)
    for (int i = kGhost; i < nx + kGhost; ++i)
      face_line<R>(1, ny + 2, g, &hh(i, 0), &sy_h_(i, 0), &ee(i, 0), &sy_eta_(i, 0), &vv(i, 0),
                   &sy_v_(i, 0), &uu(i, 0), &sy_u_(i, 0), &hh(i, 1), &sy_h_(i, 1), &ee(i, 1),
                   &sy_eta_(i, 1), &vv(i, 1), &sy_v_(i, 1), &uu(i, 1), &sy_u_(i, 1),
                   &fy_mass_(i, 0), &fy_l_(i, 0), &fy_r_(i, 0), &fy_tan_(i, 0));

#pragma omp for schedule(static)
    for (int i = kGhost; i < nx + kGhost; ++i)
      update_line(kGhost, ny + kGhost, g, inv_dx, inv_dy, &hh(i, 0), &sx_eta_(i, 0), &sy_eta_(i, 0),
                  &fx_mass_(i - 1, 0), &fx_mass_(i, 0), &fx_l_(i, 0), &fx_r_(i - 1, 0),
                  &fx_tan_(i - 1, 0), &fx_tan_(i, 0), &fy_mass_(i, 0), &fy_l_(i, 0), &fy_r_(i, 0),
                  &fy_tan_(i, 0), &dh_(i, 0), &dhu_(i, 0), &dhv_(i, 0));
  }
}

void FvSweSolver::rhs(const Field& h, const Field& hu, const Field& hv, double half_dt) {
  // Compile-time scheme choice keeps the innermost loops free of dispatch.
  auto with_limiter = [&]<RiemannSolver R>() {
    switch (config_.limiter) {
      case SlopeLimiter::none:
        return rhs_impl<R, SlopeLimiter::none>(h, hu, hv, half_dt);
      case SlopeLimiter::minmod:
        return rhs_impl<R, SlopeLimiter::minmod>(h, hu, hv, half_dt);
      case SlopeLimiter::mc:
        return rhs_impl<R, SlopeLimiter::mc>(h, hu, hv, half_dt);
    }
  };
  switch (config_.riemann) {
    case RiemannSolver::hll:
      return with_limiter.template operator()<RiemannSolver::hll>();
    case RiemannSolver::hllc:
      return with_limiter.template operator()<RiemannSolver::hllc>();
    case RiemannSolver::rusanov:
      return with_limiter.template operator()<RiemannSolver::rusanov>();
    case RiemannSolver::roe:
      return with_limiter.template operator()<RiemannSolver::roe>();
  }
}

void FvSweSolver::combine(double a, const Field* h0, const Field* hu0, const Field* hv0, double b,
                          const Field& h1, const Field& hu1, const Field& hv1, double dt, Field& h,
                          Field& hu, Field& hv) {
  const int nx = config_.nx, ny = config_.ny;
  const double tol = config_.dry_tolerance;
  double clipped = 0.0;
#pragma omp parallel for schedule(static) if (parallel_) reduction(+ : clipped)
  for (int i = kGhost; i < nx + kGhost; ++i) {
    const int j0 = kGhost, j1 = ny + kGhost;
    clipped += h0 ? combine_line<true>(j0, j1, a, &(*h0)(i, 0), &(*hu0)(i, 0), &(*hv0)(i, 0), b,
                                       &h1(i, 0), &hu1(i, 0), &hv1(i, 0), &dh_(i, 0), &dhu_(i, 0),
                                       &dhv_(i, 0), dt, tol, &h(i, 0), &hu(i, 0), &hv(i, 0))
                  : combine_line<false>(j0, j1, a, nullptr, nullptr, nullptr, b, &h1(i, 0),
                                        &hu1(i, 0), &hv1(i, 0), &dh_(i, 0), &dhu_(i, 0),
                                        &dhv_(i, 0), dt, tol, &h(i, 0), &hu(i, 0), &hv(i, 0));
  }
  clipped_mass_ += clipped * dx_ * dy_;
}

void FvSweSolver::step(double dt) {
  require(std::isfinite(dt) && dt > 0, "time step must be positive (got {})", dt);
  fill_ghosts(h_, hu_, hv_);
  rhs(h_, hu_, hv_, config_.stepper == SspStepper::hancock ? 0.5 * dt : 0.0);
  switch (config_.stepper) {
    case SspStepper::hancock:  // one flux evaluation from the half-step predictor
    case SspStepper::euler:
      combine(0.0, nullptr, nullptr, nullptr, 1.0, h_, hu_, hv_, dt, h_, hu_, hv_);
      break;
    case SspStepper::ssprk2:
      combine(0.0, nullptr, nullptr, nullptr, 1.0, h_, hu_, hv_, dt, h1_, hu1_, hv1_);
      fill_ghosts(h1_, hu1_, hv1_);
      rhs(h1_, hu1_, hv1_);
      combine(0.5, &h_, &hu_, &hv_, 0.5, h1_, hu1_, hv1_, dt, h_, hu_, hv_);
      break;
    case SspStepper::ssprk3:
      combine(0.0, nullptr, nullptr, nullptr, 1.0, h_, hu_, hv_, dt, h1_, hu1_, hv1_);
      fill_ghosts(h1_, hu1_, hv1_);
      rhs(h1_, hu1_, hv1_);
      combine(0.75, &h_, &hu_, &hv_, 0.25, h1_, hu1_, hv1_, dt, h2_, hu2_, hv2_);
      fill_ghosts(h2_, hu2_, hv2_);
      rhs(h2_, hu2_, hv2_);
      combine(1.0 / 3.0, &h_, &hu_, &hv_, 2.0 / 3.0, h2_, hu2_, hv2_, dt, h_, hu_, hv_);
      break;
  }
  time_ += dt;
  last_dt_ = dt;
  ++steps_;
}

double FvSweSolver::stable_dt() const {
  const int nx = config_.nx, ny = config_.ny;
  const double g = config_.gravity, tol = config_.dry_tolerance;
  const double inv_dx = 1.0 / dx_, inv_dy = 1.0 / dy_;
  double rate = 0.0, sum = 0.0;
#pragma omp parallel for schedule(static) if (parallel_) reduction(max : rate) reduction(+ : sum)
  for (int i = kGhost; i < nx + kGhost; ++i) {
    const RateAndSum r = wave_rate_line(kGhost, ny + kGhost, g, tol, inv_dx, inv_dy, &h_(i, 0),
                                        &hu_(i, 0), &hv_(i, 0));
    rate = std::max(rate, r.rate);
    sum += r.sum;
  }
  if (!std::isfinite(sum))
    fail(ErrorKind::numerical,
         "shallow-water state became non-finite at step {} (t = {:.6g}); lower --cfl", steps_,
         time_);
  return rate > 0 ? config_.cfl / rate : 1e300;
}

void FvSweSolver::advance_to(double t_end, const StopToken& stop, ProgressSink* progress) {
  require(std::isfinite(t_end) && t_end >= time_, "cannot advance from t = {} to t = {}", time_,
          t_end);
  IntervalProgress report(progress, time_, t_end);
  while (time_ < t_end) {
    double dt = stable_dt();
    // Land exactly on t_end; avoid a sliver of a last step by splitting the remainder in two.
    const double remaining = t_end - time_;
    if (dt >= remaining) {
      dt = remaining;
    } else if (dt > 0.5 * remaining) {
      dt = 0.5 * remaining;
    }
    if (!(dt > 1e-14 * std::max(1.0, std::abs(t_end))))
      fail(ErrorKind::numerical, "time step collapsed to {:.3g} at t = {:.6g} (step {})", dt, time_,
           steps_);
    const double target = time_ + dt;
    step(dt);
    time_ = dt == remaining ? t_end : target;
    report.at(time_);
    if (stop.stop_requested()) break;
  }
  (void)stable_dt();  // throws if the final state is not finite
}

FvSweDiagnostics FvSweSolver::diagnostics() const {
  const int nx = config_.nx, ny = config_.ny;
  const double g = config_.gravity, tol = config_.dry_tolerance;
  double mass = 0, energy = 0, speed = 0, min_depth = 1e300;
#pragma omp parallel for schedule(static) if (parallel_) reduction(+ : mass, energy) \
    reduction(max : speed) reduction(min : min_depth)
  for (int i = kGhost; i < nx + kGhost; ++i)
    for (int j = kGhost; j < ny + kGhost; ++j) {
      const double d = h_(i, j);
      mass += d;
      min_depth = std::min(min_depth, d);
      if (d <= tol) {
        energy += g * d * (0.5 * d + z_(i, j));
        continue;
      }
      const double u = hu_(i, j) / d, v = hv_(i, j) / d, c = std::sqrt(g * d);
      energy += 0.5 * d * (u * u + v * v) + g * d * (0.5 * d + z_(i, j));
      speed = std::max({speed, std::abs(u) + c, std::abs(v) + c});
    }
  FvSweDiagnostics d;
  d.time = time_;
  d.mass = mass * dx_ * dy_;
  d.energy = energy * dx_ * dy_;
  d.max_wave_speed = speed;
  d.min_depth = min_depth;
  d.clipped_mass = clipped_mass_;
  d.steps = steps_;
  return d;
}

}  // namespace fieldlab::solvers
