#include "nn/layers/linear.hpp"

#include "core/error.hpp"
#include "nn/layers/layer.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Linear::Linear(ParameterStore& store, const std::string& prefix, int in_features, int out_features,
               bool bias)
    : store_(&store), in_(in_features), out_(out_features) {
  require(in_features > 0 && out_features > 0, "linear {}: features must be positive, got {} -> {}",
          prefix, in_features, out_features);
  weight_ = store.add(prefix + "weight", {out_features, in_features});
  if (bias) bias_ = store.add(prefix + "bias", {out_features});
}

void Linear::initialise(std::mt19937_64& rng) {
  require_allocated(*store_, "linear");
  init_uniform_fan_in(*store_, weight_, in_, rng);
  if (bias_ >= 0) init_uniform_fan_in(*store_, bias_, in_, rng);
}

void Linear::initialise_xavier(std::mt19937_64& rng) {
  require_allocated(*store_, "linear");
  init_xavier_uniform(*store_, weight_, in_, out_, rng);
  if (bias_ >= 0) init_constant(*store_, bias_, 0.0f);
}

Jet Linear::forward(Graph& g, const Jet& x) const {
  return jet_linear(x, g.parameter(*store_, weight_),
                    bias_ >= 0 ? g.parameter(*store_, bias_) : Var{});
}

JetStack Linear::forward(Graph& g, const JetStack& x) const {
  return jet_stack_linear(x, g.parameter(*store_, weight_),
                          bias_ >= 0 ? g.parameter(*store_, bias_) : Var{});
}

Var Linear::forward(Graph& g, Var x) const {
  return linear(x, g.parameter(*store_, weight_), bias_ >= 0 ? g.parameter(*store_, bias_) : Var{});
}

}  // namespace fieldlab::nn
