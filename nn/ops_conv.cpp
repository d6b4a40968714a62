// conv2d (3x3 and 1x1, stride 1, "same" size) as im2col + GEMM (nn/gemm.hpp: OpenBLAS).
//
// Parallel plan: with at least as many images as threads, each thread takes whole images and runs
// single-threaded GEMMs (the OpenMP build of OpenBLAS drops to one thread inside an OpenMP region)
// with its own column buffer and its own partial weight gradient; otherwise images go one by one
// and the GEMM uses the threads. Column buffers live in the graph's scratch, so nothing is
// allocated per step. Backward recomputes the columns instead of keeping them: 9x the input per
// layer would not fit for full-size models at 128^2.

#include <algorithm>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/gemm.hpp"
#include "nn/im2col.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

struct ConvDims {
  int n, cin, cout, h, w, k;
  std::int64_t hw() const { return static_cast<std::int64_t>(h) * w; }
  std::int64_t rows() const { return static_cast<std::int64_t>(cin) * k * k; }
};

int batch_threads(int n) {
  const int t = max_threads();
  return (t > 1 && n >= t) ? t : 1;
}

}  // namespace

Var conv2d(Var x, Var weight, Var bias, Padding padding) {
  const Shape& xs = x.shape();
  const Shape& ws = weight.shape();
  require(xs.size() == 4, "conv2d: input must be [N, C, H, W], got {}", to_string(xs));
  require(ws.size() == 4 && ws[2] == ws[3] && (ws[2] == 1 || ws[2] == 3),
          "conv2d: weight must be [Cout, Cin, 1|3, 1|3], got {}", to_string(ws));
  require(ws[1] == xs[1], "conv2d: input has {} channels but weight {} expects {}", xs[1],
          to_string(ws), ws[1]);
  const ConvDims d{static_cast<int>(xs[0]), static_cast<int>(xs[1]), static_cast<int>(ws[0]),
                   static_cast<int>(xs[2]), static_cast<int>(xs[3]), static_cast<int>(ws[2])};
  if (bias.valid())
    require(bias.shape() == Shape{ws[0]}, "conv2d: bias {} should be [{}]", to_string(bias.shape()),
            ws[0]);
  Graph& g = *x.graph;
  Tensor y = g.new_tensor({xs[0], ws[0], xs[2], xs[3]});
  const std::int64_t hw = d.hw(), rows = d.rows();
  const int threads = batch_threads(d.n);
  float* columns = d.k == 3 ? g.scratch(kScratchColumns, threads * rows * hw) : nullptr;
  const float* xp = x.value().data();
  const float* bp = bias.valid() ? bias.value().data() : nullptr;
  const float* wp = weight.value().data();

  auto forward_one = [&](int i, float* col) {
    const float* xi = xp + i * d.cin * hw;
    if (d.k == 3) im2col3x3(xi, d.cin, d.h, d.w, padding, col);
    float* yi = y.data() + i * d.cout * hw;
    // Y = W col (+ bias, written first so the GEMM accumulates onto it: one pass over Y less).
    if (bp)
      for (int o = 0; o < d.cout; ++o) std::fill_n(yi + o * hw, hw, bp[o]);
    gemm(Transpose::no, Transpose::no, d.cout, hw, rows, wp, rows, d.k == 3 ? col : xi, hw,
         bp ? 1.0f : 0.0f, yi, hw);
  };
  if (threads > 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int i = 0; i < d.n; ++i)
      forward_one(i, columns ? columns + thread_id() * rows * hw : nullptr);
  } else {
    for (int i = 0; i < d.n; ++i) forward_one(i, columns);
  }

  return g.record(
      y, {x, weight, bias},
      [x, weight, bias, d, padding](Graph& g, const Tensor& gy) {
        const std::int64_t hw = d.hw(), rows = d.rows();
        const int threads = batch_threads(d.n);
        float* gx = g.grad_target(x);
        float* gw = g.grad_target(weight);
        float* gb = g.grad_target(bias);
        const float* xp = x.value().data();
        const float* wp = weight.value().data();
        float* columns =
            (d.k == 3 && gw) ? g.scratch(kScratchColumns, threads * rows * hw) : nullptr;
        float* dcolumns =
            (d.k == 3 && gx) ? g.scratch(kScratchColumnsGrad, threads * rows * hw) : nullptr;
        // Per-thread partial weight gradients (thread 0 writes straight into gw).
        float* partial = (gw && threads > 1)
                             ? g.scratch(kScratchPartial, (threads - 1) * d.cout * rows)
                             : nullptr;
        if (partial) std::fill(partial, partial + (threads - 1) * d.cout * rows, 0.0f);

        auto backward_one = [&](int i, int t) {
          const float* xi = xp + i * d.cin * hw;
          const float* gi = gy.data() + i * d.cout * hw;
          if (gw) {
            const float* src = xi;
            if (d.k == 3) {
              float* col = columns + t * rows * hw;
              im2col3x3(xi, d.cin, d.h, d.w, padding, col);
              src = col;
            }
            // dW += dY col^T
            gemm(Transpose::no, Transpose::yes, d.cout, rows, hw, gi, hw, src, hw, 1.0f,
                 t == 0 ? gw : partial + (t - 1) * d.cout * rows, rows);
          }
          if (gx) {
            float* gxi = gx + i * d.cin * hw;
            if (d.k == 1) {  // dX += W^T dY
              gemm(Transpose::yes, Transpose::no, rows, hw, d.cout, wp, rows, gi, hw, 1.0f, gxi,
                   hw);
            } else {  // dcol = W^T dY, then scattered back onto dX
              float* dcol = dcolumns + t * rows * hw;
              gemm(Transpose::yes, Transpose::no, rows, hw, d.cout, wp, rows, gi, hw, 0.0f, dcol,
                   hw);
              col2im3x3_add(dcol, d.cin, d.h, d.w, padding, gxi);
            }
          }
        };
        if (threads > 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
          for (int i = 0; i < d.n; ++i) backward_one(i, thread_id());
          if (partial)
            for (int t = 1; t < threads; ++t) {
              const float* p = partial + (t - 1) * d.cout * rows;
              for (std::int64_t j = 0; j < d.cout * rows; ++j) gw[j] += p[j];
            }
        } else {
          for (int i = 0; i < d.n; ++i) backward_one(i, 0);
        }
        if (gb) {
          for (int i = 0; i < d.n; ++i) {
            ConstMatrixMap G(gy.data() + i * d.cout * hw, d.cout, hw);
            Eigen::Map<Eigen::VectorXf>(gb, d.cout) += G.rowwise().sum();
          }
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
