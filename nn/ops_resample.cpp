// 2x2 average pooling and bicubic x2 upsampling (PyTorch align_corners=False convention).

#include <array>
#include <cstring>

#include "core/cpu_dispatch.hpp"
#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// Keys' cubic convolution with PyTorch's a = -0.75.
constexpr double kA = -0.75;
constexpr double cubic_near(double x) { return ((kA + 2) * x - (kA + 3)) * x * x + 1; }
constexpr double cubic_far(double x) { return ((kA * x - 5 * kA) * x + 8 * kA) * x - 4 * kA; }
constexpr std::array<float, 4> cubic_weights(double t) {
  return {static_cast<float>(cubic_far(t + 1)), static_cast<float>(cubic_near(t)),
          static_cast<float>(cubic_near(1 - t)), static_cast<float>(cubic_far(2 - t))};
}
// With scale 2 the source coordinate (o + 0.5) / 2 - 0.5 has fraction 0.75 for even o (taps
// o/2 - 2 .. o/2 + 1) and 0.25 for odd o (taps (o-1)/2 - 1 .. (o-1)/2 + 2).
constexpr std::array<float, 4> kEvenWeights = cubic_weights(0.75);
constexpr std::array<float, 4> kOddWeights = cubic_weights(0.25);

inline int tap_index(int i, int length, Padding padding) {
  if (padding == Padding::circular) return ((i % length) + length) % length;
  return i < 0 ? 0 : (i >= length ? length - 1 : i);
}

struct Taps {
  std::array<int, 4> index;
  const std::array<float, 4>* weight;
};

inline Taps taps(int o, int length, Padding padding) {
  const int m = o / 2;
  const int first = (o % 2 == 0) ? m - 2 : m - 1;
  Taps t{{}, (o % 2 == 0) ? &kEvenWeights : &kOddWeights};
  for (int k = 0; k < 4; ++k) t.index[k] = tap_index(first + k, length, padding);
  return t;
}

// The four separable passes are run-time dispatched (core/cpu_dispatch.hpp): the H passes are
// row AXPYs that vectorise to 8 floats per instruction on x86-64-v3.

// Along W: in [planes, h, w] -> out [planes, h, 2w] (or its transpose, accumulating).
FIELDLAB_MULTIVERSION void pass_w(const float* in, float* out, std::int64_t rows, int w,
                                  Padding padding) {
  const auto& e = kEvenWeights;
  const auto& d = kOddWeights;
#pragma omp parallel for if (rows * w > (1 << 14))
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* src = in + r * w;
    float* dst = out + r * 2 * w;
    auto generic = [&](int o) {
      const Taps t = taps(o, w, padding);
      float s = 0;
      for (int k = 0; k < 4; ++k) s += (*t.weight)[k] * src[t.index[k]];
      dst[o] = s;
    };
    // Interior: for 2 <= m <= w - 3 all taps of outputs 2m and 2m + 1 lie inside the row, so no
    // index arithmetic per output (a straight loop the compiler vectorises); the 4 outputs at
    // each end wrap or clamp.
    const int lo = 2, hi = w - 3;
    if (hi < lo) {
      for (int o = 0; o < 2 * w; ++o) generic(o);
      continue;
    }
    for (int o = 0; o < 2 * lo; ++o) generic(o);
    for (int m = lo; m <= hi; ++m) {
      dst[2 * m] = e[0] * src[m - 2] + e[1] * src[m - 1] + e[2] * src[m] + e[3] * src[m + 1];
      dst[2 * m + 1] = d[0] * src[m - 1] + d[1] * src[m] + d[2] * src[m + 1] + d[3] * src[m + 2];
    }
    for (int o = 2 * hi + 2; o < 2 * w; ++o) generic(o);
  }
}

FIELDLAB_MULTIVERSION void pass_w_transpose_add(const float* gout, float* gin, std::int64_t rows,
                                                int w, Padding padding) {
  const auto& e = kEvenWeights;
  const auto& d = kOddWeights;
#pragma omp parallel for if (rows * w > (1 << 14))
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* src = gout + r * 2 * w;
    float* dst = gin + r * w;
    // Scatter of outputs [o0, o1) onto their taps, skipping taps in [skip_lo, skip_hi].
    auto scatter = [&](int o0, int o1, int skip_lo, int skip_hi) {
      for (int o = o0; o < o1; ++o) {
        const Taps t = taps(o, w, padding);
        for (int k = 0; k < 4; ++k)
          if (t.index[k] < skip_lo || t.index[k] > skip_hi)
            dst[t.index[k]] += (*t.weight)[k] * src[o];
      }
    };
    if (w < 10) {  // too narrow for an interior: plain scatter
      scatter(0, 2 * w, 1, 0);
      continue;
    }
    // Input j in [3, w - 4] receives only from outputs whose taps neither clamp nor wrap (even
    // 2m, m = j - 1 .. j + 2; odd 2m + 1, m = j - 2 .. j + 1): a gather, no index arithmetic.
    for (int j = 3; j <= w - 4; ++j)
      dst[j] += e[0] * src[2 * j + 4] + e[1] * src[2 * j + 2] + e[2] * src[2 * j] +
                e[3] * src[2 * j - 2] + d[0] * src[2 * j + 3] + d[1] * src[2 * j + 1] +
                d[2] * src[2 * j - 1] + d[3] * src[2 * j - 3];
    // The other inputs (0..2, w-3..w-1) receive only from the first and last 10 outputs.
    scatter(0, 10, 3, w - 4);
    scatter(2 * w - 10, 2 * w, 3, w - 4);
  }
}

