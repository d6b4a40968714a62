#pragma once
// A fully connected network for pointwise tasks (physics-informed networks): widths
// w0 -> w1 -> ... -> wL, an activation between layers (none after the last), parameters
// "layers.<l>.weight" [w_{l+1}, w_l] and "layers.<l>.bias" [w_{l+1}] as a PyTorch ModuleList of
// Linear layers would name them. initialise(seed) draws Xavier-uniform weights
// U(+-sqrt(6 / (fan_in + fan_out))) layer by layer from one std::mt19937_64(seed), biases zero
// (the usual PINN choice). Forward-mode jets (nn/jet.hpp) give input derivatives for residuals.

#include <string>
#include <vector>

#include "nn/models/model.hpp"
#include "nn/models/model_config.hpp"

namespace fieldlab::nn {

enum class MlpActivation { tanh, sin };

struct MlpConfig {
  std::vector<int> widths{2, 20, 20, 1};
  MlpActivation activation = MlpActivation::tanh;

  void bind(ConfigKeys& keys);  // widths, activation
  void validate() const;        // at least two widths
};

class Mlp final : public PointwiseModel {
 public:
  Mlp(std::string name, const MlpConfig& config);
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

 private:
  ConfigOf<MlpConfig> config_;
  ParameterStore store_;
  std::vector<int> weights_, biases_;
};

struct ModelEntry;
// The registry entry: the name "mlp".
ModelEntry mlp_model_entry();

}  // namespace fieldlab::nn
