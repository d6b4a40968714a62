#include "quantum/state_vector.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>

#include "core/error.hpp"
#include "core/resource_guard.hpp"
#include "core/threads.hpp"
#include "quantum/kernels.hpp"

namespace fieldlab::quantum {
namespace {

using u64 = std::uint64_t;
using i64 = std::int64_t;

// The runs of a gate on `targets` with the given controls: contiguous runs of basis indices whose
// target bits are zero and control bits one. Runs are capped so that there are enough of them to
// share among threads, but not below min_length (what a kernel's vectors need).
kernels::Runs make_runs(int n, u64 control_mask, std::initializer_list<int> targets, bool parallel,
                        u64 min_length = 1) {
  kernels::Runs r;
  for (int t : targets) r.positions[r.count++] = t;
  for (u64 m = control_mask; m; m &= m - 1) r.positions[r.count++] = std::countr_zero(m);
  std::sort(r.positions, r.positions + r.count);
  r.control_mask = control_mask;
  const u64 count = u64{1} << (n - r.count);
  r.length = std::min<u64>(u64{1} << r.positions[0], count);
  if (parallel) r.length = std::max<u64>(min_length, std::min<u64>(r.length, count >> 6));
  return r;
}

u64 run_count(int n, const kernels::Runs& r) { return (u64{1} << (n - r.count)) / r.length; }

// Splits [0, count) into ranges with even bounds, shared among threads when `parallel`, and calls
// f(begin, end) for each: the whole-register kernels take ranges so that each thread calls the
// dispatched (multiversioned) kernel itself.
template <typename F>
void for_each_range(u64 count, bool parallel, F&& f) {
  if (!parallel || count < 128) return f(u64{0}, count);
  const i64 chunks = 4 * max_threads();
  const u64 size = ((count + chunks - 1) / chunks + 1) & ~u64{1};
#pragma omp parallel for schedule(static)
  for (i64 c = 0; c < chunks; ++c) {
    const u64 b = std::min(count, static_cast<u64>(c) * size), e = std::min(count, b + size);
    if (b < e) f(b, e);
  }
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
  // A register of at most 16 MiB is not checked: the check reads /proc and the cgroup files
  // (about 0.2 ms, far longer than running a small circuit, which Python users do in loops), and
  // such a buffer is smaller than what the process already holds.
  if (std::ldexp(1.0, num_qubits) * static_cast<double>(bytes_per_amplitude) <= 16.0 * 1048576.0)
    return;
  // The shared guard (core/resource_guard.hpp): against what this process may still allocate
  // (MemAvailable, cgroup limit, ulimit -v), not the machine's physical memory.
  MemoryEstimate(fmt::format("a {}-qubit state vector", num_qubits))
      .add("state", std::ldexp(1.0, num_qubits), "amplitudes",
           static_cast<double>(bytes_per_amplitude))
      .check("use fewer qubits (or --precision complex64)");
}

// The last-level cache this CPU sees: sysfs first (a VM's own L3, e.g. 32 MiB, where
// sysconf(_SC_LEVEL3_CACHE_SIZE) reports the whole host socket's, e.g. 256 MiB), then sysconf,
// then 32 MiB.
long last_level_cache_bytes() {
  long best = 0;
  for (int index = 0; index < 8; ++index) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::ifstream level_file(dir + "/level"), size_file(dir + "/size");
    int level = 0;
    std::string size;
    if (!(level_file >> level) || !(size_file >> size) || level < 2 || size.empty()) continue;
    long bytes = std::atol(size.c_str());
    if (size.back() == 'K') bytes <<= 10;
    if (size.back() == 'M') bytes <<= 20;
    best = std::max(best, bytes);  // the largest level-2+ cache is the last level
  }
  if (best > 0) return best;
  const long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
  return l3 > 0 ? l3 : 32L << 20;
}

int default_prefetch_threshold(std::size_t bytes_per_amplitude) {
  static const long cache = last_level_cache_bytes();
  int n = 1;
  while ((std::size_t{1} << n) * bytes_per_amplitude <= static_cast<std::size_t>(cache)) ++n;
  return n;
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
  const bool pf = prefetch();
  if (is_zero(m[1]) && is_zero(m[2])) return apply_diagonal1(target, m[0], m[3], control_mask);
  Real* data = reinterpret_cast<Real*>(amps_.data());
  if (control_mask == 0)
    return for_each_range(dimension() / 2, parallel(),
                          [&](u64 b, u64 e) { kernels::dense1_pairs(data, target, m, b, e, pf); });
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {target}, parallel());
  for_each_range(run_count(num_qubits_, runs), parallel(), [&](u64 b, u64 e) {
    kernels::dense1_runs(data, runs, b, e, u64{1} << target, m, pf);
  });
}

