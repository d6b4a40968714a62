#pragma once
// SineNet (Zhang et al., ICLR 2024), the disentangled ("dual") variant of the reference code:
// a 3x3 stem to `hidden` channels, K U-Net "waves" in sequence, each with a wave residual, and a
// 3x3 head to the predicted fields. See docs/nn.md for the layer-by-layer structure and the
// parameter count derivation. Parameter names follow the reference's PyTorch state_dict
// (image_proj.*, down.W.L.conv.B.conv1.*, ..., final.*) so weights can be exchanged by name.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nn/graph.hpp"
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

class SineNet {
 public:
  // Declares the parameters (no memory yet); initialise() allocates and draws them.
  explicit SineNet(const SineNetConfig& config);
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
  struct Conv {
    int weight = -1, bias = -1, cin = 0, cout = 0, k = 0;
  };
  struct Norm {
    int weight = -1, bias = -1;
  };
  struct Linear {
    int weight = -1, bias = -1, in = 0, out = 0;
  };
  struct Block {
    Conv conv1, conv2;
    Norm norm1, norm2;
    Linear cond;  // cond_emb: conditioning projection (unused without conditioning)
  };
  struct Mlp {
    Linear first, second;  // <name>.0 and <name>.2 (a GELU between)
  };
  struct Level {
    std::vector<Block> blocks;
    Conv shortcut;
    int cin = 0, cout = 0, block_in = 0;
  };
  struct Wave {
    std::vector<Level> down, up;
  };

  Conv declare_conv(const std::string& name, int cin, int cout, int k);
  Linear declare_linear(const std::string& name, int in, int out);
  Norm declare_norm(const std::string& name, int channels);
  Level declare_level(const std::string& name, int cin, int cout, int block_in, int shortcut_in);
  std::int64_t count(const Conv& c) const;
  std::int64_t count(const Level& l) const;

  Var conv(Graph& g, const Conv& c, Var x) const;
  Var linear_layer(Graph& g, const Linear& l, Var x) const;
  Var embed(Graph& g, const Mlp& mlp, std::span<const float> values) const;
  Var conv_block(Graph& g, const Block& b, Var x, Var emb) const;
  Var run_blocks(Graph& g, const Level& l, Var h, Var residual_in, Var emb) const;
  Var run(Graph& g, Var x, Var emb) const;

  SineNetConfig config_;
  std::vector<int> channels_;
  ParameterStore store_;
  Conv stem_, head_;
  Mlp time_embed_, pde_emb_;
  std::vector<Wave> waves_;
};

}  // namespace fieldlab::nn
