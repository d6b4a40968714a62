#include "quantum/qkan/daruan.hpp"

#include <cmath>
#include <complex>
#include <cstring>

#include "core/error.hpp"

namespace fieldlab::quantum::qkan {
namespace {

using C = std::complex<double>;

struct Spinor {
  C a, b;  // amplitudes of |0> and |1>
};

// RZ(t) = diag(e^{-it/2}, e^{it/2}).
inline Spinor rz(const Spinor& s, double t) {
  const C p(std::cos(t / 2), -std::sin(t / 2));
  return {s.a * p, s.b * std::conj(p)};
}
// RY(t) = [[c, -s], [s, c]].
inline Spinor ry(const Spinor& s, double t) {
  const double c = std::cos(t / 2), sn = std::sin(t / 2);
  return {c * s.a - sn * s.b, sn * s.a + c * s.b};
}

// Gate k of the circuit: 3 per repetition (z, y, data), then z, y.
inline int gate_count(int reps) { return 3 * reps + 2; }

inline double angle(const DaruanEdge& e, int k, double x) {
  const int l = k / 3, part = k % 3;
  if (l == e.reps) return e.theta[2 * l + part];
  return part == 2 ? e.w[l] * x + e.b[l] : e.theta[2 * l + part];
}
inline bool is_y(int k) { return k % 3 == 1; }

inline Spinor apply(const Spinor& s, int k, double t) { return is_y(k) ? ry(s, t) : rz(s, t); }
inline Spinor apply_inverse(const Spinor& s, int k, double t) {
  return is_y(k) ? ry(s, -t) : rz(s, -t);
}

Spinor run(const DaruanEdge& e, double x) {
  const double r = 1 / std::sqrt(2.0);
  Spinor s{r, r};
  for (int k = 0; k < gate_count(e.reps); ++k) s = apply(s, k, angle(e, k, x));
  return s;
}

double readout_value(const Spinor& s, DaruanReadout r) {
  return r == DaruanReadout::pauli_z ? std::norm(s.a) - std::norm(s.b)
                                     : std::abs(s.a) - std::abs(s.b);
}

}  // namespace

const char* to_string(DaruanReadout r) {
  return r == DaruanReadout::pauli_z ? "pauli-z" : "amplitude-difference";
}

DaruanReadout parse_readout(const char* name) {
  if (std::strcmp(name, "pauli-z") == 0) return DaruanReadout::pauli_z;
  if (std::strcmp(name, "amplitude-difference") == 0) return DaruanReadout::amplitude_difference;
  fail(ErrorKind::usage, "unknown DARUAN readout '{}' (pauli-z, amplitude-difference)", name);
}

double daruan(const DaruanEdge& e, double x, DaruanReadout readout) {
  return readout_value(run(e, x), readout);
}

double daruan_backward(const DaruanEdge& e, double x, DaruanReadout readout, double scale,
                       double* d_theta, double* d_w, double* d_b, double* d_x) {
  Spinor psi = run(e, x);
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
    const double t = angle(e, k, x);
    Spinor gpsi = is_y(k) ? Spinor{C(0, -1) * psi.b, C(0, 1) * psi.a}  // Y psi
                          : Spinor{psi.a, -psi.b};                     // Z psi
    // d = -i/2 G psi_after;  grad = Re(mu^dagger d)
    const C da = C(0, -0.5) * gpsi.a, db = C(0, -0.5) * gpsi.b;
    const double g = scale * (std::conj(mu.a) * da + std::conj(mu.b) * db).real();
    const int l = k / 3, part = k % 3;
    if (l == e.reps || part < 2) {
      d_theta[2 * l + part] += g;
    } else {
      d_w[l] += g * x;
      d_b[l] += g;
      if (d_x) *d_x += g * e.w[l];
    }
    psi = apply_inverse(psi, k, t);
    mu = apply_inverse(mu, k, t);
  }
  return value;
}

}  // namespace fieldlab::quantum::qkan