// Along H: in [planes, h, cols] -> out [planes, 2h, cols] (or its transpose, accumulating).
FIELDLAB_MULTIVERSION void pass_h(const float* in, float* out, std::int64_t planes, int h, int cols,
                                  Padding padding) {
#pragma omp parallel for if (planes * h * cols > (1 << 15))
  for (std::int64_t p = 0; p < planes; ++p) {
    const float* src = in + p * h * cols;
    float* dst = out + p * 2 * h * cols;
    for (int o = 0; o < 2 * h; ++o) {
      const Taps t = taps(o, h, padding);
      float* row = dst + static_cast<std::int64_t>(o) * cols;
      for (int j = 0; j < cols; ++j) row[j] = 0;
      for (int k = 0; k < 4; ++k) {
        const float wk = (*t.weight)[k];
        const float* s = src + static_cast<std::int64_t>(t.index[k]) * cols;
        for (int j = 0; j < cols; ++j) row[j] += wk * s[j];
      }
    }
  }
}

FIELDLAB_MULTIVERSION void pass_h_transpose_add(const float* gout, float* gin, std::int64_t planes,
                                                int h, int cols, Padding padding) {
#pragma omp parallel for if (planes * h * cols > (1 << 15))
  for (std::int64_t p = 0; p < planes; ++p) {
    const float* src = gout + p * 2 * h * cols;
    float* dst = gin + p * h * cols;
    for (int o = 0; o < 2 * h; ++o) {
      const Taps t = taps(o, h, padding);
      const float* row = src + static_cast<std::int64_t>(o) * cols;
      for (int k = 0; k < 4; ++k) {
        const float wk = (*t.weight)[k];
        float* d = dst + static_cast<std::int64_t>(t.index[k]) * cols;
        for (int j = 0; j < cols; ++j) d[j] += wk * row[j];
      }
    }
  }
}

}  // namespace

Var avg_pool2x2(Var x) {
  const Shape& xs = x.shape();
  require(xs.size() == 4 && xs[2] % 2 == 0 && xs[3] % 2 == 0,
          "avg_pool2x2: input must be [N, C, H, W] with even H and W, got {}", to_string(xs));
  Graph& g = *x.graph;
  const std::int64_t planes = xs[0] * xs[1];
  const int h = static_cast<int>(xs[2]) / 2, w = static_cast<int>(xs[3]) / 2;
  Tensor y = g.new_tensor({xs[0], xs[1], h, w});
  const float* xp = x.value().data();
  float* yp = y.data();
#pragma omp parallel for if (planes * h * w > (1 << 14))
  for (std::int64_t p = 0; p < planes; ++p)
    for (int i = 0; i < h; ++i) {
      const float* r0 = xp + (p * 2 * h + 2 * i) * 2 * w;
      const float* r1 = r0 + 2 * w;
      float* out = yp + (p * h + i) * w;
      for (int j = 0; j < w; ++j)
        out[j] = 0.25f * (r0[2 * j] + r0[2 * j + 1] + r1[2 * j] + r1[2 * j + 1]);
    }
  return g.record(
      y, {x},
      [x = x.weak(), planes, h, w](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* gp = gy.data();
#pragma omp parallel for if (planes * h * w > (1 << 14))
        for (std::int64_t p = 0; p < planes; ++p)
          for (int i = 0; i < h; ++i) {
            float* r0 = gx + (p * 2 * h + 2 * i) * 2 * w;
            float* r1 = r0 + 2 * w;
            const float* in = gp + (p * h + i) * w;
            for (int j = 0; j < w; ++j) {
              const float v = 0.25f * in[j];
              r0[2 * j] += v;
              r0[2 * j + 1] += v;
              r1[2 * j] += v;
              r1[2 * j + 1] += v;
            }
          }
      },
      OutputUse::not_read);
}

Var upsample_bicubic2x(Var x, Padding padding) {
  const Shape& xs = x.shape();
  require(xs.size() == 4 && xs[2] > 0 && xs[3] > 0,
          "upsample_bicubic2x: input must be [N, C, H, W], got {}", to_string(xs));
  Graph& g = *x.graph;
  const std::int64_t planes = xs[0] * xs[1];
  const int h = static_cast<int>(xs[2]), w = static_cast<int>(xs[3]);
  Tensor tmp = g.new_temporary({planes, h, 2 * w});
  Tensor y = g.new_tensor({xs[0], xs[1], 2 * h, 2 * w});
  pass_w(x.value().data(), tmp.data(), planes * h, w, padding);
  pass_h(tmp.data(), y.data(), planes, h, 2 * w, padding);
  return g.record(
      y, {x},
      [x = x.weak(), planes, h, w, padding](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        Tensor gtmp = g.new_temporary({planes, h, 2 * w});
        gtmp.fill(0.0f);
        pass_h_transpose_add(gy.data(), gtmp.data(), planes, h, 2 * w, padding);
        pass_w_transpose_add(gtmp.data(), gx, planes * h, w, padding);
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
