#include "quantum/qkan/daruan.hpp"

#include <cmath>
#include <complex>
#include <cstring>
#include <vector>

#include "core/error.hpp"

namespace fieldlab::quantum::qkan {
namespace {

using C = std::complex<double>;

struct Spinor {
  C a, b;  // amplitudes of |0> and |1>
};

// RZ(t) = diag(e^{-it/2}, e^{it/2}) and RY(t) = [[c, -s], [s, c]] from c = cos(t/2), s = sin(t/2);
// the inverses flip the sign of s.
inline Spinor rz(const Spinor& v, double c, double s) {
  const C p(c, -s);
  return {v.a * p, v.b * std::conj(p)};
}
inline Spinor ry(const Spinor& v, double c, double s) {
  return {c * v.a - s * v.b, s * v.a + c * v.b};
}

// Gate k of the circuit: 3 per repetition (z, y, data), then z, y.
inline int gate_count(int reps) { return 3 * reps + 2; }
inline bool is_y(int k) { return k % 3 == 1; }

// Half-angle cosines and sines of every gate for one sample, from the edge's cached fixed ones.
struct GateTrig {
  const DaruanEdge& e;
  const double* fc;
  const double* fs;
  const double* dc;
  const double* ds;
  double cos_of(int k) const {
    const int l = k / 3, part = k % 3;
    return (l == e.reps || part < 2) ? fc[2 * l + part] : dc[l];
  }
  double sin_of(int k) const {
    const int l = k / 3, part = k % 3;
    return (l == e.reps || part < 2) ? fs[2 * l + part] : ds[l];
  }
};

inline Spinor apply(const Spinor& v, int k, double c, double s) {
  return is_y(k) ? ry(v, c, s) : rz(v, c, s);
}

Spinor run(const GateTrig& g) {
  const double r = 1 / std::sqrt(2.0);
  Spinor v{r, r};
  for (int k = 0; k < gate_count(g.e.reps); ++k) v = apply(v, k, g.cos_of(k), g.sin_of(k));
  return v;
}

double readout_value(const Spinor& s, DaruanReadout r) {
  return r == DaruanReadout::pauli_z ? std::norm(s.a) - std::norm(s.b)
                                     : std::abs(s.a) - std::abs(s.b);
}

// Small per-sample buffers on the stack for the usual repetition counts.
struct DataTrig {
  double stack_c[64], stack_s[64];
  std::vector<double> heap_c, heap_s;
  double* c;
  double* s;
  DataTrig(const DaruanEdge& e, double x) {
    if (e.reps <= 64) {
      c = stack_c;
      s = stack_s;
    } else {
      heap_c.resize(e.reps);
      heap_s.resize(e.reps);
      c = heap_c.data();
      s = heap_s.data();
    }
    for (int l = 0; l < e.reps; ++l) {
      const double t = 0.5 * (e.w[l] * x + e.b[l]);
      c[l] = std::cos(t);
      s[l] = std::sin(t);
    }
  }
};

}  // namespace

const char* to_string(DaruanReadout r) {
  return r == DaruanReadout::pauli_z ? "pauli-z" : "amplitude-difference";
}

DaruanReadout parse_readout(const char* name) {
  if (std::strcmp(name, "pauli-z") == 0) return DaruanReadout::pauli_z;
  if (std::strcmp(name, "amplitude-difference") == 0) return DaruanReadout::amplitude_difference;
  fail(ErrorKind::usage, "unknown DARUAN readout '{}' (pauli-z, amplitude-difference)", name);
}

void daruan_trig(const DaruanEdge& e, double* cos_half, double* sin_half) {
  for (int k = 0; k < 2 * (e.reps + 1); ++k) {
    cos_half[k] = std::cos(0.5 * e.theta[k]);
    sin_half[k] = std::sin(0.5 * e.theta[k]);
  }
}

double daruan(const DaruanEdge& e, const double* fc, const double* fs, double x,
              DaruanReadout readout) {
  const DataTrig d(e, x);
  return readout_value(run(GateTrig{e, fc, fs, d.c, d.s}), readout);
}

double daruan(const DaruanEdge& e, double x, DaruanReadout readout) {
  std::vector<double> c(2 * (e.reps + 1)), s(2 * (e.reps + 1));
  daruan_trig(e, c.data(), s.data());
  return daruan(e, c.data(), s.data(), x, readout);
}

double daruan_backward(const DaruanEdge& e, const double* fc, const double* fs, double x,
                       DaruanReadout readout, double scale, double* d_theta, double* d_w,
                       double* d_b, double* d_x) {
  const DataTrig d(e, x);
  const GateTrig g{e, fc, fs, d.c, d.s};
  Spinor psi = run(g);
  const double value = readout_value(psi, readout);
  // mu = dF/dpsi^* so that dF = Re(mu^dagger dpsi).
  Spinor mu;
  if (readout == DaruanReadout::pauli_z) {
    mu = {2.0 * psi.a, -2.0 * psi.b};
  } else {
    const double na = std::abs(psi.a), nb = std::abs(psi.b);
    mu = {na > 1e-300 ? psi.a / na : C(0), nb > 1e-300 ? -psi.b / nb : C(0)};
  }
  // Walk back: psi is the state after gate k, mu the adjoint after gate k. For a rotation
  // U = exp(-i t G / 2), dU/dt psi_before = -i/2 G psi_after.
  for (int k = gate_count(e.reps) - 1; k >= 0; --k) {
    // -i/2 G psi with G = Y (Y psi = (-i b, i a)) or Z (Z psi = (a, -b)).
    const Spinor dpsi =
        is_y(k) ? Spinor{-0.5 * psi.b, 0.5 * psi.a} : Spinor{C(0, -0.5) * psi.a, C(0, 0.5) * psi.b};
    const double grad = scale * (std::conj(mu.a) * dpsi.a + std::conj(mu.b) * dpsi.b).real();
    const int l = k / 3, part = k % 3;
    if (l == e.reps || part < 2) {
      d_theta[2 * l + part] += grad;
    } else {
      d_w[l] += grad * x;
      d_b[l] += grad;
      if (d_x) *d_x += grad * e.w[l];
    }
    const double c = g.cos_of(k), s = -g.sin_of(k);  // the inverse rotation
    psi = apply(psi, k, c, s);
    mu = apply(mu, k, c, s);
  }
  return value;
}

double daruan_backward(const DaruanEdge& e, double x, DaruanReadout readout, double scale,
                       double* d_theta, double* d_w, double* d_b, double* d_x) {
  std::vector<double> c(2 * (e.reps + 1)), s(2 * (e.reps + 1));
  daruan_trig(e, c.data(), s.data());
  return daruan_backward(e, c.data(), s.data(), x, readout, scale, d_theta, d_w, d_b, d_x);
}

}  // namespace fieldlab::quantum::qkan
