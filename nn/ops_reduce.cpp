// Reductions, softmax and losses.

#include <cmath>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// `backward` is a closure type, not std::function, so it lives inside the node's inline closure.
template <typename F>
Var scalar_from(Var x, double value, F backward) {
  Graph& g = *x.graph;
  Tensor y = g.new_tensor({});
  y[0] = static_cast<float>(value);
  return g.record(
      y, {x}, [backward](Graph& g, const Tensor& gy) { backward(g, gy[0]); }, OutputUse::not_read);
}

}  // namespace

Var sum(Var x) {
  const Tensor& v = x.value();
  double s = 0;
  for (std::int64_t i = 0; i < v.numel(); ++i) s += v[i];
  const std::int64_t n = v.numel();  // captured: reading x.value() in backward would keep x alive
  return scalar_from(x, s, [x = x.weak(), n](Graph& g, float gy) {
    float* gx = g.grad_target(x);
    for (std::int64_t i = 0; i < n; ++i) gx[i] += gy;
  });
}

Var mean(Var x) {
  const std::int64_t n = x.value().numel();
  require(n > 0, "mean: empty tensor");
  return scale(sum(x), 1.0f / static_cast<float>(n));
}

Var softmax(Var x) {
  const Shape& xs = x.shape();
  require(!xs.empty(), "softmax: scalar input");
  Graph& g = *x.graph;
  const std::int64_t d = xs.back(), rows = x.value().numel() / d;
  Tensor y = g.new_tensor(xs);
  const float* xp = x.value().data();
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* in = xp + r * d;
    float* out = y.data() + r * d;
    float m = in[0];
    for (std::int64_t j = 1; j < d; ++j) m = std::max(m, in[j]);
    double z = 0;
    for (std::int64_t j = 0; j < d; ++j) z += (out[j] = std::exp(in[j] - m));
    for (std::int64_t j = 0; j < d; ++j) out[j] = static_cast<float>(out[j] / z);
  }
  return g.record(y, {x}, [x, y, rows, d](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* yr = y.data() + r * d;
      const float* gr = gy.data() + r * d;
      double dot = 0;
      for (std::int64_t j = 0; j < d; ++j) dot += yr[j] * gr[j];
      for (std::int64_t j = 0; j < d; ++j)
        gx[r * d + j] += yr[j] * (gr[j] - static_cast<float>(dot));
    }
  });
}

Var mse_loss(Var prediction, Var target) {
  require_same_shape(prediction.shape(), target.shape(), "mse_loss");
  const Var diff = sub(prediction, target);
  return mean(mul(diff, diff));
}

Var scaled_l2_loss(Var prediction, Var target) {
  require_same_shape(prediction.shape(), target.shape(), "scaled_l2_loss");
  const Shape& s = prediction.shape();
  require(s.size() >= 2, "scaled_l2_loss: inputs must be [N, C, ...], got {}", to_string(s));
  const std::int64_t groups = s[0] * s[1];
  const std::int64_t length = prediction.value().numel() / groups;
  Graph& g = *prediction.graph;
  // Per (sample, channel): ||p - t|| and ||t||, kept for the backward pass.
  Tensor norms = g.new_tensor({groups, 2});
  const float* p = prediction.value().data();
  const float* t = target.value().data();
  double total = 0;
  for (std::int64_t k = 0; k < groups; ++k) {
    double dd = 0, tt = 0;
    for (std::int64_t j = 0; j < length; ++j) {
      const double e = p[k * length + j] - t[k * length + j];
      dd += e * e;
      tt += static_cast<double>(t[k * length + j]) * t[k * length + j];
    }
    require(tt > 0, "scaled_l2_loss: target (sample {}, channel {}) is identically zero", k / s[1],
            k % s[1]);
    norms[2 * k] = static_cast<float>(std::sqrt(dd));
    norms[2 * k + 1] = static_cast<float>(std::sqrt(tt));
    total += std::sqrt(dd / tt);
  }
  Tensor y = g.new_tensor({});
  y[0] = static_cast<float>(total / groups);
  return g.record(
      y, {prediction, target},
      [prediction, target, norms, groups, length](Graph& g, const Tensor& gy) {
        float* gp = g.grad_target(prediction);
        float* gt = g.grad_target(target);
        const float* p = prediction.value().data();
        const float* t = target.value().data();
        for (std::int64_t k = 0; k < groups; ++k) {
          const float nd = norms[2 * k], nt = norms[2 * k + 1];
          if (nd == 0) continue;  // the gradient of |e| at e = 0 is taken as 0
          const float c = gy[0] / (static_cast<float>(groups) * nd * nt);
          const float r2 = nd / (nt * nt * nt);  // d/dt of 1/||t|| part
          for (std::int64_t j = 0; j < length; ++j) {
            const std::int64_t i = k * length + j;
            const float e = p[i] - t[i];
            if (gp) gp[i] += c * e;
            if (gt) gt[i] += -c * e - gy[0] / static_cast<float>(groups) * r2 * t[i];
          }
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
