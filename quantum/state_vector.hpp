#pragma once
// The state vector: one 64-byte-aligned buffer of 2^n complex amplitudes, qubit 0 the least
// significant bit of the basis-state index. Real = double (complex128, the default) or float
// (complex64). Kernels are specialised for diagonal, permutation (X/CNOT/Toffoli, SWAP) and dense
// 1- and 2-qubit gates, all with any number of controls; they run OpenMP-parallel once the register
// reaches parallel_threshold() qubits (below it the per-region overhead costs more than it saves),
// and prefetch in software from prefetch_threshold() qubits (default: the first register larger
// than the last-level cache, where every gate streams memory).

#include <complex>
#include <cstddef>
#include <cstdint>
#include <new>
#include <random>
#include <vector>

#include "quantum/gates.hpp"

namespace fieldlab::quantum {

// Large buffers (state vectors from ~18 qubits) are aligned to 2 MiB and marked for transparent
// huge pages (madvise; a no-op where THP is off or "always"); smaller ones to 64 bytes. Defined in
// state_buffer.cpp.
void* allocate_state_buffer(std::size_t bytes, std::size_t align);
void free_state_buffer(void* p, std::size_t bytes, std::size_t align);

// Minimal aligned allocator so kernels start on a cache line and SIMD loads are aligned.
template <typename T, std::size_t Align = 64>
struct AlignedAllocator {
  using value_type = T;
  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U, Align>&) {}
  template <typename U>
  struct rebind {
    using other = AlignedAllocator<U, Align>;
  };
  T* allocate(std::size_t n) {
    return static_cast<T*>(allocate_state_buffer(n * sizeof(T), Align));
  }
  void deallocate(T* p, std::size_t n) { free_state_buffer(p, n * sizeof(T), Align); }
  bool operator==(const AlignedAllocator&) const { return true; }
  bool operator!=(const AlignedAllocator&) const { return false; }
};

using Rng = std::mt19937_64;

// Default OpenMP threshold in qubits: qulacs' and qiskit-aer's choice; bench/quantum/run_idle.sh
// measures the crossover (docs/benchmarks.md, "Quantum").
inline constexpr int kDefaultParallelThreshold = 14;
inline constexpr int kPermutationExtraQubits = 2;

// Default software-prefetch threshold in qubits: the smallest register whose state (at the given
// amplitude size) exceeds this machine's last-level cache (sysfs, then sysconf; 32 MiB when
// unknown).
int default_prefetch_threshold(std::size_t bytes_per_amplitude);

// Largest register the simulator accepts; callers also get a clear error when the buffer would
// not fit in the memory available (core/resource_guard.hpp), before anything is allocated.
inline constexpr int kMaxQubits = 40;

// Bytes needed for n qubits at the given amplitude size; throws a usage error naming the memory
// needed when it exceeds the memory available (MemAvailable, cgroup limit, ulimit -v).
void check_memory(int num_qubits, std::size_t bytes_per_amplitude);

template <typename Real>
class StateVector {
 public:
  using Complex = std::complex<Real>;
  using Buffer = std::vector<Complex, AlignedAllocator<Complex>>;

  explicit StateVector(int num_qubits);  // |0...0>

  int num_qubits() const { return num_qubits_; }
  std::uint64_t dimension() const { return std::uint64_t{1} << num_qubits_; }
  Complex* data() { return amps_.data(); }
  const Complex* data() const { return amps_.data(); }
  Complex amplitude(std::uint64_t index) const { return amps_[index]; }

  int parallel_threshold() const { return parallel_threshold_; }
  void set_parallel_threshold(int qubits) { parallel_threshold_ = qubits; }
  int prefetch_threshold() const { return prefetch_threshold_; }
  void set_prefetch_threshold(int qubits) { prefetch_threshold_ = qubits; }

  void set_basis_state(std::uint64_t index);
  // Copies amplitudes (complex128 in any case); throws when the size is not 2^n.
  void set_amplitudes(const std::vector<std::complex<double>>& amplitudes);
  std::vector<std::complex<double>> amplitudes() const;
  double norm_squared() const;
  void normalize();  // throws numerical when the norm is zero
  std::complex<double> inner_product(const StateVector& other) const;  // <this|other>

  // Applies a gate through the fastest kernel for its kind. Validates qubits and parameters.
  void apply(const Gate& gate);
  // The same without validation, for callers that validated already (Circuit validates on add).
  void apply_trusted(const Gate& gate);

  // Kernels. Masks are bit masks of control qubits; qubits must be valid and distinct (apply()
  // checks; these are for callers that already did).
  void apply_matrix1(int target, const Matrix2& m, std::uint64_t control_mask = 0);
  void apply_diagonal1(int target, cplx d0, cplx d1, std::uint64_t control_mask = 0);
  void apply_x(int target, std::uint64_t control_mask = 0);
  void apply_matrix2(int q0, int q1, const Matrix4& m, std::uint64_t control_mask = 0);
  void apply_diagonal2(int q0, int q1, const std::array<cplx, 4>& d,
                       std::uint64_t control_mask = 0);
  void apply_swap(int q0, int q1, std::uint64_t control_mask = 0);
  // Zeroes every amplitude whose control bits are not all 1 (used by adjoint gradients).
  void project_controls(std::uint64_t control_mask);

  // Measurement. probability_one does not modify the state.
  double probability_one(int qubit) const;
  // Projects onto |outcome> of the qubit and renormalises; throws when that outcome has zero
  // probability.
  void collapse(int qubit, int outcome);
  int measure(int qubit, Rng& rng);  // samples, collapses, returns the outcome
  void reset(int qubit, Rng& rng);   // measure, then flip to |0> if needed

  std::vector<double> probabilities() const;
  // Probabilities of the 2^k outcomes of `qubits`; outcome bit i is qubits[i].
  std::vector<double> marginal_probabilities(const std::vector<int>& qubits) const;
  // `shots` basis-state indices drawn from |amplitude|^2 (one cumulative pass, then a binary search
  // per shot); does not modify the state.
  std::vector<std::uint64_t> sample(int shots, Rng& rng) const;

 private:
  void check_qubit(int qubit) const;
  bool parallel() const { return num_qubits_ >= parallel_threshold_; }
  // Permutations (X, CNOT, Toffoli, SWAP) only move memory, so a thread team pays off two qubits
  // later than for arithmetic kernels (CNOT over every pair at 2 threads: serial as fast or faster
  // at 14-15 qubits, parallel 1.3-1.6x faster from 16; docs/quantum.md).
  bool parallel_permutation() const {
    return num_qubits_ >= parallel_threshold_ + kPermutationExtraQubits;
  }
  bool prefetch() const { return num_qubits_ >= prefetch_threshold_; }

  int num_qubits_;
  int parallel_threshold_ = kDefaultParallelThreshold;
  int prefetch_threshold_ = default_prefetch_threshold(sizeof(Complex));
  Buffer amps_;
};

extern template class StateVector<double>;
extern template class StateVector<float>;

}  // namespace fieldlab::quantum
