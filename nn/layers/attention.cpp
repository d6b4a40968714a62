#include "nn/layers/attention.hpp"

#include "core/error.hpp"
#include "nn/layers/channel_ops.hpp"
#include "nn/layers/layer.hpp"

namespace fieldlab::nn {

MultiheadAttention::MultiheadAttention(ParameterStore& store, const std::string& prefix,
                                       int embed_dim, int heads, float dropout)
    : store_(&store), dim_(embed_dim), heads_(heads), dropout_(dropout) {
  require(embed_dim > 0 && heads > 0 && embed_dim % heads == 0,
          "attention: embed_dim {} must be a positive multiple of heads {}", embed_dim, heads);
  require(dropout >= 0.0f && dropout < 1.0f, "attention: dropout {} outside [0, 1)", dropout);
  in_weight_ = store.add(prefix + "in_proj_weight", {3 * embed_dim, embed_dim});
  in_bias_ = store.add(prefix + "in_proj_bias", {3 * embed_dim});
  out_weight_ = store.add(prefix + "out_proj.weight", {embed_dim, embed_dim});
  out_bias_ = store.add(prefix + "out_proj.bias", {embed_dim});
}

void MultiheadAttention::initialise(std::mt19937_64& rng) {
  require_allocated(*store_, "attention");
  // in_proj_weight is one [3D, D] matrix to xavier_uniform_: fan_in D, fan_out 3D.
  init_xavier_uniform(*store_, in_weight_, dim_, 3 * dim_, rng);
  init_constant(*store_, in_bias_, 0.0f);
  init_uniform_fan_in(*store_, out_weight_, dim_, rng);
  init_constant(*store_, out_bias_, 0.0f);
}

Var MultiheadAttention::forward(Graph& g, Var query, Var key, Var value, const AttentionMask& mask,
                                std::mt19937_64* rng) const {
  for (Var v : {query, key, value})
    require(v.shape().size() == 3 && v.shape()[2] == dim_,
            "attention: inputs must be [B, T, {}], got {}", dim_, to_string(v.shape()));
  Var w = g.parameter(*store_, in_weight_);
  Var b = g.parameter(*store_, in_bias_);
  auto project = [&](Var x, int part) {
    return linear(x, narrow_rows(w, part * dim_, dim_), narrow_rows(b, part * dim_, dim_));
  };
  const float p = rng != nullptr ? dropout_ : 0.0f;
  Var o = scaled_dot_product_attention(project(query, 0), project(key, 1), project(value, 2),
                                       heads_, mask, p, rng);
  return linear(o, g.parameter(*store_, out_weight_), g.parameter(*store_, out_bias_));
}

}  // namespace fieldlab::nn
