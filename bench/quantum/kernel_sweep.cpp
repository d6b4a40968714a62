// One-thread time of the streaming gate kernels per target at one register size, for tuning the
// software-prefetch distance (FIELDLAB_QSIM_PREFETCH_BYTES, compiled in): prefetch_sweep.sh builds
// this file with quantum/kernels.cpp and quantum/state_buffer.cpp once per distance and prints GB/s
// per target.
// Usage: kernel_sweep QUBITS  ->  one line per kernel/target: "h t=3 0.1234 s 17.4 GB/s".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "quantum/kernels.hpp"
#include "quantum/state_vector.hpp"  // AlignedAllocator

using namespace fieldlab::quantum;
using kernels::u64;

namespace {

template <typename F>
double best_seconds(F f) {
  double best = 1e300;
  for (int r = 0; r < 6; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 26;
  if (n < 10 || n > 30) {
    std::fprintf(stderr, "kernel_sweep: QUBITS must be in [10, 30]\n");
    return 2;
  }
  const u64 dim = u64{1} << n;
  std::vector<double, AlignedAllocator<double>> state(2 * dim, 1e-4);
  double* data = state.data();
  const double s = 0.7071067811865476;
  const Matrix2 h{cplx(s), cplx(s), cplx(s), cplx(-s)};
  const double bytes = 2.0 * 16.0 * static_cast<double>(dim);  // read + write every amplitude
  auto report = [&](const char* gate, int t, double sec) {
    std::printf("%s t=%d %.5f s %.1f GB/s\n", gate, t, sec, bytes / sec / 1e9);
  };
  for (int t : {0, 1, 2, 3, 4, 5, 6, 7, 12, n - 1})
    report("h", t, best_seconds([&] { kernels::dense1_pairs(data, t, h, 0, dim / 2, true); }));
  // CNOT(control c, target c + 1) through the general swap kernel (c >= 1), as StateVector runs it.
  for (int c = 1; c <= 6; ++c) {
    kernels::Runs runs;
    runs.positions[0] = c;
    runs.positions[1] = c + 1;
    runs.count = 2;
    runs.control_mask = u64{1} << c;
    runs.length = u64{1} << c;
    const u64 count = (dim >> 2) / runs.length;
    report("cx", c, best_seconds([&] {
             kernels::swap_runs(data, runs, 0, count, 0, u64{1} << (c + 1), true);
           }));
  }
  return 0;
}
