#pragma once
// The FrameModel adapter shared by the convolutional surrogates (SineNet, the U-Net): a network
// built in place from its typed config, whose config has fields, history and levels (H and W must
// be multiples of 2^levels). A model with conditioning derives from it and overrides
// conditioning(), condition_parameter() and forward_frames().

#include <string>
#include <utility>

#include "nn/models/model.hpp"
#include "nn/models/model_config.hpp"

namespace fieldlab::nn {

template <typename Net, typename Config>
class ConvFrameModel : public FrameModel {
 public:
  ConvFrameModel(std::string name, const char* family, const Config& config)
      : FrameModel(std::move(name)), config_(family, config), net_(config) {}
  const ModelConfig& config() const override { return config_; }
  ParameterStore& parameters() override { return net_.parameters(); }
  const ParameterStore& parameters() const override { return net_.parameters(); }
  void initialise(unsigned long long seed) override { net_.initialise(seed); }
  std::string describe() const override { return net_.describe(); }
  int fields() const override { return config_.value.fields; }
  int history() const override { return config_.value.history; }
  int size_multiple() const override { return 1 << config_.value.levels; }

 protected:
  Var forward_frames(Graph& graph, Var x, ModelConditions) const override {
    return net_.forward(graph, x);
  }
  const Config& settings() const { return config_.value; }
  const Net& net() const { return net_; }

 private:
  ConfigOf<Config> config_;
  Net net_;
};

}  // namespace fieldlab::nn
