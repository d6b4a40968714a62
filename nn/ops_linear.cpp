// Fully connected layer: y = x W^T + b over the last axis, as one GEMM.

#include "core/error.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Var linear(Var x, Var weight, Var bias) {
  const Shape& xs = x.shape();
  const Shape& ws = weight.shape();
  require(xs.size() >= 1 && ws.size() == 2 && xs.back() == ws[1],
          "linear: input {} does not match weight {} (expected [..., in] and [out, in])",
          to_string(xs), to_string(ws));
  const std::int64_t in = ws[1], out = ws[0], rows = x.value().numel() / in;
  if (bias.valid())
    require(bias.shape() == Shape{out}, "linear: bias {} should be [{}]", to_string(bias.shape()),
            out);
  Graph& g = *x.graph;
  Shape ys = xs;
  ys.back() = out;
  Tensor y = g.new_tensor(ys);
  ConstMatrixMap X(x.value().data(), rows, in);
  ConstMatrixMap W(weight.value().data(), out, in);
  MatrixMap Y(y.data(), rows, out);
  Y.noalias() = X * W.transpose();
  if (bias.valid()) {
    Eigen::Map<const Eigen::RowVectorXf> b(bias.value().data(), out);
    Y.rowwise() += b;
  }
  return g.record(y, {x, weight, bias},
                  [x, weight, bias, rows, in, out](Graph& g, const Tensor& gy) {
                    ConstMatrixMap G(gy.data(), rows, out);
                    if (float* gx = g.grad_target(x)) {
                      MatrixMap GX(gx, rows, in);
                      GX.noalias() += G * ConstMatrixMap(weight.value().data(), out, in);
                    }
                    if (float* gw = g.grad_target(weight)) {
                      MatrixMap GW(gw, out, in);
                      GW.noalias() += G.transpose() * ConstMatrixMap(x.value().data(), rows, in);
                    }
                    if (float* gb = g.grad_target(bias)) {
                      Eigen::Map<Eigen::RowVectorXf> GB(gb, out);
                      GB += G.colwise().sum();
                    }
                  });
}

}  // namespace fieldlab::nn
