#pragma once
// Independent references for the simulator tests: dense 2^n x 2^n matrices built entry by entry
// from each gate's small matrix, applied by plain matrix-vector products.

#include <algorithm>
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "quantum/circuit.hpp"

namespace fieldlab::quantum::testing {

using CVec = std::vector<std::complex<double>>;

// Full matrix of a gate on n qubits (row-major, dimension 2^n).
inline std::vector<cplx> full_matrix(const Gate& g, int n) {
  std::vector<int> qubits;
  const std::vector<cplx> small = dense_matrix(g, qubits);
  const int k = static_cast<int>(qubits.size());
  const std::uint64_t dim = std::uint64_t{1} << n, ds = std::uint64_t{1} << k;
  std::uint64_t mask = 0;
  for (int q : qubits) mask |= std::uint64_t{1} << q;
  std::vector<cplx> out(dim * dim, 0.0);
  for (std::uint64_t i = 0; i < dim; ++i)
    for (std::uint64_t j = 0; j < dim; ++j) {
      if ((i & ~mask) != (j & ~mask)) continue;
      std::uint64_t si = 0, sj = 0;
      for (int b = 0; b < k; ++b) {
        si |= ((i >> qubits[b]) & 1) << b;
        sj |= ((j >> qubits[b]) & 1) << b;
      }
      out[i * dim + j] = small[si * ds + sj];
    }
  return out;
}

inline CVec apply_dense(const std::vector<cplx>& m, const CVec& v) {
  const std::size_t d = v.size();
  CVec out(d, 0.0);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j) out[i] += m[i * d + j] * v[j];
  return out;
}

// The same gate applied without forming the 2^n x 2^n matrix: each output amplitude sums the
// small matrix's row over the amplitudes that differ from it only in the gate's qubits. For
// registers too large for full_matrix (the kernels split work among threads from ~12 qubits).
inline CVec apply_local(const Gate& g, const CVec& v) {
  std::vector<int> qubits;
  const std::vector<cplx> small = dense_matrix(g, qubits);
  const int k = static_cast<int>(qubits.size());
  const std::uint64_t ds = std::uint64_t{1} << k;
  std::uint64_t mask = 0;
  for (int q : qubits) mask |= std::uint64_t{1} << q;
  CVec out(v.size(), 0.0);
  for (std::uint64_t i = 0; i < v.size(); ++i) {
    std::uint64_t si = 0;
    for (int b = 0; b < k; ++b) si |= ((i >> qubits[b]) & 1) << b;
    for (std::uint64_t sj = 0; sj < ds; ++sj) {
      std::uint64_t j = i & ~mask;
      for (int b = 0; b < k; ++b) j |= ((sj >> b) & 1) << qubits[b];
      out[i] += small[si * ds + sj] * v[j];
    }
  }
  return out;
}

inline CVec random_state(int n, std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  CVec v(std::size_t{1} << n);
  double s = 0;
  for (auto& z : v) {
    z = {g(rng), g(rng)};
    s += std::norm(z);
  }
  for (auto& z : v) z /= std::sqrt(s);
  return v;
}

inline double max_diff(const CVec& a, const CVec& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

// A random circuit over every gate kind, with random controls on some gates.
inline Circuit random_circuit(int n, int gates, std::mt19937_64& rng, bool with_controls = true) {
  Circuit c(n);
  std::uniform_real_distribution<double> angle(-3.0, 3.0);
  const GateKind kinds[] = {GateKind::x,     GateKind::y,     GateKind::z,  GateKind::h,
                            GateKind::s,     GateKind::sdg,   GateKind::t,  GateKind::tdg,
                            GateKind::sx,    GateKind::sxdg,  GateKind::rx, GateKind::ry,
                            GateKind::rz,    GateKind::phase, GateKind::u3, GateKind::swap,
                            GateKind::iswap, GateKind::rxx,   GateKind::rzz};
  std::uniform_int_distribution<int> pick(0, std::size(kinds) - 1);
  for (int g = 0; g < gates; ++g) {
    const GateKind k = kinds[pick(rng)];
    std::vector<int> qs(n);
    for (int i = 0; i < n; ++i) qs[i] = i;
    std::shuffle(qs.begin(), qs.end(), rng);
    const int nt = gate_target_count(k);
    std::vector<int> targets(qs.begin(), qs.begin() + nt);
    std::vector<int> controls;
    const int max_c = n - nt;
    if (with_controls && max_c > 0) {
      const int nc = std::uniform_int_distribution<int>(0, std::min(2, max_c))(rng);
      controls.assign(qs.begin() + nt, qs.begin() + nt + nc);
    }
    std::vector<double> params;
    for (int p = 0; p < gate_param_count(k); ++p) params.push_back(angle(rng));
    c.add(make_gate(k, targets, params, controls));
  }
  return c;
}

}  // namespace fieldlab::quantum::testing
