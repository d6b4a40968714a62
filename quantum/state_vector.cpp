#include "quantum/state_vector.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "core/error.hpp"

namespace fieldlab::quantum {
namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

// Inserts a zero bit at each of the (ascending) positions into i.
inline u64 insert_zeros(u64 i, const int* pos, int k) {
  for (int j = 0; j < k; ++j) {
    const u64 low = i & ((u64{1} << pos[j]) - 1);
    i = ((i >> pos[j]) << (pos[j] + 1)) | low;
  }
  return i;
}

// Visits every basis index whose bits at `positions` are zero, in contiguous runs: f(base, run)
// handles indices base .. base+run-1. Runs are what lets the compiler vectorise the inner loops;
// they are capped so that there are enough of them to share among threads.
template <typename F>
void for_each_run(int n, std::vector<int> positions, bool parallel, F&& f) {
  std::sort(positions.begin(), positions.end());
  const int k = static_cast<int>(positions.size());
  const u64 count = u64{1} << (n - k);
  u64 run = std::min<u64>(u64{1} << positions[0], count);
  if (parallel) run = std::max<u64>(1, std::min<u64>(run, count >> 6));
  const i64 runs = static_cast<i64>(count / run);
  const int* pos = positions.data();
#pragma omp parallel for if (parallel) schedule(static)
  for (i64 r = 0; r < runs; ++r) f(insert_zeros(static_cast<u64>(r) * run, pos, k), run);
}

std::vector<int> mask_positions(u64 mask) {
  std::vector<int> out;
  while (mask) {
    out.push_back(std::countr_zero(mask));
    mask &= mask - 1;
  }
  return out;
}

u64 control_mask_of(const Gate& g) {
  u64 m = 0;
  for (int c : g.controls) m |= u64{1} << c;
  return m;
}

bool is_zero(cplx z) { return z.real() == 0.0 && z.imag() == 0.0; }

}  // namespace

void check_memory(int num_qubits, std::size_t bytes_per_amplitude) {
  require(num_qubits >= 1, "a register needs at least 1 qubit, got {}", num_qubits);
  require(num_qubits <= kMaxQubits, "{} qubits is more than the simulator supports ({})",
          num_qubits, kMaxQubits);
  const double bytes = std::ldexp(static_cast<double>(bytes_per_amplitude), num_qubits);
  const double physical =
      static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  if (physical > 0 && bytes > physical)
    fail(ErrorKind::usage,
         "{} qubits need {:.1f} GiB for the state vector but this machine has {:.1f} GiB",
         num_qubits, bytes / 1073741824.0, physical / 1073741824.0);
}

template <typename Real>
StateVector<Real>::StateVector(int num_qubits) : num_qubits_(num_qubits) {
  check_memory(num_qubits, sizeof(Complex));
  amps_.resize(dimension());
  // First touch in parallel so pages land near the threads that later use them.
  Complex* a = amps_.data();
  const i64 dim = static_cast<i64>(dimension());
#pragma omp parallel for if (parallel()) schedule(static)
  for (i64 i = 0; i < dim; ++i) a[i] = Complex(0, 0);
  a[0] = Complex(1, 0);
}

template <typename Real>
void StateVector<Real>::check_qubit(int qubit) const {
  require(qubit >= 0 && qubit < num_qubits_, "qubit {} out of range (register has {} qubits)",
          qubit, num_qubits_);
}

template <typename Real>
void StateVector<Real>::set_basis_state(std::uint64_t index) {
  require(index < dimension(), "basis state {} out of range for {} qubits", index, num_qubits_);
  std::fill(amps_.begin(), amps_.end(), Complex(0, 0));
  amps_[index] = Complex(1, 0);
}

template <typename Real>
void StateVector<Real>::set_amplitudes(const std::vector<std::complex<double>>& amplitudes) {
  require(amplitudes.size() == dimension(), "expected {} amplitudes for {} qubits, got {}",
          dimension(), num_qubits_, amplitudes.size());
  for (u64 i = 0; i < dimension(); ++i)
    amps_[i] =
        Complex(static_cast<Real>(amplitudes[i].real()), static_cast<Real>(amplitudes[i].imag()));
}

template <typename Real>
std::vector<std::complex<double>> StateVector<Real>::amplitudes() const {
  std::vector<std::complex<double>> out(dimension());
  for (u64 i = 0; i < dimension(); ++i) out[i] = {amps_[i].real(), amps_[i].imag()};
  return out;
}

