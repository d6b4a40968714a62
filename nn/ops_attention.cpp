// Scaled dot-product attention, embedding lookup and dropout.
//
// Attention works on [B, T, D] tensors directly: head h of batch b is the strided [T, D/heads]
// block starting at column h * D/heads, so no permute/copy into [B, H, T, dh] is needed. The
// attention weights P = softmax(Q K^T * scale) are kept for the backward pass:
//   dV = P^T dO,  dP = dO V^T,  dS = P o (dP - rowsum(dP o P)),  dQ = dS K scale,  dK = dS^T Q
//   scale.

#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

using Strided = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

}  // namespace

Var scaled_dot_product_attention(Var q, Var k, Var v, int heads) {
  const Shape& qs = q.shape();
  const Shape& ks = k.shape();
  require(qs.size() == 3, "attention: queries must be [B, T, D], got {}", to_string(qs));
  require(ks.size() == 3 && ks[0] == qs[0] && ks[2] == qs[2],
          "attention: keys {} do not match queries {}", to_string(ks), to_string(qs));
  require_same_shape(ks, v.shape(), "attention (keys vs values)");
  require(heads > 0 && qs[2] % heads == 0, "attention: {} features do not split into {} heads",
          qs[2], heads);
  const std::int64_t b = qs[0], t = qs[1], s = ks[1], d = qs[2], dh = d / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  Graph& g = *q.graph;
  Tensor out = g.new_tensor(qs);
  Tensor probs = g.new_tensor({b, heads, t, s});
  const float *qp = q.value().data(), *kp = k.value().data(), *vp = v.value().data();
#pragma omp parallel for collapse(2) if (b * heads * t * s > (1 << 12))
  for (std::int64_t i = 0; i < b; ++i)
    for (int h = 0; h < heads; ++h) {
      ConstStrided Q(qp + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
      ConstStrided K(kp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
      ConstStrided V(vp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
      MatrixMap P(probs.data() + (i * heads + h) * t * s, t, s);
      P.noalias() = (Q * K.transpose()) * scale;
      for (std::int64_t r = 0; r < t; ++r) {
        const float m = P.row(r).maxCoeff();
        P.row(r) = (P.row(r).array() - m).exp();
        P.row(r) /= P.row(r).sum();
      }
      Strided O(out.data() + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
      O.noalias() = P * V;
    }
  return g.record(
      out, {q, k, v},
      [q, k, v, probs, b, t, s, d, dh, heads, scale](Graph& g, const Tensor& gout) {
        float* gq = g.grad_target(q);
        float* gk = g.grad_target(k);
        float* gv = g.grad_target(v);
        const float *qp = q.value().data(), *kp = k.value().data(), *vp = v.value().data();
        // Serial over (batch, head): heads of one batch write disjoint columns, but keep it simple.
        RowMatrix dp(t, s);
        for (std::int64_t i = 0; i < b; ++i)
          for (int h = 0; h < heads; ++h) {
            ConstStrided Q(qp + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
            ConstStrided K(kp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
            ConstStrided V(vp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
            ConstStrided dO(gout.data() + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
            ConstMatrixMap P(probs.data() + (i * heads + h) * t * s, t, s);
            if (gv) {
              Strided dV(gv + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
              dV.noalias() += P.transpose() * dO;
            }
            if (!gq && !gk) continue;
            dp.noalias() = dO * V.transpose();
            for (std::int64_t r = 0; r < t; ++r) {
              const float dot = (dp.row(r).array() * P.row(r).array()).sum();
              dp.row(r) = (P.row(r).array() * (dp.row(r).array() - dot)) * scale;
            }
            if (gq) {
              Strided dQ(gq + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
              dQ.noalias() += dp * K;
            }
            if (gk) {
              Strided dK(gk + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
              dK.noalias() += dp.transpose() * Q;
            }
          }
      },
      OutputUse::not_read);
}

Var embedding(Var weight, const std::vector<std::int64_t>& indices) {
  const Shape& ws = weight.shape();
  require(ws.size() == 2, "embedding: weight must be [V, D], got {}", to_string(ws));
  const std::int64_t vocab = ws[0], d = ws[1], n = static_cast<std::int64_t>(indices.size());
  for (std::int64_t i : indices)
    require(i >= 0 && i < vocab, "embedding: index {} outside [0, {})", i, vocab);
  Graph& g = *weight.graph;
  Tensor y = g.new_tensor({n, d});
  const float* wp = weight.value().data();
  for (std::int64_t r = 0; r < n; ++r) std::copy_n(wp + indices[r] * d, d, y.data() + r * d);
  // The indices are saved as raw bytes in arena memory (two floats per index), not captured as a
  // std::vector: the closure stays inline and the step allocates nothing.
  Tensor saved = g.new_tensor({2 * n});
  if (n > 0) std::memcpy(saved.data(), indices.data(), sizeof(std::int64_t) * n);
  return g.record(
      y, {weight},
      [weight = weight.weak(), saved, n, d](Graph& g, const Tensor& gy) {
        float* gw = g.grad_target(weight);
        for (std::int64_t r = 0; r < n; ++r) {
          std::int64_t index;
          std::memcpy(&index, saved.data() + 2 * r, sizeof(index));
          for (std::int64_t j = 0; j < d; ++j) gw[index * d + j] += gy[r * d + j];
        }
      },
      OutputUse::not_read);
}

Var dropout(Var x, float p, std::mt19937_64& rng) {
  require(p >= 0.0f && p < 1.0f, "dropout: probability {} outside [0, 1)", p);
  Graph& g = *x.graph;
  const std::int64_t n = x.value().numel();
  Tensor mask = g.new_tensor(x.shape());  // 0 or 1 / (1 - p)
  std::bernoulli_distribution keep(1.0 - p);
  const float s = 1.0f / (1.0f - p);
  for (std::int64_t i = 0; i < n; ++i) mask[i] = keep(rng) ? s : 0.0f;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  for (std::int64_t i = 0; i < n; ++i) y[i] = xp[i] * mask[i];
  return g.record(
      y, {x},
      [x, mask, n](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        for (std::int64_t i = 0; i < n; ++i) gx[i] += gy[i] * mask[i];
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
