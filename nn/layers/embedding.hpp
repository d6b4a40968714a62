#pragma once
// torch.nn.Embedding(num_embeddings, embedding_dim): <prefix>weight [num, dim], rows looked up by
// index. Follows the layer convention (layer.hpp), with integer indices as its input.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nn/graph.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class Embedding {
 public:
  Embedding(ParameterStore& store, const std::string& prefix, int num_embeddings,
            int embedding_dim);
  // PyTorch's reset_parameters: weight N(0, 1).
  void initialise(std::mt19937_64& rng);
  std::int64_t parameter_count() const { return std::int64_t{num_} * dim_; }

  // indices laid out as `index_shape` (e.g. {B, T}; empty: one axis) -> [index_shape..., dim].
  // Each index must lie in [0, num_embeddings).
  Var forward(Graph& graph, const std::vector<std::int64_t>& indices, Shape index_shape = {}) const;

 private:
  ParameterStore* store_;
  int num_, dim_;
  int weight_ = -1;
};

}  // namespace fieldlab::nn