template <typename Real>
double StateVector<Real>::norm_squared() const {
  const Real* p = reinterpret_cast<const Real*>(amps_.data());
  const i64 n = static_cast<i64>(2 * dimension());
  double s = 0.0;
#pragma omp parallel for if (parallel()) reduction(+ : s) schedule(static)
  for (i64 i = 0; i < n; ++i) s += static_cast<double>(p[i]) * static_cast<double>(p[i]);
  return s;
}

template <typename Real>
void StateVector<Real>::normalize() {
  const double n2 = norm_squared();
  if (!(n2 > 0.0)) fail(ErrorKind::numerical, "cannot normalise a zero state vector");
  const Real f = static_cast<Real>(1.0 / std::sqrt(n2));
  Real* p = reinterpret_cast<Real*>(amps_.data());
  const i64 n = static_cast<i64>(2 * dimension());
#pragma omp parallel for if (parallel()) schedule(static)
  for (i64 i = 0; i < n; ++i) p[i] *= f;
}

template <typename Real>
std::complex<double> StateVector<Real>::inner_product(const StateVector& other) const {
  require(other.num_qubits_ == num_qubits_, "inner product of {}- and {}-qubit states", num_qubits_,
          other.num_qubits_);
  double re = 0, im = 0;
  const Complex* a = amps_.data();
  const Complex* b = other.amps_.data();
  const i64 dim = static_cast<i64>(dimension());
#pragma omp parallel for if (parallel()) reduction(+ : re, im) schedule(static)
  for (i64 i = 0; i < dim; ++i) {
    const double ar = a[i].real(), ai = a[i].imag(), br = b[i].real(), bi = b[i].imag();
    re += ar * br + ai * bi;
    im += ar * bi - ai * br;
  }
  return {re, im};
}

template <typename Real>
void StateVector<Real>::apply(const Gate& gate) {
  validate(gate, num_qubits_);
  apply_trusted(gate);
}

template <typename Real>
void StateVector<Real>::apply_trusted(const Gate& gate) {
  const u64 cm = control_mask_of(gate);
  switch (gate.kind) {
    case GateKind::id:
      return;
    case GateKind::x:
      apply_x(gate.targets[0], cm);
      return;
    case GateKind::swap:
      apply_swap(gate.targets[0], gate.targets[1], cm);
      return;
    default:
      break;
  }
  if (gate_target_count(gate.kind) == 1) {
    const Matrix2 m = matrix1(gate);
    if (gate_is_diagonal(gate.kind))
      apply_diagonal1(gate.targets[0], m[0], m[3], cm);
    else
      apply_matrix1(gate.targets[0], m, cm);
  } else {
    const Matrix4 m = matrix2(gate);
    if (gate_is_diagonal(gate.kind))
      apply_diagonal2(gate.targets[0], gate.targets[1], {m[0], m[5], m[10], m[15]}, cm);
    else
      apply_matrix2(gate.targets[0], gate.targets[1], m, cm);
  }
}

template <typename Real>
void StateVector<Real>::apply_matrix1(int target, const Matrix2& m, std::uint64_t control_mask) {
  if (is_zero(m[1]) && is_zero(m[2])) return apply_diagonal1(target, m[0], m[3], control_mask);
  const Real m00r = static_cast<Real>(m[0].real()), m00i = static_cast<Real>(m[0].imag());
  const Real m01r = static_cast<Real>(m[1].real()), m01i = static_cast<Real>(m[1].imag());
  const Real m10r = static_cast<Real>(m[2].real()), m10i = static_cast<Real>(m[2].imag());
  const Real m11r = static_cast<Real>(m[3].real()), m11i = static_cast<Real>(m[3].imag());
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 stride = u64{1} << target;
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(target);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    Real* __restrict p0 = data + 2 * (base | control_mask);
    Real* __restrict p1 = p0 + 2 * stride;
    for (u64 j = 0; j < 2 * run; j += 2) {
      const Real ar = p0[j], ai = p0[j + 1], br = p1[j], bi = p1[j + 1];
      p0[j] = m00r * ar - m00i * ai + m01r * br - m01i * bi;
      p0[j + 1] = m00r * ai + m00i * ar + m01r * bi + m01i * br;
      p1[j] = m10r * ar - m10i * ai + m11r * br - m11i * bi;
      p1[j + 1] = m10r * ai + m10i * ar + m11r * bi + m11i * br;
    }
  });
}

