// Elementwise arithmetic and activations.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/cpu_dispatch.hpp"
#include "core/error.hpp"
#include "nn/ops.hpp"
#include "nn/ops_map.hpp"

namespace fieldlab::nn {
using detail::unary;
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

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
  Tensor y = detail::map_binary(g, a, b, [](float x, float z) { return x + z; });
  const std::int64_t n = y.numel();
  return g.record(
      y, {a, b},
      [a = a.weak(), b = b.weak(), n](Graph& g, const Tensor& gy) {
        const float* gp = gy.data();
        for (Var v : {a, b})
          if (float* gv = g.grad_target(v)) {
#pragma omp parallel for simd if (n > kParallelMin)
            for (std::int64_t i = 0; i < n; ++i) gv[i] += gp[i];
          }
      },
      OutputUse::not_read);
}

Var sub(Var a, Var b) { return add(a, scale(b, -1.0f)); }

Var mul(Var a, Var b) {
  require_same_shape(a.shape(), b.shape(), "mul");
  Graph& g = *a.graph;
  Tensor y = detail::map_binary(g, a, b, [](float x, float z) { return x * z; });
  const std::int64_t n = y.numel();
  return g.record(
      y, {a, b},
      [a, b, n](Graph& g, const Tensor& gy) {
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
      },
      OutputUse::not_read);
}

// y = a x + b: the backward (dx += a dy) reads neither x nor y, so it keeps nothing alive.
Var affine(Var x, float a, float b) {
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  float* yp = y.data();
  const std::int64_t n = y.numel();
#pragma omp parallel for simd if (n > kParallelMin)
  for (std::int64_t i = 0; i < n; ++i) yp[i] = a * xp[i] + b;
  return g.record(
      y, {x},
      [x = x.weak(), a, n](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* gp = gy.data();
#pragma omp parallel for simd if (n > kParallelMin)
        for (std::int64_t i = 0; i < n; ++i) gx[i] += gp[i] * a;
      },
      OutputUse::not_read);
}

Var scale(Var a, float factor) { return affine(a, factor, 0.0f); }

Var add_scalar(Var a, float value) { return affine(a, 1.0f, value); }

// Exact GELU. Scalar std::erf was the largest non-GEMM cost of a SineNet step, and Eigen's
// vectorised erf is stuck at the SSE packet width in the portable build (Eigen picks packets by
// preprocessor macros, which target_clones does not set). So erf and exp are written out here as
// plain branch-free arithmetic that GCC vectorises in each FIELDLAB_MULTIVERSION clone (8 floats
// per instruction on x86-64-v3).
namespace {
constexpr float kInvSqrt2 = 0.70710678118654752f;
constexpr float kInvSqrt2Pi = 0.39894228040143268f;
constexpr std::int64_t kChunk = 4096;

// The clamps below are float compares; under the default -ftrapping-math GCC will not if-convert
// them (a compare may raise FE_INVALID on NaN), so the loops would stay scalar. Nothing here reads
// floating-point exception flags.
#if defined(__GNUC__) && !defined(__clang__)
#define FIELDLAB_NO_TRAPPING_MATH __attribute__((optimize("no-trapping-math")))
#else
#define FIELDLAB_NO_TRAPPING_MATH
#endif

// Eigen's generic_fast_erf_float: the rational approximation x P(x^2) / Q(x^2) on [-4, 4]
// (outside, erf is +-1 in float), accurate to a few ulp.
FIELDLAB_NO_TRAPPING_MATH inline float erf_approx(float v) {
  const float c = v < -4.0f ? -4.0f : v;
  const float x = c > 4.0f ? 4.0f : c;
  const float x2 = x * x;
  float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
  p = x2 * p + -2.10102402082508e-06f;
  p = x2 * p + -5.69250639462346e-05f;
  p = x2 * p + -7.34990630326855e-04f;
  p = x2 * p + -2.95459980854025e-03f;
  p = x2 * p + -1.60960333262415e-02f;
  float q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
  q = x2 * q + -1.68282697438203e-03f;
  q = x2 * q + -7.37332916720468e-03f;
  q = x2 * q + -1.42647390514189e-02f;
  return x * p / q;
}

// exp(v) for v <= 0 (Cephes expf: v = n ln2 + r, |r| <= ln2/2, degree-6 polynomial, 2^n through
// the exponent bits); below -87 the result underflows to 0 as expf's does, within 1e-38.
FIELDLAB_NO_TRAPPING_MATH inline float exp_nonpositive(float v) {
  const float x = v < -87.0f ? -87.0f : v;
  // Round to nearest by adding and removing 1.5 * 2^23 (|x log2 e| < 2^22): no floor() call, so
  // the loop stays free of control flow and vectorises.
  constexpr float kRound = 12582912.0f;
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float e = p * r * r + r + 1.0f;
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float scale;  // memcpy rather than std::bit_cast: GCC 12 does not vectorise the latter
  std::memcpy(&scale, &bits, sizeof scale);
  return e * scale;
}

FIELDLAB_NO_TRAPPING_MATH FIELDLAB_MULTIVERSION void gelu_forward(const float* x, float* y,
                                                                  std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) y[i] = 0.5f * x[i] * (1.0f + erf_approx(x[i] * kInvSqrt2));
}

// gx += g (Phi(x) + x phi(x))
FIELDLAB_NO_TRAPPING_MATH FIELDLAB_MULTIVERSION void gelu_backward_add(const float* x,
                                                                       const float* g, float* gx,
                                                                       std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    const float v = x[i];
    const float cdf = 0.5f * (1.0f + erf_approx(v * kInvSqrt2));
    gx[i] += g[i] * (cdf + v * kInvSqrt2Pi * exp_nonpositive(-0.5f * v * v));
  }
}
}  // namespace

Var gelu(Var x) {
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  const std::int64_t n = y.numel(), chunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel for if (n > kParallelMin)
  for (std::int64_t c = 0; c < chunks; ++c) {
    const std::int64_t o = c * kChunk;
    gelu_forward(xp + o, y.data() + o, std::min(kChunk, n - o));
  }
  return g.record(
      y, {x},
      [x, n, chunks](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* xp = x.value().data();
#pragma omp parallel for if (n > kParallelMin)
        for (std::int64_t c = 0; c < chunks; ++c) {
          const std::int64_t o = c * kChunk;
          gelu_backward_add(xp + o, gy.data() + o, gx + o, std::min(kChunk, n - o));
        }
      },
      OutputUse::not_read);
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
