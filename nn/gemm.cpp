#include "nn/gemm.hpp"

#include <cblas.h>

#include "core/threads.hpp"

#ifdef FIELDLAB_HAVE_OPENMP
#include <omp.h>
#endif

namespace fieldlab::nn {
namespace {

CBLAS_TRANSPOSE to_cblas(Transpose t) { return t == Transpose::yes ? CblasTrans : CblasNoTrans; }

// OpenBLAS reads the OpenMP thread count once at load; a later set_threads() (--threads) must
// reach it too. Only outside parallel regions: inside one, OpenBLAS runs single-threaded anyway.
void follow_thread_setting() {
#ifdef FIELDLAB_HAVE_OPENMP
  if (omp_in_parallel()) return;
#endif
  const int threads = max_threads();
  if (openblas_get_num_threads() != threads) openblas_set_num_threads(threads);
}

}  // namespace

void gemm(Transpose ta, Transpose tb, std::int64_t m, std::int64_t n, std::int64_t k,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc) {
  if (m == 0 || n == 0) return;
  follow_thread_setting();
  cblas_sgemm(CblasRowMajor, to_cblas(ta), to_cblas(tb), static_cast<blasint>(m),
              static_cast<blasint>(n), static_cast<blasint>(k), 1.0f, a, static_cast<blasint>(lda),
              b, static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

const char* gemm_backend() { return openblas_get_corename(); }

}  // namespace fieldlab::nn
