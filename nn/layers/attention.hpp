#pragma once
// Multi-head attention as torch.nn.MultiheadAttention(embed_dim, num_heads, dropout,
// batch_first=True): packed input projection <prefix>in_proj_weight [3D, D] / in_proj_bias [3D]
// (rows: Q, then K, then V), scaled dot-product attention per head with optional causal and
// key-padding masks (nn/ops.hpp's AttentionMask, PyTorch's meaning) and dropout on the attention
// weights, then out_proj.weight [D, D] / out_proj.bias [D]. Follows the layer convention
// (layer.hpp).

#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/ops.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class MultiheadAttention {
 public:
  // Declares the parameters (before store.allocate()).
  MultiheadAttention(ParameterStore& store, const std::string& prefix, int embed_dim, int heads,
                     float dropout = 0.0f);
  // PyTorch's initialisation: xavier_uniform in_proj_weight, zero biases, out_proj.weight
  // U(+-1/sqrt(D)) (nn.Linear's default). The store must be allocated.
  void initialise(std::mt19937_64& rng);

  int embed_dim() const { return dim_; }
  int heads() const { return heads_; }
  float dropout() const { return dropout_; }
  std::int64_t parameter_count() const { return 4 * std::int64_t{dim_} * dim_ + 4 * dim_; }

  // query: [B, T, D], key and value: [B, S, D] -> [B, T, D]. `mask` as PyTorch's is_causal /
  // attn_mask=causal and key_padding_mask ([B, S], true = ignore); dropout on the attention
  // weights only with `rng` (training).
  Var forward(Graph& graph, Var query, Var key, Var value, const AttentionMask& mask = {},
              std::mt19937_64* rng = nullptr) const;
  // Self-attention: forward(x, x, x).
  Var forward(Graph& graph, Var x, const AttentionMask& mask = {},
              std::mt19937_64* rng = nullptr) const {
    return forward(graph, x, x, x, mask, rng);
  }

 private:
  ParameterStore* store_;
  int dim_, heads_;
  float dropout_;
  int in_weight_ = -1, in_bias_ = -1, out_weight_ = -1, out_bias_ = -1;
};

}  // namespace fieldlab::nn
