// Scaled dot-product attention, embedding lookup and dropout.
//
// Attention works on [B, T, D] tensors directly: head h of batch b is the strided [T, D/heads]
// block starting at column h * D/heads, so no permute/copy into [B, H, T, dh] is needed. The
// attention weights P = softmax(Q K^T * scale + mask) are kept for the backward pass, and with
// dropout also the dropped weights Pd = P o keep / (1 - p) (O = Pd V):
//   dV = Pd^T dO,  dPd = dO V^T,  dP = dPd o [Pd != 0] / (1 - p)  (dP = dPd without dropout),
//   dS = P o (dP - rowsum(dP o P)),  dQ = dS K scale,  dK = dS^T Q scale.
// Masked weights are exactly 0 in P, so dS is 0 there and no mask is needed in the backward pass.
// Where P > 0, Pd = P / (1 - p) > 0 exactly when the weight was kept, so [Pd != 0] is the keep
// mask without storing it.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

using Strided = Eigen::Map<RowMatrix, 0, Eigen::OuterStride<>>;
using ConstStrided = Eigen::Map<const RowMatrix, 0, Eigen::OuterStride<>>;

// Every query must keep at least one key: the first unpadded key of each batch must exist and,
// under the causal mask, be key 0 (query 0 sees only key 0).
void require_attendable(const AttentionMask& mask, std::int64_t b, std::int64_t s) {
  if (mask.key_padding.empty()) return;
  for (std::int64_t i = 0; i < b; ++i) {
    const std::uint8_t* pad = mask.key_padding.data() + i * s;
    const std::int64_t first = std::find(pad, pad + s, std::uint8_t{0}) - pad;
    require(first < s,
            "attention: every key of batch {} is masked by key_padding (a query with nothing to "
            "attend to; PyTorch returns NaN there)",
            i);
    require(!mask.causal || first == 0,
            "attention: queries 0..{} of batch {} see no key (the causal mask allows keys <= t and "
            "key_padding masks keys 0..{}); pad sequences on the right",
            first - 1, i, first - 1);
  }
}

// Row-wise masked softmax of the [t, s] scores in place: masked entries become exactly 0.
void masked_softmax(float* p, std::int64_t t, std::int64_t s, bool causal,
                    const std::uint8_t* pad) {
  for (std::int64_t r = 0; r < t; ++r) {
    float* row = p + r * s;
    const std::int64_t limit = causal ? std::min(r + 1, s) : s;
    auto visible = [&](std::int64_t c) { return c < limit && !(pad && pad[c]); };
    float m = -std::numeric_limits<float>::infinity();
    for (std::int64_t c = 0; c < limit; ++c)
      if (visible(c)) m = std::max(m, row[c]);
    float z = 0.0f;
    for (std::int64_t c = 0; c < s; ++c) {
      row[c] = visible(c) ? std::exp(row[c] - m) : 0.0f;
      z += row[c];
    }
    const float inv = 1.0f / z;
    for (std::int64_t c = 0; c < s; ++c) row[c] *= inv;
  }
}

}  // namespace

