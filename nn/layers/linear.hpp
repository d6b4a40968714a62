#pragma once
// torch.nn.Linear(in_features, out_features, bias): y = x W^T + b over the last axis, with
// <prefix>weight [out, in] and <prefix>bias [out]. Follows the layer convention (layer.hpp).

#include <cstdint>
#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/jet.hpp"
#include "nn/jet_stack.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class Linear {
 public:
  Linear(ParameterStore& store, const std::string& prefix, int in_features, int out_features,
         bool bias = true);
  // PyTorch's reset_parameters: weight and bias U(+-1/sqrt(in_features)).
  void initialise(std::mt19937_64& rng);
  // The usual PINN init: xavier_uniform_ weight U(+-sqrt(6 / (in + out))), bias zero (no draws).
  void initialise_xavier(std::mt19937_64& rng);

  int in_features() const { return in_; }
  int out_features() const { return out_; }
  std::int64_t parameter_count() const {
    return std::int64_t{in_} * out_ + (bias_ >= 0 ? out_ : 0);
  }

  // x: [..., in] -> [..., out].
  Var forward(Graph& graph, Var x) const;
  // The same map on a jet (value and input derivatives, nn/jet.hpp).
  Jet forward(Graph& graph, const Jet& x) const;
  // The same on a stacked jet (nn/jet_stack.hpp): one GEMM for the value and every derivative.
  JetStack forward(Graph& graph, const JetStack& x) const;

 private:
  ParameterStore* store_;
  int in_, out_;
  int weight_ = -1, bias_ = -1;
};

}  // namespace fieldlab::nn
