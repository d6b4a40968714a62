#include "nn/layers/embedding.hpp"

#include "core/error.hpp"
#include "nn/layers/layer.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Embedding::Embedding(ParameterStore& store, const std::string& prefix, int num_embeddings,
                     int embedding_dim)
    : store_(&store), num_(num_embeddings), dim_(embedding_dim) {
  require(num_embeddings > 0 && embedding_dim > 0,
          "embedding {}: sizes must be positive, got {} x {}", prefix, num_embeddings,
          embedding_dim);
  weight_ = store.add(prefix + "weight", {num_embeddings, embedding_dim});
}

void Embedding::initialise(std::mt19937_64& rng) {
  require_allocated(*store_, "embedding");
  init_normal(*store_, weight_, 0.0f, 1.0f, rng);
}

Var Embedding::forward(Graph& g, const std::vector<std::int64_t>& indices,
                       Shape index_shape) const {
  const auto n = static_cast<std::int64_t>(indices.size());
  if (index_shape.empty()) index_shape = Shape{n};
  require(numel(index_shape) == n, "embedding: {} indices do not fill the index shape {}", n,
          to_string(index_shape));
  Var rows = embedding(g.parameter(*store_, weight_), indices);
  Shape out = index_shape;
  out.push_back(dim_);
  return index_shape.size() == 1 ? rows : reshape(rows, out);
}

}  // namespace fieldlab::nn
