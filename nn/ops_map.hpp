#pragma once
// Elementwise maps shared by nn/ops_elementwise.cpp and nn/ops_math.cpp (internal to nn: not part
// of the public op API): map_binary() is the forward of the same-shape binary ops (add, mul, div);
// the three shapes of a unary op share map_unary()'s forward and differ in what their backward
// keeps alive (graph.hpp's memory rules):
//   unary():       df(x, y) needs both the input and the output (gelu, silu, tanh, sin, ...);
//   from_input():  df(x) needs the input only, the output is not read (OutputUse::not_read);
//   from_output(): df(y) needs the output only, the input is held by a weak handle.

#include <cstdint>

#include "nn/graph.hpp"

namespace fieldlab::nn::detail {

inline constexpr std::int64_t kMapParallelMin = 1 << 15;

// y = f(x) elementwise into a new arena tensor.
template <typename F>
Tensor map_unary(Graph& g, const Tensor& xv, F f) {
  Tensor y = g.new_tensor(xv.shape());
  const float* xp = xv.data();
  float* yp = y.data();
  const std::int64_t n = xv.numel();
#pragma omp parallel for simd if (n > kMapParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = f(xp[i]);
  return y;
}

// y = f(a, b) elementwise (same shapes, checked by the caller) into a new arena tensor.
template <typename F>
Tensor map_binary(Graph& g, Var a, Var b, F f) {
  Tensor y = g.new_tensor(a.shape());
  const float* ap = a.value().data();
  const float* bp = b.value().data();
  float* yp = y.data();
  const std::int64_t n = y.numel();
#pragma omp parallel for simd if (n > kMapParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = f(ap[i], bp[i]);
  return y;
}

// y = f(x); dx += dy * df(x, y).
template <typename F, typename DF>
Var unary(Var x, F f, DF df) {
  Graph& g = *x.graph;
  Tensor y = map_unary(g, x.value(), f);
  const std::int64_t n = y.numel();
  return g.record(y, {x}, [x, y, df, n](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* xp = x.value().data();
    const float* yp = y.data();
    const float* gp = gy.data();
#pragma omp parallel for simd if (n > kMapParallelMin)
    for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(xp[i], yp[i]);
  });
}

// y = f(x); dx += dy * df(x). The backward reads x only.
template <typename F, typename DF>
Var from_input(Var x, F f, DF df) {
  Graph& g = *x.graph;
  Tensor y = map_unary(g, x.value(), f);
  const std::int64_t n = y.numel();
  return g.record(
      y, {x},
      [x, df, n](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* xp = x.value().data();
        const float* gp = gy.data();
#pragma omp parallel for simd if (n > kMapParallelMin)
        for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(xp[i]);
      },
      OutputUse::not_read);
}

// y = f(x); dx += dy * df(y). The backward reads y only, so x may be freed after the forward.
template <typename F, typename DF>
Var from_output(Var x, F f, DF df) {
  Graph& g = *x.graph;
  Tensor y = map_unary(g, x.value(), f);
  const std::int64_t n = y.numel();
  return g.record(y, {x}, [x = x.weak(), y, df, n](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* yp = y.data();
    const float* gp = gy.data();
#pragma omp parallel for simd if (n > kMapParallelMin)
    for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(yp[i]);
  });
}

}  // namespace fieldlab::nn::detail
