// Google Benchmark kernels of the nn engine: conv2d forward/backward (the GEMM-bound core) and a
// small SineNet training step (forward + backward + AdamW). Each kernel checks its result against
// an independent computation once before timing, and reports throughput as counters.
//
//   bench_nn --benchmark_out=nn.json --benchmark_out_format=json

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "core/threads.hpp"
#include "nn/graph.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/ops.hpp"
#include "nn/optimizer.hpp"

namespace {

using namespace fieldlab::nn;

Tensor random_tensor(Shape shape, unsigned seed) {
  Tensor t(std::move(shape));
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0.0f, 1.0f);
  for (std::int64_t i = 0; i < t.numel(); ++i) t[i] = n(rng);
  return t;
}

// One output element of a zero-padded 3x3 convolution, computed directly in double.
double direct_conv_at(const Tensor& x, const Tensor& w, int s, int o, int i, int j) {
  const int ci = static_cast<int>(x.size(1)), h = static_cast<int>(x.size(2)),
            wd = static_cast<int>(x.size(3));
  double acc = 0;
  for (int c = 0; c < ci; ++c)
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int y = i + dy, xx = j + dx;
        if (y < 0 || y >= h || xx < 0 || xx >= wd) continue;
        acc += static_cast<double>(w[((o * ci + c) * 3 + dy + 1) * 3 + dx + 1]) *
               x[((s * ci + c) * h + y) * wd + xx];
      }
  return acc;
}

// Args: channels, size, batch, threads.
void conv_args(benchmark::internal::Benchmark* b) {
  for (int size : {64, 128})
    for (int threads : {1, 2}) b->Args({64, size, 8, threads});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void BM_Conv2dForward(benchmark::State& state) {
  const int c = static_cast<int>(state.range(0)), n = static_cast<int>(state.range(1)),
            batch = static_cast<int>(state.range(2));
  fieldlab::set_threads(static_cast<int>(state.range(3)));
  const Tensor x = random_tensor({batch, c, n, n}, 1), w = random_tensor({c, c, 3, 3}, 2);
  Graph g;
  {
    NoGradGuard ng(g);
    const Tensor y = conv2d(g.constant(x), g.constant(w), Var{}, Padding::zeros).value();
    const double ref = direct_conv_at(x, w, batch - 1, c / 2, 0, n / 3);
    const float got = y[(((batch - 1) * c + c / 2) * n + 0) * n + n / 3];
    if (std::abs(got - ref) > 1e-3 * (1 + std::abs(ref))) {
      state.SkipWithError("conv2d forward disagrees with the direct convolution");
      return;
    }
  }
  for (auto _ : state) {
    g.reset();
    NoGradGuard ng(g);
    benchmark::DoNotOptimize(
        conv2d(g.constant(x), g.constant(w), Var{}, Padding::zeros).value().data());
  }
  const double flops = 2.0 * batch * c * c * 9.0 * n * n;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Conv2dForward)->Apply(conv_args);

void BM_Conv2dBackward(benchmark::State& state) {
  const int c = static_cast<int>(state.range(0)), n = static_cast<int>(state.range(1)),
            batch = static_cast<int>(state.range(2));
  fieldlab::set_threads(static_cast<int>(state.range(3)));
  const Tensor x = random_tensor({batch, c, n, n}, 1);
  ParameterStore store;
  const int w = store.add("w", {c, c, 3, 3});
  const int b = store.add("b", {c});
  store.allocate();
  std::copy_n(random_tensor({c, c, 3, 3}, 2).data(), c * c * 9, store.value(w).data());
  Graph g;
  for (auto _ : state) {
    state.PauseTiming();
    g.reset();
    Var y = conv2d(g.variable(x), g.parameter(store, w), g.parameter(store, b), Padding::zeros);
    Var loss = sum(y);
    state.ResumeTiming();
    g.backward(loss);  // input, weight and bias gradients
  }
  // Weight-gradient GEMM + input-gradient GEMM.
  const double flops = 2.0 * 2.0 * batch * c * c * 9.0 * n * n;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Conv2dBackward)->Apply(conv_args);

// A small SineNet (K = 2, hidden 16, m = 1.5) on INS-like input: fields 3, history 4.
SineNetConfig small_sinenet() {
  SineNetConfig c;
  c.waves = 2;
  c.hidden = 16;
  c.mult = 1.5;
  c.padding = Padding::circular;
  return c;
}

// Args: size, batch, threads.
void BM_SineNetTrainStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0)), batch = static_cast<int>(state.range(1));
  fieldlab::set_threads(static_cast<int>(state.range(2)));
  SineNet net(small_sinenet());
  net.initialise(7);
  OptimizerConfig oc;
  oc.weight_decay = 1e-5f;
  Optimizer opt(oc, net.parameters().size());
  const Tensor x = random_tensor({batch, 12, n, n}, 3), y = random_tensor({batch, 3, n, n}, 4);
  Graph g;
  double loss = 0;
  auto step = [&] {
    g.reset();
    net.parameters().zero_grad();
    Var l = scaled_l2_loss(net.forward(g, g.constant(x)), g.constant(y));
    g.backward(l);
    opt.step(net.parameters(), 2e-4f);
    loss = l.value()[0];
  };
  step();  // warm-up: the first step fills the arena and scratch buffers
  for (auto _ : state) step();
  if (!std::isfinite(loss)) state.SkipWithError("non-finite loss");
  state.counters["samples/s"] =
      benchmark::Counter(batch, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["params"] = static_cast<double>(net.parameters().size());
  state.counters["arena_MiB"] = static_cast<double>(g.arena().bytes_reserved()) / (1 << 20);
  state.counters["arena_allocs"] = static_cast<double>(g.arena().allocations());
}
BENCHMARK(BM_SineNetTrainStep)
    ->Args({64, 8, 1})
    ->Args({64, 8, 2})
    ->Args({128, 8, 1})
    ->Args({128, 8, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
