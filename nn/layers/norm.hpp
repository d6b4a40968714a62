#pragma once
// torch.nn.LayerNorm(dim, eps, elementwise_affine) and torch.nn.GroupNorm(groups, channels, eps,
// affine): <prefix>weight and <prefix>bias ([dim] / [channels]) when affine. Both follow the
// layer convention (layer.hpp); the kernels are nn/ops.hpp's layer_norm and group_norm.

#include <cstdint>
#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class LayerNorm {
 public:
  LayerNorm(ParameterStore& store, const std::string& prefix, int dim, float eps = 1e-5f,
            bool affine = true);
  void initialise(std::mt19937_64& rng);  // weight 1, bias 0 (the generator is not used)
  std::int64_t parameter_count() const { return weight_ >= 0 ? 2 * std::int64_t{dim_} : 0; }
  // Normalises over the last axis, which must be `dim`.
  Var forward(Graph& graph, Var x) const;

 private:
  ParameterStore* store_;
  int dim_;
  float eps_;
  int weight_ = -1, bias_ = -1;
};

class GroupNorm {
 public:
  GroupNorm(ParameterStore& store, const std::string& prefix, int groups, int channels,
            float eps = 1e-5f, bool affine = true);
  void initialise(std::mt19937_64& rng);  // weight 1, bias 0
  std::int64_t parameter_count() const { return weight_ >= 0 ? 2 * std::int64_t{channels_} : 0; }
  // x: [N, channels, ...].
  Var forward(Graph& graph, Var x) const;

 private:
  ParameterStore* store_;
  int groups_, channels_;
  float eps_;
  int weight_ = -1, bias_ = -1;
};

}  // namespace fieldlab::nn
