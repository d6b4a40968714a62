#pragma once
// A multilayer perceptron: widths {in, hidden..., out} give widths.size() - 1 Linears with an
// activation between consecutive Linears and none after the last. Named as PyTorch names
//   MLPNaming::sequential   torch.nn.Sequential(Linear, act, Linear, ...): <prefix>0., <prefix>2.,
//                           ... (the activations occupy the odd indices and hold no parameters);
//                           SineNet's time_embed is MLP(store, "time_embed.", {h, 4h, 4h}).
//   MLPNaming::module_list  a ModuleList of the Linears alone: <prefix>0., <prefix>1., ...; the
//                           pointwise PINN model (nn/models/mlp_model.hpp) is MLP(store,
//                           "layers.", widths, Activation::tanh, MLPNaming::module_list).
// Follows the layer convention (layer.hpp).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "nn/layers/activation.hpp"
#include "nn/layers/linear.hpp"

namespace fieldlab::nn {

enum class MLPNaming { sequential, module_list };

class MLP {
 public:
  MLP(ParameterStore& store, const std::string& prefix, const std::vector<int>& widths,
      Activation activation = Activation::gelu, MLPNaming naming = MLPNaming::sequential);
  void initialise(std::mt19937_64& rng);  // each Linear as PyTorch's
  // Each Linear in turn: Xavier-uniform weight, zero bias (the usual PINN choice).
  void initialise_xavier(std::mt19937_64& rng);
  std::int64_t parameter_count() const;
  const std::vector<Linear>& layers() const { return layers_; }
  Activation activation() const { return activation_; }

  // x: [..., widths.front()] -> [..., widths.back()].
  Var forward(Graph& graph, Var x) const;
  // The same network on a jet (input derivatives); the activation must have a jet.
  Jet forward(Graph& graph, const Jet& x) const;
  // The same on a stacked jet: one GEMM per layer and one fused activation kernel.
  JetStack forward(Graph& graph, const JetStack& x) const;

 private:
  std::vector<Linear> layers_;
  Activation activation_;
};

}  // namespace fieldlab::nn