template <typename Real>
void StateVector<Real>::apply_diagonal1(int target, cplx d0, cplx d1, std::uint64_t control_mask) {
  const Real d0r = static_cast<Real>(d0.real()), d0i = static_cast<Real>(d0.imag());
  const Real d1r = static_cast<Real>(d1.real()), d1i = static_cast<Real>(d1.imag());
  const bool skip0 = d0 == cplx(1.0, 0.0);  // phase-type gates touch only half the amplitudes
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 stride = u64{1} << target;
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(target);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    Real* __restrict p0 = data + 2 * (base | control_mask);
    Real* __restrict p1 = p0 + 2 * stride;
    if (!skip0) {
      for (u64 j = 0; j < 2 * run; j += 2) {
        const Real ar = p0[j], ai = p0[j + 1];
        p0[j] = d0r * ar - d0i * ai;
        p0[j + 1] = d0r * ai + d0i * ar;
      }
    }
    for (u64 j = 0; j < 2 * run; j += 2) {
      const Real br = p1[j], bi = p1[j + 1];
      p1[j] = d1r * br - d1i * bi;
      p1[j + 1] = d1r * bi + d1i * br;
    }
  });
}

template <typename Real>
void StateVector<Real>::apply_x(int target, std::uint64_t control_mask) {
  Complex* data = amps_.data();
  const u64 stride = u64{1} << target;
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(target);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    Complex* __restrict p0 = data + (base | control_mask);
    Complex* __restrict p1 = p0 + stride;
    for (u64 j = 0; j < run; ++j) std::swap(p0[j], p1[j]);
  });
}

template <typename Real>
void StateVector<Real>::apply_swap(int q0, int q1, std::uint64_t control_mask) {
  Complex* data = amps_.data();
  const u64 s0 = u64{1} << q0, s1 = u64{1} << q1;
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(q0);
  pos.push_back(q1);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    Complex* __restrict p01 = data + (base | control_mask | s0);
    Complex* __restrict p10 = data + (base | control_mask | s1);
    for (u64 j = 0; j < run; ++j) std::swap(p01[j], p10[j]);
  });
}

template <typename Real>
void StateVector<Real>::apply_diagonal2(int q0, int q1, const std::array<cplx, 4>& d,
                                        std::uint64_t control_mask) {
  Real dr[4], di[4];
  for (int k = 0; k < 4; ++k) {
    dr[k] = static_cast<Real>(d[k].real());
    di[k] = static_cast<Real>(d[k].imag());
  }
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 off[4] = {0, u64{1} << q0, u64{1} << q1, (u64{1} << q0) | (u64{1} << q1)};
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(q0);
  pos.push_back(q1);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    for (int k = 0; k < 4; ++k) {
      if (d[k] == cplx(1.0, 0.0)) continue;
      Real* __restrict p = data + 2 * ((base | control_mask) + off[k]);
      const Real a = dr[k], b = di[k];
      for (u64 j = 0; j < 2 * run; j += 2) {
        const Real xr = p[j], xi = p[j + 1];
        p[j] = a * xr - b * xi;
        p[j + 1] = a * xi + b * xr;
      }
    }
  });
}

template <typename Real>
void StateVector<Real>::apply_matrix2(int q0, int q1, const Matrix4& m,
                                      std::uint64_t control_mask) {
  bool diagonal = true;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      if (i != j && !is_zero(m[i * 4 + j])) diagonal = false;
  if (diagonal) return apply_diagonal2(q0, q1, {m[0], m[5], m[10], m[15]}, control_mask);
  Real mr[16], mi[16];
  for (int k = 0; k < 16; ++k) {
    mr[k] = static_cast<Real>(m[k].real());
    mi[k] = static_cast<Real>(m[k].imag());
  }
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 off[4] = {0, u64{1} << q0, u64{1} << q1, (u64{1} << q0) | (u64{1} << q1)};
  std::vector<int> pos = mask_positions(control_mask);
  pos.push_back(q0);
  pos.push_back(q1);
  for_each_run(num_qubits_, pos, parallel(), [&](u64 base, u64 run) {
    Real* p[4];
    for (int k = 0; k < 4; ++k) p[k] = data + 2 * ((base | control_mask) + off[k]);
    for (u64 j = 0; j < 2 * run; j += 2) {
      Real xr[4], xi[4];
      for (int k = 0; k < 4; ++k) {
        xr[k] = p[k][j];
        xi[k] = p[k][j + 1];
      }
      for (int r = 0; r < 4; ++r) {
        Real yr = 0, yi = 0;
        for (int k = 0; k < 4; ++k) {
          yr += mr[r * 4 + k] * xr[k] - mi[r * 4 + k] * xi[k];
          yi += mr[r * 4 + k] * xi[k] + mi[r * 4 + k] * xr[k];
        }
        p[r][j] = yr;
        p[r][j + 1] = yi;
      }
    }
  });
}