Var scaled_dot_product_attention(Var q, Var k, Var v, int heads, const AttentionMask& mask,
                                 float dropout, std::mt19937_64* rng) {
  const Shape& qs = q.shape();
  const Shape& ks = k.shape();
  require(qs.size() == 3, "attention: queries must be [B, T, D], got {}", to_string(qs));
  require(ks.size() == 3 && ks[0] == qs[0] && ks[2] == qs[2],
          "attention: keys {} do not match queries {}", to_string(ks), to_string(qs));
  require_same_shape(ks, v.shape(), "attention (keys vs values)");
  require(heads > 0 && qs[2] % heads == 0, "attention: {} features do not split into {} heads",
          qs[2], heads);
  const std::int64_t b = qs[0], t = qs[1], s = ks[1], d = qs[2], dh = d / heads;
  require(mask.key_padding.empty() || static_cast<std::int64_t>(mask.key_padding.size()) == b * s,
          "attention: key_padding has {} flags, expected B * S = {} * {}", mask.key_padding.size(),
          b, s);
  require(dropout >= 0.0f && dropout < 1.0f, "attention: dropout {} outside [0, 1)", dropout);
  require(dropout == 0.0f || rng != nullptr,
          "attention: dropout {} needs a random generator (pass none only in evaluation)", dropout);
  require_attendable(mask, b, s);
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  const bool masked = !mask.empty();
  Graph& g = *q.graph;
  Tensor out = g.new_tensor(qs);
  Tensor probs = g.new_tensor({b, heads, t, s});
  // With dropout, the weights actually applied; drawn serially in (batch, head, query, key)
  // order so the result does not depend on the thread count.
  Tensor dropped;
  if (dropout > 0.0f) dropped = g.new_tensor({b, heads, t, s});
  const float *qp = q.value().data(), *kp = k.value().data(), *vp = v.value().data();
#pragma omp parallel for collapse(2) if (b * heads * t * s > (1 << 12))
  for (std::int64_t i = 0; i < b; ++i)
    for (int h = 0; h < heads; ++h) {
      ConstStrided Q(qp + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
      ConstStrided K(kp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
      MatrixMap P(probs.data() + (i * heads + h) * t * s, t, s);
      // Product then scale as two statements: Eigen evaluates `(Q K^T) * scale` into a heap
      // temporary first (one allocation per batch and head and step); this gives the same values.
      P.noalias() = Q * K.transpose();
      P *= scale;
      if (masked) {
        masked_softmax(P.data(), t, s, mask.causal,
                       mask.key_padding.empty() ? nullptr : mask.key_padding.data() + i * s);
      } else {
        for (std::int64_t r = 0; r < t; ++r) {
          const float m = P.row(r).maxCoeff();
          P.row(r) = (P.row(r).array() - m).exp();
          P.row(r) /= P.row(r).sum();
        }
      }
    }
  if (dropout > 0.0f) {
    std::bernoulli_distribution keep(1.0 - dropout);
    const float kept = 1.0f / (1.0f - dropout);
    for (std::int64_t j = 0; j < probs.numel(); ++j)
      dropped[j] = keep(*rng) ? probs[j] * kept : 0.0f;
  }
  const float* applied = dropout > 0.0f ? dropped.data() : probs.data();
#pragma omp parallel for collapse(2) if (b * heads * t * s > (1 << 12))
  for (std::int64_t i = 0; i < b; ++i)
    for (int h = 0; h < heads; ++h) {
      ConstStrided V(vp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
      ConstMatrixMap P(applied + (i * heads + h) * t * s, t, s);
      Strided O(out.data() + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
      O.noalias() = P * V;
    }
  // Raw pointers to the saved weights: arena memory kept until backward has run (nn/graph.hpp),
  // and small enough for the closure to stay inline.
  const float* saved_probs = probs.data();
  const float* saved_dropped = dropout > 0.0f ? dropped.data() : nullptr;
  const float kept = 1.0f / (1.0f - dropout);
  return g.record(
      out, {q, k, v},
      [q, k, v, saved_probs, saved_dropped, kept, b, t, s, d, dh, heads, scale](
          Graph& g, const Tensor& gout) {
        float* gq = g.grad_target(q);
        float* gk = g.grad_target(k);
        float* gv = g.grad_target(v);
        const float *qp = q.value().data(), *kp = k.value().data(), *vp = v.value().data();
        // (batch, head) blocks write disjoint columns of dQ, dK, dV: parallel over them, each
        // thread with its own [t, s] buffer for dP (arena memory, so no allocation per step).
        const int threads = max_threads();
        Tensor work = g.new_temporary({threads, t, s});
#pragma omp parallel for collapse(2) if (b * heads * t * s > (1 << 12))
        for (std::int64_t i = 0; i < b; ++i)
          for (int h = 0; h < heads; ++h) {
            ConstStrided Q(qp + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
            ConstStrided K(kp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
            ConstStrided V(vp + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
            ConstStrided dO(gout.data() + i * t * d + h * dh, t, dh, Eigen::OuterStride<>(d));
            const std::int64_t block = (i * heads + h) * t * s;
            ConstMatrixMap P(saved_probs + block, t, s);
            ConstMatrixMap Pd(saved_dropped ? saved_dropped + block : saved_probs + block, t, s);
            if (gv) {
              Strided dV(gv + i * s * d + h * dh, s, dh, Eigen::OuterStride<>(d));
              dV.noalias() += Pd.transpose() * dO;
            }
            if (!gq && !gk) continue;
            MatrixMap dp(work.data() + thread_id() * t * s, t, s);
            dp.noalias() = dO * V.transpose();
            if (saved_dropped) dp = (Pd.array() != 0.0f).select(dp.array() * kept, 0.0f).matrix();
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
