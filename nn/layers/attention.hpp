#pragma once
// Multi-head attention as torch.nn.MultiheadAttention(embed_dim, num_heads, batch_first=True):
// packed input projection in_proj_weight [3D, D] / in_proj_bias [3D] (rows: Q, then K, then V),
// scaled dot-product attention per head (nn/ops.hpp) and out_proj.weight [D, D] / out_proj.bias
// [D]. Parameters are declared in the caller's ParameterStore under `prefix` (e.g. "attn."), so
// a model holding the layer keeps one buffer and PyTorch's state_dict names.

#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class MultiheadAttention {
 public:
  // Declares the parameters (before store.allocate()).
  MultiheadAttention(ParameterStore& store, const std::string& prefix, int embed_dim, int heads);
  // PyTorch's initialisation: xavier_uniform in_proj_weight, zero biases, out_proj.weight
  // U(+-1/sqrt(D)) (nn.Linear's default). The store must be allocated.
  void initialise(std::mt19937_64& rng);

  int embed_dim() const { return dim_; }
  int heads() const { return heads_; }
  std::int64_t parameter_count() const { return 4 * std::int64_t{dim_} * dim_ + 4 * dim_; }

  // query: [B, T, D], key and value: [B, S, D] -> [B, T, D] (no masks, no dropout).
  Var forward(Graph& graph, Var query, Var key, Var value) const;
  // Self-attention: forward(x, x, x).
  Var forward(Graph& graph, Var x) const { return forward(graph, x, x, x); }

 private:
  ParameterStore* store_;
  int dim_, heads_;
  int in_weight_ = -1, in_bias_ = -1, out_weight_ = -1, out_bias_ = -1;
};

}  // namespace fieldlab::nn
