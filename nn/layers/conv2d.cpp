#include "nn/layers/conv2d.hpp"

#include "core/error.hpp"
#include "nn/layers/layer.hpp"

namespace fieldlab::nn {

Conv2d::Conv2d(ParameterStore& store, const std::string& prefix, int in_channels, int out_channels,
               int kernel_size, Padding padding, bool bias)
    : store_(&store), in_(in_channels), out_(out_channels), k_(kernel_size), padding_(padding) {
  require(in_channels > 0 && out_channels > 0, "conv2d {}: channels must be positive, got {} -> {}",
          prefix, in_channels, out_channels);
  require(kernel_size == 1 || kernel_size == 3, "conv2d {}: kernel size {} (supported: 1, 3)",
          prefix, kernel_size);
  weight_ = store.add(prefix + "weight", {out_channels, in_channels, kernel_size, kernel_size});
  if (bias) bias_ = store.add(prefix + "bias", {out_channels});
}

void Conv2d::initialise(std::mt19937_64& rng) {
  require_allocated(*store_, "conv2d");
  const std::int64_t fan_in = std::int64_t{in_} * k_ * k_;
  init_uniform_fan_in(*store_, weight_, fan_in, rng);
  if (bias_ >= 0) init_uniform_fan_in(*store_, bias_, fan_in, rng);
}

Var Conv2d::forward(Graph& g, Var x) const {
  return conv2d(x, g.parameter(*store_, weight_), bias_ >= 0 ? g.parameter(*store_, bias_) : Var{},
                padding_);
}

}  // namespace fieldlab::nn
