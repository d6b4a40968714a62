#pragma once
// Leaf gate kernels on interleaved complex amplitudes (re, im, re, im, ...), compiled twice through
// FIELDLAB_MULTIVERSION: an x86-64-v3 clone (256-bit AVX2 + FMA) picked at load time where the CPU
// has it, and a baseline x86-64 clone (SSE2) for any other x86-64 CPU. They are written with GCC
// vector extensions, two complex amplitudes per vector, so both clones are vectorised without
// depending on the auto-vectoriser.
//
// Each kernel handles one contiguous piece of work and has no OpenMP inside: an outlined OpenMP
// body is a separate function that would not inherit the clone's target, so StateVector splits the
// work among threads and every thread calls the (dispatched) kernel on its own range.
//
// `prefetch` turns on software prefetching a fixed distance ahead in every stream: it pays once the
// state is far beyond the caches and costs issue slots while it fits (StateVector decides by size).
//
// "Pair index" k in [0, 2^(n-1)) numbers the amplitude pairs of a 1-qubit gate on `target`: the
// basis index with the target bit removed. Ranges of pair indices must start and end on even
// numbers unless they cover everything.

#include <cstdint>

#include "quantum/gates.hpp"

namespace fieldlab::quantum::kernels {

using u64 = std::uint64_t;

// Whole-register dense 2x2 gate (no controls) on the pairs [begin, end).
void dense1_pairs(double* data, int target, const Matrix2& m, u64 begin, u64 end, bool prefetch);
void dense1_pairs(float* data, int target, const Matrix2& m, u64 begin, u64 end, bool prefetch);

// Whole-register diagonal 2x2 gate diag(d0, d1) (no controls) on the pairs [begin, end).
void diagonal1_pairs(double* data, int target, cplx d0, cplx d1, u64 begin, u64 end, bool prefetch);
void diagonal1_pairs(float* data, int target, cplx d0, cplx d1, u64 begin, u64 end, bool prefetch);

// Equally long runs of basis indices for controlled and two-qubit gates: run r covers the indices
// base(r) .. base(r) + length - 1, where base(r) inserts a zero bit at each (ascending) position
// into r * length and sets the control bits. A kernel takes a range of run numbers and loops over
// them itself, so there is one dispatched call per thread, not one per run.
struct Runs {
  int positions[64];
  int count = 0;
  u64 control_mask = 0;
  u64 length = 1;
  u64 base(u64 r) const {
    u64 i = r * length;
    for (int j = 0; j < count; ++j) {
      const u64 low = i & ((u64{1} << positions[j]) - 1);
      i = ((i >> positions[j]) << (positions[j] + 1)) | low;
    }
    return i | control_mask;
  }
};

// Dense 2x2 on the pairs (base + j, base + stride + j).
void dense1_runs(double* data, const Runs& runs, u64 first, u64 last, u64 stride, const Matrix2& m,
                 bool prefetch);
void dense1_runs(float* data, const Runs& runs, u64 first, u64 last, u64 stride, const Matrix2& m,
                 bool prefetch);
// Amplitudes base + offsets[k] + j times factors[k] (k < n <= 4); a factor of 1 is skipped and -1
// is a sign flip (Z, CZ).
void scale_runs(double* data, const Runs& runs, u64 first, u64 last, const u64* offsets,
                const cplx* factors, int n, bool prefetch);
void scale_runs(float* data, const Runs& runs, u64 first, u64 last, const u64* offsets,
                const cplx* factors, int n, bool prefetch);
// Swaps the amplitudes base + a + j and base + b + j (X, CNOT, Toffoli, SWAP: pure permutations).
void swap_runs(double* data, const Runs& runs, u64 first, u64 last, u64 a, u64 b, bool prefetch);
void swap_runs(float* data, const Runs& runs, u64 first, u64 last, u64 a, u64 b, bool prefetch);
// X on qubit 0 of a whole register: swaps neighbours in the amplitudes [begin, end) (even bounds).
void swap_neighbours(double* data, u64 begin, u64 end, bool prefetch);
void swap_neighbours(float* data, u64 begin, u64 end, bool prefetch);
// CNOT with target 0: swaps neighbours within each run (runs of the control bits, length >= 2).
void swap_neighbours_runs(double* data, const Runs& runs, u64 first, u64 last, bool prefetch);
void swap_neighbours_runs(float* data, const Runs& runs, u64 first, u64 last, bool prefetch);
// CNOT with control 0: between base + j and base + stride + j, swaps the odd amplitudes only
// (those with qubit 0 set), two amplitudes per vector (runs of the target bit, length >= 2).
void swap_odd_runs(double* data, const Runs& runs, u64 first, u64 last, u64 stride, bool prefetch);
void swap_odd_runs(float* data, const Runs& runs, u64 first, u64 last, u64 stride, bool prefetch);
// Dense 4x4 on the quadruples base + offsets[k] + j.
void dense2_runs(double* data, const Runs& runs, u64 first, u64 last, const u64* offsets,
                 const Matrix4& m, bool prefetch);
void dense2_runs(float* data, const Runs& runs, u64 first, u64 last, const u64* offsets,
                 const Matrix4& m, bool prefetch);

}  // namespace fieldlab::quantum::kernels
