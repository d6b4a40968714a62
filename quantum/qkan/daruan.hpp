#pragma once
// DARUAN, the data re-uploading activation (Jiang et al., arXiv 2509.14026, "pz" ansatz of the
// reference package `qkan`), in closed 2x2 form: psi = H|0>; for l = 0..r-1:
// RZ(theta_l0) RY(theta_l1) RZ(w_l x + b_l); then RZ(theta_r0) RY(theta_r1); phi(x) = <Z>.
// Each edge is 3r + 2 products of 2x2 matrices per sample: no simulator needed, but the result
// equals the state-vector simulator running the same one-qubit circuit (tested).

#include <cstddef>

namespace fieldlab::quantum::qkan {

enum class DaruanReadout {
  // The physical expectation value <Z> = |alpha|^2 - |beta|^2 (default).
  pauli_z,
  // |alpha| - |beta|: what the reference package's fast_measure=True returns. Not an expectation
  // value of any observable; "quantum-inspired". Offered for comparison.
  amplitude_difference
};

const char* to_string(DaruanReadout r);
DaruanReadout parse_readout(const char* name);  // "pauli-z" or "amplitude-difference"

// Parameters of one edge: theta[2 (r + 1)] (pairs (z, y) per layer, the last pair the final
// rotation), w[r], b[r].
struct DaruanEdge {
  int reps = 3;
  const double* theta = nullptr;
  const double* w = nullptr;
  const double* b = nullptr;
};

double daruan(const DaruanEdge& e, double x, DaruanReadout readout);

// The fixed rotations do not depend on x: their half-angle cosines and sines (2 (r + 1) each) are
// computed once per edge and batch, so a sample costs r sincos calls instead of 3r + 2.
void daruan_trig(const DaruanEdge& e, double* cos_half, double* sin_half);
double daruan(const DaruanEdge& e, const double* cos_half, const double* sin_half, double x,
              DaruanReadout readout);
double daruan_backward(const DaruanEdge& e, const double* cos_half, const double* sin_half,
                       double x, DaruanReadout readout, double scale, double* d_theta, double* d_w,
                       double* d_b, double* d_x);

// phi(x) and its gradients. The gradient outputs are accumulated (+=) scaled by `scale`, so a
// layer can pass its upstream derivative; d_x may be null.
double daruan_backward(const DaruanEdge& e, double x, DaruanReadout readout, double scale,
                       double* d_theta, double* d_w, double* d_b, double* d_x);

}  // namespace fieldlab::quantum::qkan
