#pragma once
// SineNet (Zhang et al., ICLR 2024), the disentangled ("dual") variant of the reference code:
// a 3x3 stem to `hidden` channels, K U-Net "waves" in sequence, each with a wave residual, and a
// 3x3 head to the predicted fields. See docs/nn.md for the layer-by-layer structure and the
// parameter count derivation. Parameter names follow the reference's PyTorch state_dict
// (image_proj.*, down.W.L.conv.B.conv1.*, ..., final.*) so weights can be exchanged by name.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nn/graph.hpp"
#include "nn/layers/conv2d.hpp"
#include "nn/layers/linear.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/layers/norm.hpp"
#include "nn/models/model_config.hpp"
#include "nn/ops.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// Optional conditioning on dt (and a scalar PDE parameter), as the reference's conditioned
// sinenet: scalars -> sinusoidal embedding (dim hidden, max period 1e4) -> Linear(hidden ->
// 4 hidden) -> GELU -> Linear(4 hidden -> 4 hidden); every ConvBlock projects the embedding with
// its own Linear and adds it after the first conv/norm/GELU ("add") or applies h (1 + s) + b
// ("adagn", PDEArena's use_scale_shift_norm).
enum class Conditioning { none, add, adagn };
Conditioning parse_conditioning(const std::string& name);  // "none" | "add" | "adagn"
const char* to_string(Conditioning conditioning);

// Resolutions are kept on a fixed stack in forward (no allocation per step).
inline constexpr int kMaxLevels = 16;
// The most channels one level may have: keeps every channel count an int and every layer's
// parameter count (9 c^2 per 3x3 conv) far inside int64.
inline constexpr int kMaxChannels = 1 << 20;

struct SineNetConfig {
  int fields = 3;   // C: channels of one frame (scalars first, then vector components)
  int history = 4;  // input frames stacked into channels, time-major
  int future = 1;   // predicted frames
  int waves = 8;    // K
  double mult = 1.425;
  int hidden = 64;
  int levels = 4;  // downsamplings per wave (levels + 1 resolutions), at most kMaxLevels
  int blocks = 1;  // ConvBlocks per level
  bool disentangle = true;
  Padding padding = Padding::zeros;
  Conditioning conditioning = Conditioning::none;
  // With conditioning: a second scalar (e.g. buoyancy) through its own embedding MLP (pde_emb.*),
  // added to the dt embedding (the reference's param_conditioning="scalar").
  bool parameter_conditioning = false;
  // The data's name for that parameter (e.g. buo_y), what eval and predict feed the model; set
  // through the `parameter` key, which sets parameter_conditioning with it.
  std::string parameter;

  // The model keys (nn/models/model_config.hpp), in the order of a checkpoint's model_config:
  // fields, history, waves, mult, hidden, levels, blocks, padding, tangled, conditioning,
  // parameter (`future` stays 1 for the registry's models and is no key). Setting `waves` also
  // sets `mult` to that K's preset (0 when K has none), so keys are applied waves first.
  void bind(ConfigKeys& keys);
  // Ranges and the cross-key rules: a usage error naming the key.
  void validate() const;
};

// The spec's parameter budgets: K = 8, 6, 4, 2, 1 with m = 1.425, 1.5, 1.611, 1.8075, 2.
SineNetConfig sinenet_preset(int waves);
// The preset multiplier for K waves, or 0 when K has none.
double sinenet_preset_mult(int waves);
// int(hidden * mult^k), k = 0..levels, computed exactly as the reference does (double pow, then
// truncation).
std::vector<int> sinenet_channels(const SineNetConfig& config);
// Closed-form parameter count (docs/nn.md), independent of the layer-by-layer declaration.
std::int64_t sinenet_parameter_count(const SineNetConfig& config);

struct ModelEntry;
// The registry entry: names "sinenet" (8 waves unless the waves key says otherwise), "sinenetK"
// and "sinenet-K" (K waves; the waves key must agree).
ModelEntry sinenet_model_entry();

// Follows the layer convention (nn/layers/layer.hpp): the network is composed of nn/layers
// modules (Conv2d, GroupNorm, Linear, MLP) that keep the address of the model's one store, so a
// SineNet is neither copyable nor movable (the store is declared before the layers and so
// outlives them).
class SineNet {
 public:
  // Declares the parameters (no memory yet); initialise() allocates and draws them.
  explicit SineNet(const SineNetConfig& config);
  SineNet(const SineNet&) = delete;
  SineNet& operator=(const SineNet&) = delete;
  // PyTorch's default init: conv weights and biases U(+-1/sqrt(fan_in)), GroupNorm 1 and 0.
  void initialise(unsigned long long seed);

  const SineNetConfig& config() const { return config_; }
  ParameterStore& parameters() { return store_; }
  const ParameterStore& parameters() const { return store_; }
  std::vector<int> channels() const { return channels_; }

  // x: [N, history * fields, H, W] (history-major) with H, W divisible by 2^levels;
  // returns [N, future * fields, H, W]. For an unconditioned model only.
  Var forward(Graph& graph, Var x) const;
  // Conditioned model: dt (one value per sample) and, with parameter_conditioning, the PDE
  // parameter (one per sample).
  Var forward(Graph& graph, Var x, std::span<const float> dt,
              std::span<const float> parameter = {}) const;

  // Human-readable layer structure with per-module parameter counts.
  std::string describe() const;

 private:
  // The reference's ConvBlock: [conv3x3 -> GroupNorm(1) -> GELU] x 2, with the conditioning
  // projection cond_emb after the first GELU. Members in the reference's declaration order.
  struct Block {
    Conv2d conv1, conv2;
    GroupNorm norm1, norm2;
    std::optional<Linear> cond;  // only with conditioning
    std::int64_t parameter_count() const;
  };
  // One resolution of a wave's down or up path: its ConvBlocks and the 1x1 shortcut that adds
  // the level's input to the first block's output.
  struct Level {
    std::vector<Block> blocks;
    Conv2d shortcut;
    int cout = 0, block_in = 0, shortcut_in = 0;
    std::int64_t parameter_count() const;
  };
  struct Wave {
    std::vector<Level> down, up;
  };

  std::optional<MLP> declare_embedding(const std::string& prefix, bool wanted);
  std::vector<Wave> declare_waves();
  Level declare_level(const std::string& name, int cout, int block_in, int shortcut_in);

  Var embed(Graph& g, const MLP& mlp, std::span<const float> values) const;
  Var conv_block(Graph& g, const Block& b, Var x, Var emb) const;
  Var run_blocks(Graph& g, const Level& l, Var h, Var residual_in, Var emb) const;
  Var run(Graph& g, Var x, Var emb) const;

  // Declaration order is the store's order (the reference module tree): the embedding MLPs,
  // image_proj, every wave's down path, every wave's up path, final.
  SineNetConfig config_;
  std::vector<int> channels_;
  ParameterStore store_;
  std::optional<MLP> time_embed_, pde_emb_;
  Conv2d stem_;
  std::vector<Wave> waves_;
  Conv2d head_;
};

}  // namespace fieldlab::nn
