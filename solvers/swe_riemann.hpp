#pragma once
// Approximate Riemann solvers (HLL, HLLC, Rusanov, Roe with the Harten-Hyman entropy fix) for the
// 1D shallow-water equations with a passive tangential velocity, used face by face by the
// finite-volume solver. Inline: they sit in the innermost loop.
// Dry states (h == 0) are allowed on either side; the wave-speed estimates then use the exact
// dry-front speeds u -/+ 2c (Toro, "Shock-capturing methods for free-surface shallow flows").

#include <algorithm>
#include <cmath>

#include "solvers/swe_fv_config.hpp"

namespace fieldlab::solvers {

struct SweFaceFlux {
  double mass = 0;        // h u_n
  double normal = 0;      // h u_n^2 + g h^2 / 2
  double tangential = 0;  // h u_n u_t
};

// Flux across a face with normal velocity u and tangential velocity v on each side. Always
// inlined: a call would stop the face loops from vectorising (the Roe branch is big enough that
// GCC's heuristics would otherwise keep the call).
[[gnu::always_inline]] inline SweFaceFlux swe_flux(RiemannSolver solver, double g, double hl,
                                                   double ul, double vl, double hr, double ur,
                                                   double vr) {
  SweFaceFlux f;
  const double cl = std::sqrt(g * hl), cr = std::sqrt(g * hr);
  const double ql = hl * ul, qr = hr * ur;
  const double fl_n = ql * ul + 0.5 * g * hl * hl, fr_n = qr * ur + 0.5 * g * hr * hr;
  if (solver == RiemannSolver::rusanov) {
    const double s = std::max(std::abs(ul) + cl, std::abs(ur) + cr);
    f.mass = 0.5 * (ql + qr) - 0.5 * s * (hr - hl);
    f.normal = 0.5 * (fl_n + fr_n) - 0.5 * s * (qr - ql);
    f.tangential = 0.5 * (ql * vl + qr * vr) - 0.5 * s * (hr * vr - hl * vl);
    return f;
  }
  // Written without branches (selects only) so the face loops vectorise.
  // Two-rarefaction estimate of the star state bounds the wave speeds (Einfeldt-type); a dry
  // side uses the exact dry-front speeds.
  const double u_star = 0.5 * (ul + ur) + cl - cr;
  const double c_star = 0.5 * (cl + cr) + 0.25 * (ul - ur);
  const bool left_dry = hl <= 0.0, right_dry = hr <= 0.0;
  double sl = std::min(ul - cl, u_star - c_star);
  double sr = std::max(ur + cr, u_star + c_star);
  sl = right_dry ? ul - cl : sl;
  sr = right_dry ? ul + 2.0 * cl : sr;
  sl = left_dry ? ur - 2.0 * cr : sl;
  sr = left_dry ? ur + cr : sr;
  // Clipping the speeds at zero makes the HLL formula return the upwind flux in supersonic
  // cases (sl >= 0: F_L; sr <= 0: F_R).
  const double sl0 = std::min(sl, 0.0), sr0 = std::max(sr, 0.0);
  // span == 0 only when both sides are dry (all numerators vanish): the floor avoids 0 / 0.
  const double inv = 1.0 / std::max(sr0 - sl0, 1e-300);
  f.mass = (sr0 * ql - sl0 * qr + sl0 * sr0 * (hr - hl)) * inv;
  f.normal = (sr0 * fl_n - sl0 * fr_n + sl0 * sr0 * (qr - ql)) * inv;
  if (solver == RiemannSolver::roe) {
    // Roe (1981): the exact solution of the problem linearised about the Roe average (sqrt(h)
    // weighted velocities, c^2 = g (hl + hr) / 2), which makes a single shock exact. Waves:
    // u - c and u + c (gravity) with r = (1, u -/+ c, v), and the shear wave u with r = (0, 0, 1).
    const double wl = std::sqrt(hl), wr = std::sqrt(hr);
    const double inv_w = 1.0 / std::max(wl + wr, 1e-300);
    const double u = (wl * ul + wr * ur) * inv_w, v = (wl * vl + wr * vr) * inv_w;
    const double c = std::sqrt(0.5 * g * (hl + hr));
    const double dh = hr - hl, dq = qr - ql, dw = hr * vr - hl * vl;
    const double inv_2c = 0.5 / std::max(c, 1e-300);
    const double a1 = ((u + c) * dh - dq) * inv_2c, a3 = (dq - (u - c) * dh) * inv_2c;
    const double a2 = dw - v * dh;
    const double l1 = u - c, l3 = u + c;
    // Harten-Hyman entropy fix: in a transonic rarefaction (the characteristic speed increases
    // across the face) |lambda| is smoothed over delta = max(0, lambda - lambda_L, lambda_R -
    // lambda), so the expansion is not kept as a stationary entropy-violating jump.
    const auto fixed = [](double lambda, double delta) {
      const double a = std::abs(lambda);
      return a >= delta ? a : (lambda * lambda + delta * delta) / (2.0 * std::max(delta, 1e-300));
    };
    const double e1 = fixed(l1, std::max(std::max(0.0, l1 - (ul - cl)), (ur - cr) - l1));
    const double e3 = fixed(l3, std::max(std::max(0.0, l3 - (ul + cl)), (ur + cr) - l3));
    const double e2 = std::abs(u);
    const double roe_mass = 0.5 * (ql + qr) - 0.5 * (e1 * a1 + e3 * a3);
    const double roe_normal = 0.5 * (fl_n + fr_n) - 0.5 * (e1 * a1 * l1 + e3 * a3 * l3);
    const double roe_tan = 0.5 * (ql * vl + qr * vr) - 0.5 * (e1 * a1 * v + e2 * a2 + e3 * a3 * v);
    // The linearisation does not keep depths positive next to a dry cell: there the HLL flux
    // with the exact dry-front speeds (computed above) is used instead.
    const bool wet = !left_dry && !right_dry;
    f.mass = wet ? roe_mass : f.mass;
    f.normal = wet ? roe_normal : f.normal;
    f.tangential =
        wet ? roe_tan : (sr0 * ql * vl - sl0 * qr * vr + sl0 * sr0 * (hr * vr - hl * vl)) * inv;
    return f;
  }
  if (solver == RiemannSolver::hll) {
    f.tangential = (sr0 * ql * vl - sl0 * qr * vr + sl0 * sr0 * (hr * vr - hl * vl)) * inv;
  } else {
    // HLLC: the tangential velocity is carried by the contact wave of speed s_star.
    // s_star = (sl hr (ur - sr) - sr hl (ul - sl)) / (hr (ur - sr) - hl (ul - sl)); the
    // denominator is negative (ur - sr <= -cr, ul - sl >= cl), so only the numerator's sign
    // decides the upwind side (both sides dry: mass flux 0 anyway).
    const double numerator = sl * hr * (ur - sr) - sr * hl * (ul - sl);
    f.tangential = f.mass * (numerator <= 0.0 ? vl : vr);
  }
  return f;
}

// Limited slope of a piecewise-linear reconstruction from the backward and forward differences.
inline double limited_slope(SlopeLimiter limiter, double backward, double forward) {
  if (limiter == SlopeLimiter::none) return 0.0;
  // sign(a) + sign(b) halves: +-1 when the differences agree in sign, 0 when they do not (and
  // the min() below is 0 when either is 0). Branch-free, so the slope loops vectorise.
  const double sign = std::copysign(0.5, backward) + std::copysign(0.5, forward);
  const double a = std::abs(backward), b = std::abs(forward);
  if (limiter == SlopeLimiter::minmod) return sign * std::min(a, b);
  // Monotonised central (van Leer): minmod(2a, (a + b) / 2, 2b).
  return sign * std::min(std::min(2.0 * a, 2.0 * b), 0.5 * std::abs(backward + forward));
}

}  // namespace fieldlab::solvers