template <typename Real>
void StateVector<Real>::project_controls(std::uint64_t control_mask) {
  const i64 dim = static_cast<i64>(dimension());
  Complex* a = amps_.data();
#pragma omp parallel for if (parallel()) schedule(static)
  for (i64 i = 0; i < dim; ++i)
    if ((static_cast<u64>(i) & control_mask) != control_mask) a[i] = Complex(0, 0);
}

template <typename Real>
double StateVector<Real>::probability_one(int qubit) const {
  check_qubit(qubit);
  const u64 bit = u64{1} << qubit;
  const i64 dim = static_cast<i64>(dimension());
  const Complex* a = amps_.data();
  double p = 0.0;
#pragma omp parallel for if (parallel()) reduction(+ : p) schedule(static)
  for (i64 i = 0; i < dim; ++i)
    if (static_cast<u64>(i) & bit) p += std::norm(std::complex<double>(a[i]));
  return p;
}

template <typename Real>
void StateVector<Real>::collapse(int qubit, int outcome) {
  check_qubit(qubit);
  require(outcome == 0 || outcome == 1, "measurement outcome must be 0 or 1, got {}", outcome);
  const double p1 = probability_one(qubit);
  const double p = outcome ? p1 : 1.0 - p1;
  if (!(p > 1e-300))
    fail(ErrorKind::numerical, "cannot collapse qubit {} onto |{}>: it has zero probability", qubit,
         outcome);
  const u64 bit = u64{1} << qubit;
  const Real f = static_cast<Real>(1.0 / std::sqrt(p));
  const i64 dim = static_cast<i64>(dimension());
  Complex* a = amps_.data();
  const u64 keep = outcome ? bit : 0;
#pragma omp parallel for if (parallel()) schedule(static)
  for (i64 i = 0; i < dim; ++i)
    a[i] = ((static_cast<u64>(i) & bit) == keep) ? a[i] * f : Complex(0, 0);
}

template <typename Real>
int StateVector<Real>::measure(int qubit, Rng& rng) {
  const double p1 = probability_one(qubit);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int outcome = u(rng) < p1 ? 1 : 0;
  collapse(qubit, outcome);
  return outcome;
}

template <typename Real>
void StateVector<Real>::reset(int qubit, Rng& rng) {
  if (measure(qubit, rng) == 1) apply_x(qubit);
}

template <typename Real>
std::vector<double> StateVector<Real>::probabilities() const {
  std::vector<double> p(dimension());
  const i64 dim = static_cast<i64>(dimension());
  const Complex* a = amps_.data();
#pragma omp parallel for if (parallel()) schedule(static)
  for (i64 i = 0; i < dim; ++i) p[i] = std::norm(std::complex<double>(a[i]));
  return p;
}

template <typename Real>
std::vector<double> StateVector<Real>::marginal_probabilities(
    const std::vector<int>& qubits) const {
  require(!qubits.empty() && qubits.size() <= 30, "marginal over 1..30 qubits, got {}",
          qubits.size());
  for (int q : qubits) check_qubit(q);
  std::vector<int> sorted = qubits;
  std::sort(sorted.begin(), sorted.end());
  require(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(),
          "marginal qubits must be distinct");
  std::vector<double> out(u64{1} << qubits.size(), 0.0);
  for (u64 i = 0; i < dimension(); ++i) {
    u64 key = 0;
    for (std::size_t k = 0; k < qubits.size(); ++k) key |= ((i >> qubits[k]) & 1) << k;
    out[key] += std::norm(std::complex<double>(amps_[i]));
  }
  return out;
}

template <typename Real>
std::vector<std::uint64_t> StateVector<Real>::sample(int shots, Rng& rng) const {
  require(shots >= 0, "number of shots must be non-negative, got {}", shots);
  std::vector<double> cumulative = probabilities();
  for (u64 i = 1; i < cumulative.size(); ++i) cumulative[i] += cumulative[i - 1];
  const double total = cumulative.back();
  std::uniform_real_distribution<double> u(0.0, total);
  std::vector<std::uint64_t> out(shots);
  for (int s = 0; s < shots; ++s) {
    const double r = u(rng);
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    out[s] = std::min<u64>(static_cast<u64>(it - cumulative.begin()), dimension() - 1);
  }
  return out;
}

template class StateVector<double>;
template class StateVector<float>;

}  // namespace fieldlab::quantum
