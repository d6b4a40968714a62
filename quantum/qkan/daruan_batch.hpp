#pragma once
// DARUAN forward and backward for one edge over many samples at once, structure-of-arrays: the
// spinor of every sample of a block lives in four arrays (Re a, Im a, Re b, Im b), so each gate is
// one vectorisable loop over the block. The data gates' half-angle cosines and sines come from a
// vectorisable sincos (Cody-Waite reduction and fdlibm's kernel polynomials, within a few ulp of
// std::sin/std::cos), so one pass computes all r of them for a block. Multiversioned (x86-64-v3
// clone with AVX2/FMA, baseline clone elsewhere); no OpenMP inside, the layer parallelises over
// edges.

#include "quantum/qkan/daruan.hpp"

namespace fieldlab::quantum::qkan {

// cos and sin of t[k], k < n; within a few ulp of the libm results for |t| < 1e5 (larger
// arguments fall back to libm).
void sincos_block(const double* t, double* c, double* s, int n);

// phi[s] = daruan(x[s]) for s < n, from the edge's cached fixed half-angle cosines and sines
// (daruan_trig).
void daruan_forward_batch(const DaruanEdge& e, const double* cos_half, const double* sin_half,
                          const double* x, int n, DaruanReadout readout, double* phi);

// For s < n: scale[s] * d phi(x[s]) accumulated (+=) into d_theta, d_w, d_b (summed over
// samples) and into d_x[s] (may be null); phi[s] written when phi is not null.
void daruan_backward_batch(const DaruanEdge& e, const double* cos_half, const double* sin_half,
                           const double* x, const double* scale, int n, DaruanReadout readout,
                           double* d_theta, double* d_w, double* d_b, double* d_x, double* phi);

}  // namespace fieldlab::quantum::qkan
