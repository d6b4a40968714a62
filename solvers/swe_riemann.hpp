#pragma once
// Approximate Riemann solvers for the 1D shallow-water equations with a passive tangential
// velocity, used face by face by the finite-volume solver. Inline: they sit in the innermost loop.
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

// Flux across a face with normal velocity u and tangential velocity v on each side.
inline SweFaceFlux swe_flux(RiemannSolver solver, double g, double hl, double ul, double vl,
                            double hr, double ur, double vr) {
  SweFaceFlux f;
  if (hl <= 0.0 && hr <= 0.0) return f;
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
  double sl, sr;
  if (hl <= 0.0) {
    sl = ur - 2.0 * cr;
    sr = ur + cr;
  } else if (hr <= 0.0) {
    sl = ul - cl;
    sr = ul + 2.0 * cl;
  } else {
    // Two-rarefaction estimate of the star state bounds the wave speeds (Einfeldt-type).
    const double u_star = 0.5 * (ul + ur) + cl - cr;
    const double c_star = 0.5 * (cl + cr) + 0.25 * (ul - ur);
    sl = std::min(ul - cl, u_star - c_star);
    sr = std::max(ur + cr, u_star + c_star);
  }
  if (sl >= 0.0) return {ql, fl_n, ql * vl};
  if (sr <= 0.0) return {qr, fr_n, qr * vr};
  const double inv = 1.0 / (sr - sl);
  f.mass = (sr * ql - sl * qr + sl * sr * (hr - hl)) * inv;
  f.normal = (sr * fl_n - sl * fr_n + sl * sr * (qr - ql)) * inv;
  if (solver == RiemannSolver::hll) {
    f.tangential = (sr * ql * vl - sl * qr * vr + sl * sr * (hr * vr - hl * vl)) * inv;
  } else {
    // HLLC: the tangential velocity is carried by the contact wave of speed s_star.
    const double denominator = hr * (ur - sr) - hl * (ul - sl);
    const double s_star =
        denominator != 0.0 ? (sl * hr * (ur - sr) - sr * hl * (ul - sl)) / denominator : 0.0;
    f.tangential = f.mass * (s_star >= 0.0 ? vl : vr);
  }
  return f;
}

// Limited slope of a piecewise-linear reconstruction from the backward and forward differences.
inline double limited_slope(SlopeLimiter limiter, double backward, double forward) {
  if (limiter == SlopeLimiter::none || backward * forward <= 0.0) return 0.0;
  const double sign = backward > 0.0 ? 1.0 : -1.0;
  const double a = std::abs(backward), b = std::abs(forward);
  if (limiter == SlopeLimiter::minmod) return sign * std::min(a, b);
  // Monotonised central (van Leer): minmod(2a, (a + b) / 2, 2b).
  return sign * std::min({2.0 * a, 0.5 * (a + b), 2.0 * b});
}

}  // namespace fieldlab::solvers
