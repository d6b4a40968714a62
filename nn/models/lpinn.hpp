#pragma once
// The Lagrangian PINN network (Mojgani, Balajewicz, Hassanzadeh 2023): two separate MLPs of the
// Lagrangian label x0 and time t, fed (cos x0, sin x0, t) so that both are exactly 2 pi-periodic in
// x0 (no boundary loss):
//   X(x0, t) = x0 + x_net(cos x0, sin x0, t)   the characteristic through x0 (x0 + a correction:
//                                              a smooth function of (cos x0, sin x0) alone cannot
//                                              equal x0 at both ends of [0, 2 pi], which is the
//                                              reference code's end-point clash)
//   u(x0, t) = u_net(cos x0, sin x0, t)        the state carried along it
// Widths 3 -> width x depth_x -> 1 and 3 -> width x depth_u -> 1 (reference: width 50, depth_u 5,
// depth_x 2), tanh (or sin) between layers, Xavier-uniform weights and zero biases from one
// std::mt19937_64(seed), x_net first. The reference code shares layers between the branches and
// repeats one hidden layer; here they share nothing. Parameters "x_net.layers.<l>.weight" /
// ".bias" and "u_net.layers.<l>...", as two PyTorch ModuleLists would name them.
//
// As a PointwiseModel it maps (x0, t) [N, 2] to (X, u) [N, 2]; the physics-informed task
// (nn/train/tasks/convection_pinn.hpp) runs the stacked-jet forward on precomputed feature jets.

#include <string>

#include "nn/jet_stack.hpp"
#include "nn/layers/activation.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/models/model.hpp"
#include "nn/models/model_config.hpp"

namespace fieldlab::nn {

struct LpinnConfig {
  int width = 50;
  int depth_x = 2;  // hidden layers of the characteristic branch
  int depth_u = 5;  // hidden layers of the state branch
  Activation activation = Activation::tanh;

  void bind(ConfigKeys& keys);
  void validate() const;
};

class LpinnModel final : public PointwiseModel {
 public:
  LpinnModel(std::string name, const LpinnConfig& config);
  LpinnModel(const LpinnModel&) = delete;
  LpinnModel& operator=(const LpinnModel&) = delete;
  const ModelConfig& config() const override { return config_; }
  ParameterStore& parameters() override { return store_; }
  const ParameterStore& parameters() const override { return store_; }
  void initialise(unsigned long long seed) override;
  std::string describe() const override;
  int inputs() const override { return 2; }
  int outputs() const override { return 2; }
  // (x0, t) [N, 2] -> (X, u) [N, 2].
  Var forward(Graph& graph, Var x) const override;

  // The feature jet of labels `points` [N, 2] = (x0, t) along the directions (x0, t), with the
  // second derivative in x0 only: streams value, d/dx0, d/dt, d2/dx0^2 of (cos x0, sin x0, t).
  static Tensor feature_jet(const Tensor& points);
  static std::vector<bool> feature_layout() { return {true, false}; }
  struct Outputs {
    JetStack correction;  // X - x0
    JetStack u;
  };
  Outputs forward(Graph& graph, const JetStack& features) const;
  const LpinnConfig& settings() const { return config_.value; }

 private:
  ConfigOf<LpinnConfig> config_;
  ParameterStore store_;  // declared before the layers: outlives them
  MLP x_net_, u_net_;
};

struct ModelEntry;
// The registry entry: the name "lpinn".
ModelEntry lpinn_model_entry();

}  // namespace fieldlab::nn
