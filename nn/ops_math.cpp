// Elementwise math beyond ops_elementwise.cpp (relu).
//
// Each unary op's backward needs either its input or its output, never both, so it keeps only
// that one alive (graph.hpp's memory rules): from_input() holds x and passes OutputUse::not_read,
// from_output() holds y and a weak handle to x.

#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

// y = f(x); dx += dy * df(x). The backward reads x only.
template <typename F, typename DF>
Var from_input(Var x, F f, DF df) {
  Graph& g = *x.graph;
  const Tensor& xv = x.value();
  Tensor y = g.new_tensor(xv.shape());
  const float* xp = xv.data();
  float* yp = y.data();
  const std::int64_t n = xv.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = f(xp[i]);
  return g.record(
      y, {x},
      [x, df, n](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* xp = x.value().data();
        const float* gp = gy.data();
#pragma omp parallel for simd if (n > kParallelMin)
        for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(xp[i]);
      },
      OutputUse::not_read);
}

// y = f(x); dx += dy * df(y). The backward reads y only, so x may be freed after the forward.
template <typename F, typename DF>
Var from_output(Var x, F f, DF df) {
  Graph& g = *x.graph;
  const Tensor& xv = x.value();
  Tensor y = g.new_tensor(xv.shape());
  const float* xp = xv.data();
  float* yp = y.data();
  const std::int64_t n = xv.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = f(xp[i]);
  return g.record(y, {x}, [x = x.weak(), y, df, n](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* yp = y.data();
    const float* gp = gy.data();
#pragma omp parallel for simd if (n > kParallelMin)
    for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(yp[i]);
  });
}

}  // namespace

// PyTorch's relu: the slope at 0 is taken as 0.
Var relu(Var x) {
  return from_output(
      x, [](float v) { return v > 0.0f ? v : 0.0f; },
      [](float y) { return y > 0.0f ? 1.0f : 0.0f; });
}

}  // namespace fieldlab::nn
