// Fully connected layer: y = x W^T + b over the last axis, as one GEMM (nn/gemm.hpp).

#include "core/error.hpp"
#include "nn/eigen_maps.hpp"
#include "nn/gemm.hpp"
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
  gemm(Transpose::no, Transpose::yes, rows, out, in, x.value().data(), in, weight.value().data(),
       in, 0.0f, y.data(), out);
  if (bias.valid()) {
    MatrixMap Y(y.data(), rows, out);
    Y.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias.value().data(), out);
  }
  return g.record(
      y, {x, weight, bias},
      [x, weight, bias, rows, in, out](Graph& g, const Tensor& gy) {
        if (float* gx = g.grad_target(x))  // dX += dY W
          gemm(Transpose::no, Transpose::no, rows, in, out, gy.data(), out, weight.value().data(),
               in, 1.0f, gx, in);
        if (float* gw = g.grad_target(weight))  // dW += dY^T X
          gemm(Transpose::yes, Transpose::no, out, in, rows, gy.data(), out, x.value().data(), in,
               1.0f, gw, in);
        if (float* gb = g.grad_target(bias)) {
          ConstMatrixMap G(gy.data(), rows, out);
          Eigen::Map<Eigen::RowVectorXf>(gb, out) += G.colwise().sum();
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
