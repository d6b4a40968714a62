// GroupNorm and LayerNorm. Both normalise contiguous segments (a group of channels of one sample,
// or one row), so they share one kernel; only where the affine parameters index differs.

#include <cmath>

#include "core/cpu_dispatch.hpp"
#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// Normalises `segments` runs of `length` values. A segment splits into runs of `span` consecutive
// elements sharing one affine parameter (GroupNorm: one channel's spatial extent; LayerNorm: one
// feature); run r of segment s uses parameter (s * length / span + r) % params.
struct NormPlan {
  std::int64_t segments, length, span, params;
  std::int64_t runs() const { return length / span; }
  std::int64_t param_index(std::int64_t segment, std::int64_t run) const {
    return (segment * runs() + run) % params;
  }
};

// Forward and backward kernels are run-time dispatched (core/cpu_dispatch.hpp); the `omp simd`
// reductions let the sums vectorise (they reassociate, which strict IEEE order forbids otherwise).

// Forward of normalise: per segment, mean and 1/std in double, then y = x a + b per run.
FIELDLAB_MULTIVERSION void normalise_forward(const NormPlan& plan, float eps, const float* xp,
                                             const float* gp, const float* bp, float* yp,
                                             float* sp) {
  const std::int64_t span = plan.span, runs = plan.runs();
#pragma omp parallel for if (plan.segments * plan.length > (1 << 14))
  for (std::int64_t s = 0; s < plan.segments; ++s) {
    const float* xs = xp + s * plan.length;
    double sum = 0, sq = 0;
#pragma omp simd reduction(+ : sum)
    for (std::int64_t j = 0; j < plan.length; ++j) sum += xs[j];
    const double mean = sum / plan.length;
#pragma omp simd reduction(+ : sq)
    for (std::int64_t j = 0; j < plan.length; ++j) sq += (xs[j] - mean) * (xs[j] - mean);
    const float rstd = static_cast<float>(1.0 / std::sqrt(sq / plan.length + eps));
    const float m = static_cast<float>(mean);
    sp[2 * s] = m;
    sp[2 * s + 1] = rstd;
    for (std::int64_t r = 0; r < runs; ++r) {
      const std::int64_t k = plan.param_index(s, r);
      // y = (x - m) * rstd * gamma + beta = x * a + b
      const float a = rstd * (gp ? gp[k] : 1.0f);
      const float b = (bp ? bp[k] : 0.0f) - m * a;
      const float* xr = xs + r * span;
      float* yr = yp + s * plan.length + r * span;
      for (std::int64_t j = 0; j < span; ++j) yr[j] = xr[j] * a + b;
    }
  }
}

// Backward of normalise: parameter gradients (serial: runs of one parameter recur across
// segments) and input gradients (parallel over segments). xp: input, gp: gamma or null, dy: output
// gradient, sp: the forward's (mean, 1/std) per segment; null outputs are skipped.
FIELDLAB_MULTIVERSION void normalise_backward(const NormPlan& plan, const float* xp,
                                              const float* gp, const float* dy, const float* sp,
                                              float* gx, float* ggamma, float* gbeta) {
  const std::int64_t span = plan.span, runs = plan.runs();
  // Parameter gradients: serial over segments (runs of one parameter recur across segments).
  if (ggamma || gbeta)
    for (std::int64_t s = 0; s < plan.segments; ++s)
      for (std::int64_t r = 0; r < runs; ++r) {
        const std::int64_t k = plan.param_index(s, r);
        const float* xr = xp + s * plan.length + r * span;
        const float* dr = dy + s * plan.length + r * span;
        double sx = 0, sd = 0;
#pragma omp simd reduction(+ : sx, sd)
        for (std::int64_t j = 0; j < span; ++j) {
          sx += dr[j] * (xr[j] - sp[2 * s]);
          sd += dr[j];
        }
        if (ggamma) ggamma[k] += static_cast<float>(sx) * sp[2 * s + 1];
        if (gbeta) gbeta[k] += static_cast<float>(sd);
      }
  if (!gx) return;
#pragma omp parallel for if (plan.segments * plan.length > (1 << 14))
  for (std::int64_t s = 0; s < plan.segments; ++s) {
    const float mean = sp[2 * s], rstd = sp[2 * s + 1];
    double m1 = 0, m2 = 0;  // sums of dxhat and dxhat * xhat
    for (std::int64_t r = 0; r < runs; ++r) {
      const float gk = gp ? gp[plan.param_index(s, r)] : 1.0f;
      const float* xr = xp + s * plan.length + r * span;
      const float* dr = dy + s * plan.length + r * span;
      float a1 = 0, a2 = 0;
#pragma omp simd reduction(+ : a1, a2)
      for (std::int64_t j = 0; j < span; ++j) {
        a1 += dr[j];
        a2 += dr[j] * (xr[j] - mean);
      }
      m1 += static_cast<double>(gk) * a1;
      m2 += static_cast<double>(gk) * a2 * rstd;
    }
    const float c1 = static_cast<float>(m1 / plan.length);
    const float c2 = static_cast<float>(m2 / plan.length);
    for (std::int64_t r = 0; r < runs; ++r) {
      const float gk = gp ? gp[plan.param_index(s, r)] : 1.0f;
      const float* xr = xp + s * plan.length + r * span;
      const float* dr = dy + s * plan.length + r * span;
      float* gr = gx + s * plan.length + r * span;
      // dx = rstd * (gamma dy - c1 - xhat c2), xhat = (x - mean) rstd
      for (std::int64_t j = 0; j < span; ++j)
        gr[j] += rstd * (gk * dr[j] - c1 - (xr[j] - mean) * rstd * c2);
    }
  }
}

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
  normalise_forward(plan, eps, xp, gp, bp, yp, sp);
  return g.record(
      y, {x, gamma, beta},
      [x, gamma, beta, stats, plan](Graph& g, const Tensor& gy) {
        normalise_backward(plan, x.value().data(), gamma.valid() ? gamma.value().data() : nullptr,
                           gy.data(), stats.data(), g.grad_target(x), g.grad_target(gamma),
                           g.grad_target(beta));
      },
      OutputUse::not_read);
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
