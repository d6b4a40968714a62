#include "core/threads.hpp"

#ifdef FIELDLAB_HAVE_OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/error.hpp"

namespace fieldlab {

int max_threads() {
#ifdef FIELDLAB_HAVE_OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}

namespace {
// hardware_concurrency() reads /sys on every call (tens of microseconds): read it once, as
// set_threads runs before every small call from Python.
int hardware_threads() {
  static const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return hardware;
}
}  // namespace

int thread_limit() { return std::max(64, 16 * hardware_threads()); }

void check_thread_count(int threads, const char* option) {
  const int limit = thread_limit();
  require(threads >= 0 && threads <= limit,
          "{} must be between 0 (all cores) and {} on this machine ({} hardware threads), got {}",
          option, limit, hardware_threads(), threads);
}

void set_threads(int threads) {
  if (threads > 0) check_thread_count(threads);
  // 0 keeps OpenMP's default, which OMP_NUM_THREADS sets: bounded like --threads, but the message
  // names the variable the user actually set.
  const char* env = std::getenv("OMP_NUM_THREADS");
  if (threads <= 0 && max_threads() > thread_limit())
    fail(ErrorKind::usage,
         "OMP_NUM_THREADS={} asks for {} threads, more than the {} allowed on this machine; lower "
         "it or pass --threads",
         env ? env : "?", max_threads(), thread_limit());
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
