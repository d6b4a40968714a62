#include "nn/layers/transformer_config.hpp"

#include "core/error.hpp"
#include "nn/layers/layer.hpp"

namespace fieldlab::nn {

void validate(const TransformerLayerConfig& c, const char* layer) {
  require(c.d_model > 0 && c.heads > 0 && c.d_model % c.heads == 0,
          "{}: d_model {} must be a positive multiple of heads {}", layer, c.d_model, c.heads);
  require(c.dim_feedforward > 0, "{}: dim_feedforward {} must be positive", layer,
          c.dim_feedforward);
  require(c.dropout >= 0.0f && c.dropout < 1.0f, "{}: dropout {} outside [0, 1)", layer, c.dropout);
  require(c.layer_norm_eps > 0.0f, "{}: layer_norm_eps {} must be positive", layer,
          c.layer_norm_eps);
}

Var feed_forward(Graph& g, const TransformerLayerConfig& c, const Linear& linear1,
                 const Linear& linear2, Var x, std::mt19937_64* rng) {
  Var h = apply_activation(c.activation, linear1.forward(g, x));
  return linear2.forward(g, dropout_if_training(h, c.dropout, rng));
}

}  // namespace fieldlab::nn
