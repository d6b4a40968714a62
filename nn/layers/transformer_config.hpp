#pragma once
// Settings shared by TransformerEncoderLayer and TransformerDecoderLayer, with the defaults of
// torch.nn.TransformerEncoderLayer / TransformerDecoderLayer(d_model, nhead, batch_first=True):
// dim_feedforward 2048, dropout 0.1, relu, layer_norm_eps 1e-5, post-norm (norm_first false).
// And the feed-forward block both use: linear2(dropout(activation(linear1(x)))).

#include <random>

#include "nn/layers/activation.hpp"
#include "nn/layers/linear.hpp"

namespace fieldlab::nn {

struct TransformerLayerConfig {
  int d_model = 0;
  int heads = 0;  // nhead
  int dim_feedforward = 2048;
  float dropout = 0.1f;  // attention weights, the feed-forward block and both residual branches
  Activation activation = Activation::relu;
  float layer_norm_eps = 1e-5f;
  bool norm_first = false;  // false: x = norm(x + f(x)) (PyTorch's default); true: x + f(norm(x))
};

// Throws a usage error naming `layer` for a setting PyTorch would reject.
void validate(const TransformerLayerConfig& config, const char* layer);

// linear2(dropout(activation(linear1(x)))); the dropout only with `rng`.
Var feed_forward(Graph& graph, const TransformerLayerConfig& config, const Linear& linear1,
                 const Linear& linear2, Var x, std::mt19937_64* rng);

}  // namespace fieldlab::nn
