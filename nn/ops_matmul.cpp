// Batched matrix product of two graph tensors, one OpenBLAS GEMM per batch entry (nn/gemm.hpp).
//
// Shapes, with op(a) = a or a^T over the last two axes:
//   a [B..., M, K] (stored [B..., K, M] when transpose_a), b [B..., K, N] (stored [B..., N, K]
//   when transpose_b) or b 2-D (shared by every batch entry)  ->  y [B..., M, N]
// Backward (the output is not read):
//   dop(a) += dy op(b)^T,  dop(b) += op(a)^T dy   (summed over the batch when b is shared),
// each written as a GEMM on the stored layouts so no transposed copy is ever made.
//
// Threads: many small products run in parallel over the batch (OpenBLAS is single-threaded inside
// an OpenMP region, so nothing oversubscribes); a few large ones are left to OpenBLAS's threads.
// A shared b with an untransposed a is one GEMM over the flattened [B M, K] rows.

#include <cstdint>

#include "core/error.hpp"
#include "nn/gemm.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// Below this many multiply-adds per product, the batch loop is the better place for threads.
constexpr std::int64_t kSmallProduct = 1 << 18;
constexpr std::int64_t kParallelBatchMin = 1 << 15;  // total multiply-adds worth threading

struct MatmulDims {
  std::int64_t batch = 1, m = 0, n = 0, k = 0;
  bool ta = false, tb = false, shared_b = false;
  std::int64_t lda() const { return ta ? m : k; }  // row lengths of the stored matrices
  std::int64_t ldb() const { return tb ? k : n; }
  std::int64_t a_size() const { return m * k; }
  std::int64_t b_stride() const { return shared_b ? 0 : k * n; }
  bool batch_parallel() const {
    return batch > 1 && m * n * k < kSmallProduct && batch * m * n * k > kParallelBatchMin;
  }
};

Transpose as_transpose(bool t) { return t ? Transpose::yes : Transpose::no; }

MatmulDims matmul_dims(const Shape& as, const Shape& bs, bool ta, bool tb) {
  require(as.size() >= 2 && bs.size() >= 2,
          "matmul: inputs must have at least 2 axes, got {} and {}", to_string(as), to_string(bs));
  MatmulDims d;
  d.ta = ta;
  d.tb = tb;
  const std::size_t ra = as.size(), rb = bs.size();
  d.m = ta ? as[ra - 1] : as[ra - 2];
  d.k = ta ? as[ra - 2] : as[ra - 1];
  const std::int64_t kb = tb ? bs[rb - 1] : bs[rb - 2];
  d.n = tb ? bs[rb - 2] : bs[rb - 1];
  require(kb == d.k,
          "matmul: inner sizes differ: a {}{} and b {}{} (need op(a) [..., M, K] and op(b) "
          "[..., K, N])",
          to_string(as), ta ? " (transposed)" : "", to_string(bs), tb ? " (transposed)" : "");
  d.shared_b = rb == 2 && ra > 2;
  if (!d.shared_b) {
    bool same = ra == rb;
    for (std::size_t i = 0; same && i + 2 < ra; ++i) same = as[i] == bs[i];
    require(same,
            "matmul: batch axes of a {} and b {} differ (they must be equal, or b must be 2-D)",
            to_string(as), to_string(bs));
  }
  for (std::size_t i = 0; i + 2 < ra; ++i) d.batch *= as[i];
  return d;
}

}  // namespace

Var matmul(Var a, Var b, bool transpose_a, bool transpose_b) {
  const MatmulDims d = matmul_dims(a.shape(), b.shape(), transpose_a, transpose_b);
  Shape ys = a.shape();
  ys[ys.size() - 2] = d.m;
  ys.back() = d.n;
  Graph& g = *a.graph;
  Tensor y = g.new_tensor(ys);
  const float* ap = a.value().data();
  const float* bp = b.value().data();
  float* yp = y.data();
  const Transpose ta = as_transpose(d.ta), tb = as_transpose(d.tb);
  if (d.shared_b && !d.ta) {
    gemm(ta, tb, d.batch * d.m, d.n, d.k, ap, d.lda(), bp, d.ldb(), 0.0f, yp, d.n);
  } else {
#pragma omp parallel for if (d.batch_parallel())
    for (std::int64_t i = 0; i < d.batch; ++i)
      gemm(ta, tb, d.m, d.n, d.k, ap + i * d.a_size(), d.lda(), bp + i * d.b_stride(), d.ldb(),
           0.0f, yp + i * d.m * d.n, d.n);
  }
  return g.record(
      y, {a, b},
      [a, b, d](Graph& g, const Tensor& gy) {
        const float* ap = a.value().data();
        const float* bp = b.value().data();
        const float* gp = gy.data();
        const std::int64_t mn = d.m * d.n;
        if (float* ga = g.grad_target(a)) {
      // Stored a [M, K]: dA += dY op(B)^T. Stored a [K, M] (ta): dA += op(B) dY^T.
#pragma omp parallel for if (d.batch_parallel())
          for (std::int64_t i = 0; i < d.batch; ++i) {
            const float* bi = bp + i * d.b_stride();
            const float* gi = gp + i * mn;
            float* gai = ga + i * d.a_size();
            if (!d.ta)
              gemm(Transpose::no, as_transpose(!d.tb), d.m, d.k, d.n, gi, d.n, bi, d.ldb(), 1.0f,
                   gai, d.k);
            else
              gemm(as_transpose(d.tb), Transpose::yes, d.k, d.m, d.n, bi, d.ldb(), gi, d.n, 1.0f,
                   gai, d.m);
          }
        }
        if (float* gb = g.grad_target(b)) {
          // Stored b [K, N]: dB += op(A)^T dY. Stored b [N, K] (tb): dB += dY^T op(A).
          auto accumulate_b = [&](std::int64_t rows, const float* ai, const float* gi, float* gbi) {
            if (!d.tb)
              gemm(as_transpose(!d.ta), Transpose::no, d.k, d.n, rows, ai, d.lda(), gi, d.n, 1.0f,
                   gbi, d.n);
            else
              gemm(Transpose::yes, as_transpose(d.ta), d.n, d.k, rows, gi, d.n, ai, d.lda(), 1.0f,
                   gbi, d.k);
          };
          if (d.shared_b && !d.ta) {
            accumulate_b(d.batch * d.m, ap, gp, gb);  // one GEMM over all rows
          } else if (d.shared_b) {
            for (std::int64_t i = 0; i < d.batch; ++i)  // same target: sequential
              accumulate_b(d.m, ap + i * d.a_size(), gp + i * mn, gb);
          } else {
#pragma omp parallel for if (d.batch_parallel())
            for (std::int64_t i = 0; i < d.batch; ++i)
              accumulate_b(d.m, ap + i * d.a_size(), gp + i * mn, gb + i * d.k * d.n);
          }
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
