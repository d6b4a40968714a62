#include "quantum/qkan/daruan_batch.hpp"

#include <algorithm>
#include <cmath>

#include "core/cpu_dispatch.hpp"

namespace fieldlab::quantum::qkan {
namespace {

constexpr int kBlock = 64;  // samples per block: the block's spinors stay in L1
constexpr int kMaxReps = 64;

// Round to nearest integer without a libm call (exact for |v| < 2^51), vectorisable.
[[gnu::always_inline]] inline double round_nearest(double v) {
  constexpr double magic = 6755399441055744.0;  // 1.5 * 2^52
  return (v + magic) - magic;
}

[[gnu::always_inline]] inline void sincos_one(double t, double& c_out, double& s_out) {
  // t = n pi/2 + r with |r| <= pi/4 (three-part Cody-Waite constants from fdlibm).
  constexpr double two_over_pi = 6.36619772367581382433e-01;
  constexpr double pio2_1 = 1.57079632673412561417e+00, pio2_2 = 6.07710050630396597660e-11,
                   pio2_3 = 2.02226624871116645580e-21;
  const double n = round_nearest(t * two_over_pi);
  const double r = ((t - n * pio2_1) - n * pio2_2) - n * pio2_3;
  const double z = r * r;
  // fdlibm __kernel_sin / __kernel_cos polynomials on [-pi/4, pi/4].
  const double sp =
      r + r * z *
              (-1.66666666666666324348e-01 +
               z * (8.33333333332248946124e-03 +
                    z * (-1.98412698298579493134e-04 +
                         z * (2.75573137070700676789e-06 + z * (-2.50507602534068634195e-08 +
                                                                z * 1.58969099521155010221e-10)))));
  const double cp =
      1.0 - 0.5 * z +
      z * z *
          (4.16666666666666019037e-02 +
           z * (-1.38888888888741095749e-03 +
                z * (2.48015872894767294178e-05 +
                     z * (-2.75573143513906633035e-07 +
                          z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11)))));
  // Quadrant q = n mod 4 in 0..3, in floating point and with one comparison per select, so the
  // loop vectorises (blends instead of branches).
  double q = n - 4.0 * round_nearest(0.25 * n);  // -2..2
  q += 4.0 * (0.5 - std::copysign(0.5, q));      // 0..3 (a select here would be a branch)
  const double odd = std::abs(q - 2.0 * round_nearest(0.5 * q));  // 1 for q = 1 or 3, else 0
  const double sin_abs = odd * cp + (1 - odd) * sp, cos_abs = odd * sp + (1 - odd) * cp;
  s_out = q > 1.5 ? -sin_abs : sin_abs;                  // q = 2 or 3
  c_out = std::abs(q - 1.5) < 1.0 ? -cos_abs : cos_abs;  // q = 1 or 2
}

[[gnu::always_inline]] inline void sincos_body(const double* t, double* c, double* s, int n) {
  double biggest = 0;
#pragma omp simd reduction(max : biggest)
  for (int k = 0; k < n; ++k) biggest = std::max(biggest, std::abs(t[k]));
  if (!(biggest < 1e5)) {  // rare: huge or non-finite angles, let libm handle them
    for (int k = 0; k < n; ++k) {
      c[k] = std::cos(t[k]);
      s[k] = std::sin(t[k]);
    }
    return;
  }
#pragma omp simd
  for (int k = 0; k < n; ++k) sincos_one(t[k], c[k], s[k]);
}

// The spinors of one block, structure-of-arrays.
struct Block {
  double ar[kBlock], ai[kBlock], br[kBlock], bi[kBlock];
};

// RZ(t) = diag(e^{-it/2}, e^{it/2}) with (c, s) = (cos, sin)(t/2): a *= c - i s, b *= c + i s.
[[gnu::always_inline]] inline void rz(Block& v, int m, const double* c, const double* s,
                                      bool per_sample, double sign) {
  for (int k = 0; k < m; ++k) {
    const double ck = per_sample ? c[k] : c[0], sk = sign * (per_sample ? s[k] : s[0]);
    const double ar = v.ar[k], ai = v.ai[k], br = v.br[k], bi = v.bi[k];
    v.ar[k] = ck * ar + sk * ai;
    v.ai[k] = ck * ai - sk * ar;
    v.br[k] = ck * br - sk * bi;
    v.bi[k] = ck * bi + sk * br;
  }
}

// RY(t) = [[c, -s], [s, c]].
[[gnu::always_inline]] inline void ry(Block& v, int m, double c, double s) {
  for (int k = 0; k < m; ++k) {
    const double ar = v.ar[k], ai = v.ai[k], br = v.br[k], bi = v.bi[k];
    v.ar[k] = c * ar - s * br;
    v.ai[k] = c * ai - s * bi;
    v.br[k] = s * ar + c * br;
    v.bi[k] = s * ai + c * bi;
  }
}

// Gates in circuit order: per repetition l: RZ(theta_l0), RY(theta_l1), RZ(w_l x + b_l); then
// RZ(theta_r0), RY(theta_r1). dc/ds hold the data gates' values, kBlock per repetition.
[[gnu::always_inline]] inline void run_forward(Block& v, int m, int reps, const double* fc,
                                               const double* fs, const double* dc,
                                               const double* ds) {
  const double h = 1 / std::sqrt(2.0);
  for (int k = 0; k < m; ++k) {
    v.ar[k] = v.br[k] = h;
    v.ai[k] = v.bi[k] = 0;
  }
  for (int l = 0; l <= reps; ++l) {
    rz(v, m, fc + 2 * l, fs + 2 * l, false, 1.0);
    ry(v, m, fc[2 * l + 1], fs[2 * l + 1]);
    if (l < reps) rz(v, m, dc + l * kBlock, ds + l * kBlock, true, 1.0);
  }
}

[[gnu::always_inline]] inline void data_trig(const DaruanEdge& e, const double* x, int m, double* t,
                                             double* dc, double* ds) {
  for (int l = 0; l < e.reps; ++l) {
    for (int k = 0; k < m; ++k) t[k] = 0.5 * (e.w[l] * x[k] + e.b[l]);
    sincos_body(t, dc + l * kBlock, ds + l * kBlock, m);
  }
}

[[gnu::always_inline]] inline void readout_block(const Block& v, int m, DaruanReadout readout,
                                                 double* phi) {
  if (readout == DaruanReadout::pauli_z) {
    for (int k = 0; k < m; ++k)
      phi[k] = v.ar[k] * v.ar[k] + v.ai[k] * v.ai[k] - v.br[k] * v.br[k] - v.bi[k] * v.bi[k];
  } else {
    for (int k = 0; k < m; ++k)
      phi[k] = std::sqrt(v.ar[k] * v.ar[k] + v.ai[k] * v.ai[k]) -
               std::sqrt(v.br[k] * v.br[k] + v.bi[k] * v.bi[k]);
  }
}

// d/dt of a rotation's output, contracted with the adjoint mu: Re(mu^dagger (-i/2) G psi).
[[gnu::always_inline]] inline double z_gradient(const Block& p, const Block& u, int k) {
  return 0.5 * (u.ar[k] * p.ai[k] - u.ai[k] * p.ar[k] + u.bi[k] * p.br[k] - u.br[k] * p.bi[k]);
}
[[gnu::always_inline]] inline double y_gradient(const Block& p, const Block& u, int k) {
  return 0.5 * (u.br[k] * p.ar[k] + u.bi[k] * p.ai[k] - u.ar[k] * p.br[k] - u.ai[k] * p.bi[k]);
}

[[gnu::always_inline]] inline void forward_body(const DaruanEdge& e, const double* fc,
                                                const double* fs, const double* x, int n,
                                                DaruanReadout readout, double* phi) {
  alignas(64) double t[kBlock], dc[kMaxReps * kBlock], ds[kMaxReps * kBlock];
  Block v;
  for (int s0 = 0; s0 < n; s0 += kBlock) {
    const int m = std::min(kBlock, n - s0);
    data_trig(e, x + s0, m, t, dc, ds);
    run_forward(v, m, e.reps, fc, fs, dc, ds);
    readout_block(v, m, readout, phi + s0);
  }
}

[[gnu::always_inline]] inline void backward_body(const DaruanEdge& e, const double* fc,
                                                 const double* fs, const double* x,
                                                 const double* scale, int n, DaruanReadout readout,
                                                 double* d_theta, double* d_w, double* d_b,
                                                 double* d_x, double* phi) {
  alignas(64) double t[kBlock], dc[kMaxReps * kBlock], ds[kMaxReps * kBlock], val[kBlock];
  Block p, u;
  const int r = e.reps;
  for (int s0 = 0; s0 < n; s0 += kBlock) {
    const int m = std::min(kBlock, n - s0);
    const double* xs = x + s0;
    const double* g = scale + s0;
    data_trig(e, xs, m, t, dc, ds);
    run_forward(p, m, r, fc, fs, dc, ds);
    readout_block(p, m, readout, val);
    if (phi)
      for (int k = 0; k < m; ++k) phi[s0 + k] = val[k];
    // mu = scale * dF/dpsi^*, so that scale * dF = Re(mu^dagger dpsi).
    if (readout == DaruanReadout::pauli_z) {
      for (int k = 0; k < m; ++k) {
        u.ar[k] = 2 * g[k] * p.ar[k];
        u.ai[k] = 2 * g[k] * p.ai[k];
        u.br[k] = -2 * g[k] * p.br[k];
        u.bi[k] = -2 * g[k] * p.bi[k];
      }
    } else {
      for (int k = 0; k < m; ++k) {
        const double na = std::sqrt(p.ar[k] * p.ar[k] + p.ai[k] * p.ai[k]);
        const double nb = std::sqrt(p.br[k] * p.br[k] + p.bi[k] * p.bi[k]);
        const double fa = na > 1e-300 ? g[k] / na : 0.0, fb = nb > 1e-300 ? -g[k] / nb : 0.0;
        u.ar[k] = fa * p.ar[k];
        u.ai[k] = fa * p.ai[k];
        u.br[k] = fb * p.br[k];
        u.bi[k] = fb * p.bi[k];
      }
    }
    // Walk back through the gates, undoing each on psi and mu after taking its gradient.
    for (int l = r; l >= 0; --l) {
      if (l < r) {  // the data gate RZ(w_l x + b_l)
        const double wl = e.w[l];
        double sum_w = 0, sum_b = 0;
#pragma omp simd reduction(+ : sum_w, sum_b)
        for (int k = 0; k < m; ++k) {
          const double gr = z_gradient(p, u, k);
          sum_w += gr * xs[k];
          sum_b += gr;
          if (d_x) d_x[s0 + k] += gr * wl;
        }
        d_w[l] += sum_w;
        d_b[l] += sum_b;
        rz(p, m, dc + l * kBlock, ds + l * kBlock, true, -1.0);
        rz(u, m, dc + l * kBlock, ds + l * kBlock, true, -1.0);
      }
      double sum_y = 0;
#pragma omp simd reduction(+ : sum_y)
      for (int k = 0; k < m; ++k) sum_y += y_gradient(p, u, k);
      d_theta[2 * l + 1] += sum_y;
      ry(p, m, fc[2 * l + 1], -fs[2 * l + 1]);
      ry(u, m, fc[2 * l + 1], -fs[2 * l + 1]);
      double sum_z = 0;
#pragma omp simd reduction(+ : sum_z)
      for (int k = 0; k < m; ++k) sum_z += z_gradient(p, u, k);
      d_theta[2 * l] += sum_z;
      if (l > 0) {  // psi before the first gate is H|0>: no need to undo it
        rz(p, m, fc + 2 * l, fs + 2 * l, false, -1.0);
        rz(u, m, fc + 2 * l, fs + 2 * l, false, -1.0);
      }
    }
  }
}

}  // namespace

FIELDLAB_MULTIVERSION void sincos_block(const double* t, double* c, double* s, int n) {
  sincos_body(t, c, s, n);
}

// The bodies are always_inline: a called helper would be compiled for the baseline target only,
// so each clone inlines its own copy (checked with objdump: the v3 clones use ymm and vfmadd).
FIELDLAB_MULTIVERSION void daruan_forward_batch(const DaruanEdge& e, const double* fc,
                                                const double* fs, const double* x, int n,
                                                DaruanReadout readout, double* phi) {
  forward_body(e, fc, fs, x, n, readout, phi);
}

FIELDLAB_MULTIVERSION void daruan_backward_batch(const DaruanEdge& e, const double* fc,
                                                 const double* fs, const double* x,
                                                 const double* scale, int n, DaruanReadout readout,
                                                 double* d_theta, double* d_w, double* d_b,
                                                 double* d_x, double* phi) {
  backward_body(e, fc, fs, x, scale, n, readout, d_theta, d_w, d_b, d_x, phi);
}

}  // namespace fieldlab::quantum::qkan
