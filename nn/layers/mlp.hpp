#pragma once
// A multilayer perceptron as torch.nn.Sequential(Linear, act, Linear, act, ..., Linear): widths
// {in, hidden..., out} give widths.size() - 1 Linears named <prefix>0., <prefix>2., ... (the
// activations occupy the odd Sequential indices and hold no parameters), an activation between
// consecutive Linears and none after the last. SineNet's time_embed is MLP(store, "time_embed.",
// {h, 4h, 4h}, Activation::gelu). Follows the layer convention (layer.hpp).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nn/layers/activation.hpp"
#include "nn/layers/linear.hpp"

namespace fieldlab::nn {

class MLP {
 public:
  MLP(ParameterStore& store, const std::string& prefix, const std::vector<int>& widths,
      Activation activation = Activation::gelu);
  void initialise(std::mt19937_64& rng);  // each Linear as PyTorch's
  std::int64_t parameter_count() const;
  const std::vector<Linear>& layers() const { return layers_; }

  // x: [..., widths.front()] -> [..., widths.back()].
  Var forward(Graph& graph, Var x) const;

 private:
  std::vector<Linear> layers_;
  Activation activation_;
};

}  // namespace fieldlab::nn
