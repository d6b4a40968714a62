#pragma once
// The U-Net baseline of the SineNet paper: PDEArena-style modern U-Net with one wave and more
// ConvBlocks per level at a parameter budget matching SineNet-8 (the reference registry's
// "deeper_unet8-dual": hidden 64, multiplier 1.425, 8 ConvBlocks per level, disentangled input
// path, zero or circular padding). Structurally it is the one-wave member of the SineNet family
// (the reference builds it with the same class), so the implementation is a one-wave SineNet and
// the parameter names are the reference state_dict's (image_proj.*, down.0.L.conv.B.*, up.0.L.*,
// final.*). See docs/nn.md for the parameter count derivation.

#include <cstdint>
#include <string>
#include <vector>

#include "nn/models/sinenet.hpp"

namespace fieldlab::nn {

struct UNetConfig {
  int fields = 3;   // channels of one frame
  int history = 4;  // input frames stacked into channels, time-major
  int future = 1;   // predicted frames
  int hidden = 64;
  double mult = 1.425;  // channels per level int(hidden * mult^k), k = 0..levels
  int levels = 4;
  int blocks = 8;  // ConvBlocks per level
  bool disentangle = true;
  Padding padding = Padding::zeros;

  // The model keys (nn/models/model_config.hpp): fields, history, mult, hidden, levels, blocks,
  // padding, tangled. Checkpoints written before the typed configs also carry waves,
  // conditioning and parameter; those are accepted as legacy keys when they hold the only value a
  // U-Net can have (1, none, empty) and a usage error otherwise.
  void bind(ConfigKeys& keys);
  void validate() const;
};

struct ModelEntry;
// The registry entry: the name "unet".
ModelEntry unet_model_entry();

// Closed-form parameter count (docs/nn.md), written independently of the layer declaration.
std::int64_t unet_parameter_count(const UNetConfig& config);
// The equivalent one-wave SineNet configuration.
SineNetConfig to_sinenet_config(const UNetConfig& config);

class UNet {
 public:
  explicit UNet(const UNetConfig& config);
  // PyTorch's default init (conv weights and biases U(+-1/sqrt(fan_in)), GroupNorm 1 and 0).
  void initialise(unsigned long long seed) { net_.initialise(seed); }

  const UNetConfig& config() const { return config_; }
  ParameterStore& parameters() { return net_.parameters(); }
  const ParameterStore& parameters() const { return net_.parameters(); }
  std::vector<int> channels() const { return net_.channels(); }

  // x: [N, history * fields, H, W] with H, W divisible by 2^levels -> [N, future * fields, H, W].
  Var forward(Graph& graph, Var x) const { return net_.forward(graph, x); }

  std::string describe() const;

 private:
  UNetConfig config_;
  SineNet net_;
};

}  // namespace fieldlab::nn
