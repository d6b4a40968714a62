// GroupNorm and LayerNorm. Both normalise contiguous segments (a group of channels of one sample,
// or one row), so they share one kernel; only where the affine parameters index differs.

#include <cmath>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// Normalises `segments` runs of `length` values; the affine parameter of element j of a segment is
// index (j / span) % params when params > 0 (GroupNorm: per channel; LayerNorm: per feature).
struct NormPlan {
  std::int64_t segments, length, span, params;
  std::int64_t param_index(std::int64_t segment, std::int64_t j) const {
    return (segment * length + j) / span % params;
  }
};

Var normalise(Var x, Var gamma, Var beta, float eps, NormPlan plan, const char* name) {
  if (gamma.valid())
    require(gamma.shape() == Shape{plan.params}, "{}: weight {} should be [{}]", name,
            to_string(gamma.shape()), plan.params);
  if (beta.valid())
    require(beta.shape() == Shape{plan.params}, "{}: bias {} should be [{}]", name,
            to_string(beta.shape()), plan.params);
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  Tensor stats = g.new_tensor({plan.segments, 2});  // mean, 1/std
  const float* xp = x.value().data();
  const float* gp = gamma.valid() ? gamma.value().data() : nullptr;
  const float* bp = beta.valid() ? beta.value().data() : nullptr;
  float* yp = y.data();
  float* sp = stats.data();
#pragma omp parallel for if (plan.segments * plan.length > (1 << 14))
  for (std::int64_t s = 0; s < plan.segments; ++s) {
    const float* xs = xp + s * plan.length;
    double sum = 0, sq = 0;
    for (std::int64_t j = 0; j < plan.length; ++j) sum += xs[j];
    const double mean = sum / plan.length;
    for (std::int64_t j = 0; j < plan.length; ++j) sq += (xs[j] - mean) * (xs[j] - mean);
    const float rstd = static_cast<float>(1.0 / std::sqrt(sq / plan.length + eps));
    sp[2 * s] = static_cast<float>(mean);
    sp[2 * s + 1] = rstd;
    float* ys = yp + s * plan.length;
    for (std::int64_t j = 0; j < plan.length; ++j) {
      float v = (xs[j] - sp[2 * s]) * rstd;
      if (gp) v *= gp[plan.param_index(s, j)];
      if (bp) v += bp[plan.param_index(s, j)];
      ys[j] = v;
    }
  }
  return g.record(y, {x, gamma, beta}, [x, gamma, beta, stats, plan](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    float* ggamma = g.grad_target(gamma);
    float* gbeta = g.grad_target(beta);
    const float* xp = x.value().data();
    const float* gp = gamma.valid() ? gamma.value().data() : nullptr;
    const float* dy = gy.data();
    const float* sp = stats.data();
    // Parameter gradients: serial over segments (segments of one parameter may interleave).
    if (ggamma || gbeta)
      for (std::int64_t s = 0; s < plan.segments; ++s)
        for (std::int64_t j = 0; j < plan.length; ++j) {
          const std::int64_t k = plan.param_index(s, j);
          const float d = dy[s * plan.length + j];
          if (ggamma) ggamma[k] += d * (xp[s * plan.length + j] - sp[2 * s]) * sp[2 * s + 1];
          if (gbeta) gbeta[k] += d;
        }
    if (!gx) return;
#pragma omp parallel for if (plan.segments * plan.length > (1 << 14))
    for (std::int64_t s = 0; s < plan.segments; ++s) {
      const float mean = sp[2 * s], rstd = sp[2 * s + 1];
      const float* xs = xp + s * plan.length;
      const float* ds = dy + s * plan.length;
      double m1 = 0, m2 = 0;  // means of dxhat and dxhat * xhat
      for (std::int64_t j = 0; j < plan.length; ++j) {
        const float dxhat = gp ? ds[j] * gp[plan.param_index(s, j)] : ds[j];
        m1 += dxhat;
        m2 += dxhat * (xs[j] - mean) * rstd;
      }
      m1 /= plan.length;
      m2 /= plan.length;
      float* gxs = gx + s * plan.length;
      for (std::int64_t j = 0; j < plan.length; ++j) {
        const float dxhat = gp ? ds[j] * gp[plan.param_index(s, j)] : ds[j];
        const float xhat = (xs[j] - mean) * rstd;
        gxs[j] += rstd * (dxhat - static_cast<float>(m1) - xhat * static_cast<float>(m2));
      }
    }
  });
}

}  // namespace

Var group_norm(Var x, int groups, Var gamma, Var beta, float eps) {
  const Shape& xs = x.shape();
  require(xs.size() >= 2, "group_norm: input must be [N, C, ...], got {}", to_string(xs));
  require(groups > 0 && xs[1] % groups == 0, "group_norm: {} channels do not split into {} groups",
          xs[1], groups);
  const std::int64_t spatial = x.value().numel() / (xs[0] * xs[1]);
  const std::int64_t segments = xs[0] * groups;
  const std::int64_t length = xs[1] / groups * spatial;
  return normalise(x, gamma, beta, eps, NormPlan{segments, length, spatial, xs[1]}, "group_norm");
}

Var layer_norm(Var x, Var gamma, Var beta, float eps) {
  const Shape& xs = x.shape();
  require(!xs.empty(), "layer_norm: scalar input");
  const std::int64_t d = xs.back();
  return normalise(x, gamma, beta, eps, NormPlan{x.value().numel() / d, d, 1, d}, "layer_norm");
}

}  // namespace fieldlab::nn
