#include "core/threads.hpp"

#ifdef FIELDLAB_HAVE_OPENMP
#include <omp.h>
#endif

namespace fieldlab {

int max_threads() {
#ifdef FIELDLAB_HAVE_OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

void set_threads(int threads) {
#ifdef FIELDLAB_HAVE_OPENMP
  if (threads > 0) omp_set_num_threads(threads);
#else
  (void)threads;
#endif
}

int thread_id() {
#ifdef FIELDLAB_HAVE_OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}

unsigned long long derive_seed(unsigned long long seed, unsigned long long index) {
  // splitmix64 over (seed, index): well-mixed, so neighbouring indices give unrelated streams.
  unsigned long long z = seed + 0x9e3779b97f4a7c15ULL * (index + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace fieldlab
