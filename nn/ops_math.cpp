// Elementwise math beyond ops_elementwise.cpp: relu, abs, exp, log, sqrt, pow, square, erf,
// sigmoid, softplus, and the division of two same-shape tensors. Domain errors follow IEEE (log
// of a negative number is NaN), as in PyTorch.
//
// Each unary op's backward needs either its input or its output, never both, so it keeps only
// that one alive (graph.hpp's memory rules): from_input() holds x and passes OutputUse::not_read,
// from_output() holds y and a weak handle to x.

#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "nn/ops.hpp"
#include "nn/ops_map.hpp"

namespace fieldlab::nn {
using detail::from_input;
using detail::from_output;
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

}  // namespace

// PyTorch's relu: the slope at 0 is taken as 0.
Var relu(Var x) {
  return from_output(
      x, [](float v) { return v > 0.0f ? v : 0.0f; },
      [](float y) { return y > 0.0f ? 1.0f : 0.0f; });
}

// PyTorch's sgn for real inputs: the slope of |x| at 0 is 0.
Var abs(Var x) {
  return from_input(
      x, [](float v) { return std::fabs(v); },
      [](float v) { return v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : 0.0f); });
}

Var exp(Var x) {
  return from_output(
      x, [](float v) { return std::exp(v); }, [](float y) { return y; });
}

Var log(Var x) {
  return from_input(
      x, [](float v) { return std::log(v); }, [](float v) { return 1.0f / v; });
}

Var sqrt(Var x) {
  return from_output(
      x, [](float v) { return std::sqrt(v); }, [](float y) { return 0.5f / y; });
}

// d/dx x^p = p x^(p-1); p = 0 gives slope 0 everywhere (PyTorch's pow backward does the same).
Var pow(Var x, float p) {
  if (p == 2.0f) return square(x);
  return from_input(
      x, [p](float v) { return std::pow(v, p); },
      [p](float v) { return p == 0.0f ? 0.0f : p * std::pow(v, p - 1.0f); });
}

Var square(Var x) {
  return from_input(
      x, [](float v) { return v * v; }, [](float v) { return 2.0f * v; });
}

Var erf(Var x) {
  constexpr float k = 1.12837916709551257f;  // 2 / sqrt(pi)
  return from_input(
      x, [](float v) { return std::erf(v); }, [](float v) { return k * std::exp(-v * v); });
}

// 1 / (1 + e^-x), written so that neither branch overflows.
Var sigmoid(Var x) {
  return from_output(
      x,
      [](float v) {
        if (v >= 0.0f) return 1.0f / (1.0f + std::exp(-v));
        const float e = std::exp(v);
        return e / (1.0f + e);
      },
      [](float y) { return y * (1.0f - y); });
}

// PyTorch's softplus with beta = 1, threshold = 20: log(1 + e^x), and x itself above 20 (where
// the two agree to float precision) so that e^x cannot overflow.
Var softplus(Var x) {
  constexpr float kThreshold = 20.0f;
  return from_input(
      x, [](float v) { return v > kThreshold ? v : std::log1p(std::exp(v)); },
      [](float v) {
        if (v > kThreshold) return 1.0f;
        const float z = std::exp(v);
        return z / (z + 1.0f);
      });
}

Var div(Var a, Var b) {
  require_same_shape(a.shape(), b.shape(), "div");
  Graph& g = *a.graph;
  Tensor y = detail::map_binary(g, a, b, [](float x, float z) { return x / z; });
  const std::int64_t n = y.numel();
  // da += g / b, db -= g a / b^2: reads both inputs, not the output.
  return g.record(
      y, {a, b},
      [a, b, n](Graph& g, const Tensor& gy) {
        const float* gp = gy.data();
        const float* ap = a.value().data();
        const float* bp = b.value().data();
        if (float* ga = g.grad_target(a)) {
#pragma omp parallel for simd if (n > kParallelMin)
          for (std::int64_t i = 0; i < n; ++i) ga[i] += gp[i] / bp[i];
        }
        if (float* gb = g.grad_target(b)) {
#pragma omp parallel for simd if (n > kParallelMin)
          for (std::int64_t i = 0; i < n; ++i) gb[i] -= gp[i] * ap[i] / (bp[i] * bp[i]);
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
