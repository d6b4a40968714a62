#pragma once
// Single-precision GEMM for conv2d and linear, through OpenBLAS.
//
// Why not Eigen: Eigen picks its SIMD kernel at compile time, so the default (portable, x86-64
// baseline) build gets SSE2 GEMM kernels even on AVX2/FMA machines, about 1.5x slower than the
// same code built with -march=native (docs/benchmarks.md). Debian's OpenBLAS is built with
// DYNAMIC_ARCH: it selects Haswell/Zen/SkylakeX kernels at run time, so one portable binary gets
// the fast kernel everywhere. We use the OpenMP variant (libopenblas0-openmp): inside our
// `omp parallel` regions it runs single-threaded, outside it uses omp_get_max_threads() threads,
// so it never oversubscribes the cores next to our own threads.

#include <cstdint>

namespace fieldlab::nn {

enum class Transpose { no, yes };

// C[m, n] = op(A)[m, k] op(B)[k, n] + beta C, all row-major with leading dimensions lda, ldb,
// ldc (op(A) = A or A^T as stored). beta = 0 overwrites C (which may then be uninitialised).
void gemm(Transpose ta, Transpose tb, std::int64_t m, std::int64_t n, std::int64_t k,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc);

// Name of the kernel family OpenBLAS picked for this CPU ("Haswell", "Zen", ...), for reports.
const char* gemm_backend();

}  // namespace fieldlab::nn
