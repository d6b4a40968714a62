// Elementwise arithmetic and activations.

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <unsupported/Eigen/SpecialFunctions>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

// y = f(x); dx += g * df(x, y).
template <typename F, typename DF>
Var unary(Var x, F f, DF df) {
  Graph& g = *x.graph;
  const Tensor& xv = x.value();
  Tensor y = g.new_tensor(xv.shape());
  const float* xp = xv.data();
  float* yp = y.data();
  const std::int64_t n = xv.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = f(xp[i]);
  return g.record(y, {x}, [x, y, df, n](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* xp = x.value().data();
    const float* yp = y.data();
    const float* gp = gy.data();
#pragma omp parallel for simd if (n > kParallelMin)
    for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * df(xp[i], yp[i]);
  });
}

}  // namespace

Padding parse_padding(const std::string& name) {
  if (name == "zeros" || name == "zero") return Padding::zeros;
  if (name == "circular" || name == "circ") return Padding::circular;
  fail(ErrorKind::usage, "unknown padding '{}' (expected zeros or circular)", name);
}

const char* to_string(Padding padding) { return padding == Padding::zeros ? "zeros" : "circular"; }

Var add(Var a, Var b) {
  require_same_shape(a.shape(), b.shape(), "add");
  Graph& g = *a.graph;
  Tensor y = g.new_tensor(a.shape());
  const float* ap = a.value().data();
  const float* bp = b.value().data();
  float* yp = y.data();
  const std::int64_t n = y.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = ap[i] + bp[i];
  return g.record(y, {a, b}, [a, b, n](Graph& g, const Tensor& gy) {
    const float* gp = gy.data();
    for (Var v : {a, b})
      if (float* gv = g.grad_target(v)) {
#pragma omp parallel for simd if (n > kParallelMin)
        for (std::int64_t i = 0; i < n; ++i) gv[i] += gp[i];
      }
  });
}

Var sub(Var a, Var b) { return add(a, scale(b, -1.0f)); }

Var mul(Var a, Var b) {
  require_same_shape(a.shape(), b.shape(), "mul");
  Graph& g = *a.graph;
  Tensor y = g.new_tensor(a.shape());
  const float* ap = a.value().data();
  const float* bp = b.value().data();
  float* yp = y.data();
  const std::int64_t n = y.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = ap[i] * bp[i];
  return g.record(y, {a, b}, [a, b, n](Graph& g, const Tensor& gy) {
    const float* gp = gy.data();
    const float* ap = a.value().data();
    const float* bp = b.value().data();
    if (float* ga = g.grad_target(a)) {
#pragma omp parallel for simd if (n > kParallelMin)
      for (std::int64_t i = 0; i < n; ++i) ga[i] += gp[i] * bp[i];
    }
    if (float* gb = g.grad_target(b)) {
#pragma omp parallel for simd if (n > kParallelMin)
      for (std::int64_t i = 0; i < n; ++i) gb[i] += gp[i] * ap[i];
    }
  });
}

Var scale(Var a, float factor) {
  return unary(
      a, [factor](float x) { return factor * x; }, [factor](float, float) { return factor; });
}

Var add_scalar(Var a, float value) {
  return unary(
      a, [value](float x) { return x + value; }, [](float, float) { return 1.0f; });
}

// Exact GELU through Eigen's vectorised erf (a rational approximation accurate to a few ulp):
// scalar std::erf was the largest non-GEMM cost of a SineNet step.
namespace {
using Array = Eigen::Array<float, Eigen::Dynamic, 1>;
constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
constexpr std::int64_t kChunk = 4096;
}  // namespace

Var gelu(Var x) {
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  const std::int64_t n = y.numel(), chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for if (n > kParallelMin)
  for (std::int64_t c = 0; c < chunks; ++c) {
    const std::int64_t o = c * kChunk, len = std::min(kChunk, n - o);
    Eigen::Map<const Array> xa(xp + o, len);
    Eigen::Map<Array>(y.data() + o, len) = 0.5f * xa * (1.0f + (xa * kInvSqrt2).erf());
  }
  return g.record(y, {x}, [x, n, chunks](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* xp = x.value().data();
#pragma omp parallel for if (n > kParallelMin)
    for (std::int64_t c = 0; c < chunks; ++c) {
      const std::int64_t o = c * kChunk, len = std::min(kChunk, n - o);
      Eigen::Map<const Array> xa(xp + o, len), ga(gy.data() + o, len);
      Eigen::Map<Array>(gx + o, len) += ga * (0.5f * (1.0f + (xa * kInvSqrt2).erf()) +
                                              xa * kInvSqrt2Pi * (-0.5f * xa.square()).exp());
    }
  });
}

Var gelu_tanh(Var x) {
  constexpr float k = 0.79788456080286536f;  // sqrt(2/pi)
  constexpr float c = 0.044715f;
  return unary(
      x, [](float v) { return 0.5f * v * (1.0f + std::tanh(k * (v + c * v * v * v))); },
      [](float v, float) {
        const float t = std::tanh(k * (v + c * v * v * v));
        return 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * k * (1.0f + 3.0f * c * v * v);
      });
}

Var silu(Var x) {
  return unary(
      x, [](float v) { return v / (1.0f + std::exp(-v)); },
      [](float v, float) {
        const float s = 1.0f / (1.0f + std::exp(-v));
        return s * (1.0f + v * (1.0f - s));
      });
}

Var tanh(Var x) {
  return unary(
      x, [](float v) { return std::tanh(v); }, [](float, float y) { return 1.0f - y * y; });
}

Var sin(Var x) {
  return unary(
      x, [](float v) { return std::sin(v); }, [](float v, float) { return std::cos(v); });
}

Var cos(Var x) {
  return unary(
      x, [](float v) { return std::cos(v); }, [](float v, float) { return -std::sin(v); });
}

}  // namespace fieldlab::nn
