#pragma once
// Row-major Eigen views over raw float buffers: the GEMM layer of linear and conv2d.

#include <Eigen/Core>

namespace fieldlab::nn {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

}  // namespace fieldlab::nn