template <typename Real>
void StateVector<Real>::apply_diagonal1(int target, cplx d0, cplx d1, std::uint64_t control_mask) {
  const bool pf = prefetch();
  Real* data = reinterpret_cast<Real*>(amps_.data());
  if (control_mask == 0)
    return for_each_range(dimension() / 2, parallel(), [&](u64 b, u64 e) {
      kernels::diagonal1_pairs(data, target, d0, d1, b, e, pf);
    });
  const u64 offsets[2] = {0, u64{1} << target};
  const cplx factors[2] = {d0, d1};
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {target}, parallel());
  for_each_range(run_count(num_qubits_, runs), parallel(), [&](u64 b, u64 e) {
    kernels::scale_runs(data, runs, b, e, offsets, factors, 2, pf);
  });
}

template <typename Real>
void StateVector<Real>::apply_x(int target, std::uint64_t control_mask) {
  const bool pf = prefetch(), par = parallel_permutation();
  Real* data = reinterpret_cast<Real*>(amps_.data());
  if (target == 0 && control_mask == 0)
    return for_each_range(dimension(), par,
                          [&](u64 b, u64 e) { kernels::swap_neighbours(data, b, e, pf); });
  // CNOTs touching qubit 0 would otherwise work on runs of one amplitude: swap within vectors.
  if (std::popcount(control_mask) == 1 && (target == 0 || control_mask == 1)) {
    if (target == 0) {  // runs of indices with the control bit set, neighbours swapped
      const kernels::Runs runs = make_runs(num_qubits_, control_mask, {}, par, 2);
      return for_each_range(run_count(num_qubits_, runs), par, [&](u64 b, u64 e) {
        kernels::swap_neighbours_runs(data, runs, b, e, pf);
      });
    }
    const kernels::Runs runs = make_runs(num_qubits_, 0, {target}, par, 2);
    return for_each_range(run_count(num_qubits_, runs), par, [&](u64 b, u64 e) {
      kernels::swap_odd_runs(data, runs, b, e, u64{1} << target, pf);
    });
  }
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {target}, par);
  for_each_range(run_count(num_qubits_, runs), par, [&](u64 b, u64 e) {
    kernels::swap_runs(data, runs, b, e, 0, u64{1} << target, pf);
  });
}

template <typename Real>
void StateVector<Real>::apply_swap(int q0, int q1, std::uint64_t control_mask) {
  const bool pf = prefetch(), par = parallel_permutation();
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {q0, q1}, par);
  for_each_range(run_count(num_qubits_, runs), par, [&](u64 b, u64 e) {
    kernels::swap_runs(data, runs, b, e, u64{1} << q0, u64{1} << q1, pf);
  });
}

template <typename Real>
void StateVector<Real>::apply_diagonal2(int q0, int q1, const std::array<cplx, 4>& d,
                                        std::uint64_t control_mask) {
  const bool pf = prefetch();
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 off[4] = {0, u64{1} << q0, u64{1} << q1, (u64{1} << q0) | (u64{1} << q1)};
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {q0, q1}, parallel());
  for_each_range(run_count(num_qubits_, runs), parallel(), [&](u64 b, u64 e) {
    kernels::scale_runs(data, runs, b, e, off, d.data(), 4, pf);
  });
}

template <typename Real>
void StateVector<Real>::apply_matrix2(int q0, int q1, const Matrix4& m,
                                      std::uint64_t control_mask) {
  const bool pf = prefetch();
  bool diagonal = true;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      if (i != j && !is_zero(m[i * 4 + j])) diagonal = false;
  if (diagonal) return apply_diagonal2(q0, q1, {m[0], m[5], m[10], m[15]}, control_mask);
  Real* data = reinterpret_cast<Real*>(amps_.data());
  const u64 off[4] = {0, u64{1} << q0, u64{1} << q1, (u64{1} << q0) | (u64{1} << q1)};
  const kernels::Runs runs = make_runs(num_qubits_, control_mask, {q0, q1}, parallel());
  for_each_range(run_count(num_qubits_, runs), parallel(),
                 [&](u64 b, u64 e) { kernels::dense2_runs(data, runs, b, e, off, m, pf); });
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
