// QKAN training steps allocate nothing after the first call: the global allocation functions of
// this test binary count calls, and the count must not move across further steps.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <vector>

#include "core/threads.hpp"
#include "quantum/qkan/qkan_layer.hpp"

namespace {
std::atomic<long long> g_allocations{0};
}  // namespace

// Replacing the global allocation functions is how C++ lets a program observe its heap use; the
// counter is the only addition.
void* operator new(std::size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace fieldlab::quantum::qkan;

TEST_CASE("QKAN mse_and_gradient allocates nothing after its first call, serial and parallel") {
  for (const int batch : {64, 1000}) {  // below and above the layer's OpenMP threshold
    CAPTURE(batch);
    QkanNetwork net({2, 5, 1}, 3, DaruanReadout::pauli_z, 7);
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<double> x(2 * batch), y(batch), grad;
    for (double& v : x) v = u(rng);
    for (double& v : y) v = u(rng);
    const double first = net.mse_and_gradient(x, y, batch, grad);
    const long long before = g_allocations.load();
    double loss = 0;
    for (int step = 0; step < 3; ++step) loss = net.mse_and_gradient(x, y, batch, grad);
    CHECK(g_allocations.load() == before);
    CHECK(loss == first);  // same parameters, same buffers reused: the same loss bit for bit
    CHECK(grad.size() == net.params().size());
  }
}
