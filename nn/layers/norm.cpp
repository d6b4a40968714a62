#include "nn/layers/norm.hpp"

#include "core/error.hpp"
#include "nn/layers/layer.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

LayerNorm::LayerNorm(ParameterStore& store, const std::string& prefix, int dim, float eps,
                     bool affine)
    : store_(&store), dim_(dim), eps_(eps) {
  require(dim > 0 && eps > 0.0f, "layer_norm {}: dim {} and eps {} must be positive", prefix, dim,
          eps);
  if (affine) {
    weight_ = store.add(prefix + "weight", {dim});
    bias_ = store.add(prefix + "bias", {dim});
  }
}

void LayerNorm::initialise(std::mt19937_64&) {
  require_allocated(*store_, "layer_norm");
  if (weight_ < 0) return;
  init_constant(*store_, weight_, 1.0f);
  init_constant(*store_, bias_, 0.0f);
}

Var LayerNorm::forward(Graph& g, Var x) const {
  require(!x.shape().empty() && x.shape().back() == dim_,
          "layer_norm: input {} does not end in {} features", to_string(x.shape()), dim_);
  if (weight_ < 0) return layer_norm(x, Var{}, Var{}, eps_);
  return layer_norm(x, g.parameter(*store_, weight_), g.parameter(*store_, bias_), eps_);
}

GroupNorm::GroupNorm(ParameterStore& store, const std::string& prefix, int groups, int channels,
                     float eps, bool affine)
    : store_(&store), groups_(groups), channels_(channels), eps_(eps) {
  require(groups > 0 && channels > 0 && channels % groups == 0,
          "group_norm {}: {} channels do not split into {} groups", prefix, channels, groups);
  require(eps > 0.0f, "group_norm {}: eps {} must be positive", prefix, eps);
  if (affine) {
    weight_ = store.add(prefix + "weight", {channels});
    bias_ = store.add(prefix + "bias", {channels});
  }
}

void GroupNorm::initialise(std::mt19937_64&) {
  require_allocated(*store_, "group_norm");
  if (weight_ < 0) return;
  init_constant(*store_, weight_, 1.0f);
  init_constant(*store_, bias_, 0.0f);
}

Var GroupNorm::forward(Graph& g, Var x) const {
  require(x.shape().size() >= 2 && x.shape()[1] == channels_,
          "group_norm: input {} does not have {} channels", to_string(x.shape()), channels_);
  if (weight_ < 0) return group_norm(x, groups_, Var{}, Var{}, eps_);
  return group_norm(x, groups_, g.parameter(*store_, weight_), g.parameter(*store_, bias_), eps_);
}

}  // namespace fieldlab::nn
