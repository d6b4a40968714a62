#pragma once
// torch.nn.Conv2d(in, out, kernel_size, padding=kernel_size // 2, padding_mode, bias) for the
// kernels nn/ops.hpp's conv2d supports (1x1 and 3x3, stride 1, "same" size): <prefix>weight
// [out, in, k, k] and <prefix>bias [out]. Follows the layer convention (layer.hpp).

#include <cstdint>
#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/ops.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class Conv2d {
 public:
  Conv2d(ParameterStore& store, const std::string& prefix, int in_channels, int out_channels,
         int kernel_size, Padding padding = Padding::zeros, bool bias = true);
  // PyTorch's reset_parameters: weight and bias U(+-1/sqrt(in * k * k)).
  void initialise(std::mt19937_64& rng);

  int in_channels() const { return in_; }
  int out_channels() const { return out_; }
  int kernel_size() const { return k_; }
  std::int64_t parameter_count() const {
    return std::int64_t{out_} * in_ * k_ * k_ + (bias_ >= 0 ? out_ : 0);
  }

  // x: [N, in, H, W] -> [N, out, H, W].
  Var forward(Graph& graph, Var x) const;

 private:
  ParameterStore* store_;
  int in_, out_, k_;
  Padding padding_;
  int weight_ = -1, bias_ = -1;
};

}  // namespace fieldlab::nn
