#pragma once
// The pointwise model for physics-informed networks: a thin model over the MLP layer
// (nn/layers/mlp.hpp). Widths w0 -> w1 -> ... -> wL, an activation (tanh or sin) between layers
// and none after the last, parameters "layers.<l>.weight" [w_{l+1}, w_l] and "layers.<l>.bias"
// [w_{l+1}] as a PyTorch ModuleList of Linear layers would name them (MLPNaming::module_list).
// initialise(seed) draws Xavier-uniform weights U(+-sqrt(6 / (fan_in + fan_out))) layer by layer
// from one std::mt19937_64(seed), biases zero (the usual PINN choice). Forward-mode jets
// (nn/jet.hpp) give input derivatives for residuals. Like every model it follows the layer
// convention (nn/layers/layer.hpp): the layer keeps the store's address, so the model is neither
// copyable nor movable (it lives behind the registry's std::unique_ptr<Model>).

#include <string>
#include <vector>

#include "nn/layers/activation.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/models/model.hpp"
#include "nn/models/model_config.hpp"

namespace fieldlab::nn {

struct MlpConfig {
  std::vector<int> widths{2, 20, 20, 1};
  Activation activation = Activation::tanh;  // tanh or sin (the activation key's choices)

  void bind(ConfigKeys& keys);  // widths, activation
  void validate() const;        // at least two widths
};

class MlpModel final : public PointwiseModel {
 public:
  MlpModel(std::string name, const MlpConfig& config);
  MlpModel(const MlpModel&) = delete;
  MlpModel& operator=(const MlpModel&) = delete;
  const ModelConfig& config() const override { return config_; }
  ParameterStore& parameters() override { return store_; }
  const ParameterStore& parameters() const override { return store_; }
  void initialise(unsigned long long seed) override;
  std::string describe() const override;
  int inputs() const override { return config_.value.widths.front(); }
  int outputs() const override { return config_.value.widths.back(); }
  Var forward(Graph& graph, Var x) const override;
  bool has_jets() const override { return true; }
  Jet forward(Graph& graph, const Jet& x) const override;
  const MLP& mlp() const { return mlp_; }
  const MlpConfig& settings() const { return config_.value; }

 private:
  ConfigOf<MlpConfig> config_;
  ParameterStore store_;  // declared before the layer: outlives it
  MLP mlp_;
};

struct ModelEntry;
// The registry entry: the name "mlp".
ModelEntry mlp_model_entry();

}  // namespace fieldlab::nn
