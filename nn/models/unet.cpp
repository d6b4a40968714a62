#include "nn/models/unet.hpp"
#include "nn/models/conv_frame_model.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::nn {

SineNetConfig to_sinenet_config(const UNetConfig& u) {
  require(u.blocks > 0, "unet: blocks per level must be positive, got {}", u.blocks);
  SineNetConfig c;
  c.fields = u.fields;
  c.history = u.history;
  c.future = u.future;
  c.waves = 1;
  c.mult = u.mult;
  c.hidden = u.hidden;
  c.levels = u.levels;
  c.blocks = u.blocks;
  c.disentangle = u.disentangle;
  c.padding = u.padding;
  return c;
}

std::int64_t unet_parameter_count(const UNetConfig& u) {
  const SineNetConfig sc = to_sinenet_config(u);  // validates the shared fields
  (void)sc;
  // With c_k = int(h m^k): a ConvBlock a -> b has 9ab + b + 9b^2 + b + 4b parameters (two 3x3
  // convs with bias, two affine GroupNorms); a level's first block takes a, the other B - 1 take
  // b; each level adds a 1x1 shortcut (a' b + b).
  auto block = [](std::int64_t a, std::int64_t b) { return 9 * a * b + 9 * b * b + 6 * b; };
  const auto c = sinenet_channels(sc);
  const std::int64_t h = u.hidden, B = u.blocks;
  std::int64_t n = 9 * std::int64_t{u.history} * u.fields * h + h;                     // image_proj
  n += 9 * h * std::int64_t{u.future} * u.fields + std::int64_t{u.future} * u.fields;  // final
  for (int k = 1; k <= u.levels; ++k) {
    const std::int64_t lo = c[k - 1], hi = c[k];
    const std::int64_t extra = (k > 1 && u.disentangle) ? h : 0;          // pooled wave input
    n += block(lo + extra, hi) + (B - 1) * block(hi, hi) + lo * hi + hi;  // down
    n += block(hi + lo, lo) + (B - 1) * block(lo, lo) + hi * lo + lo;     // up
  }
  return n;
}

UNet::UNet(const UNetConfig& config) : config_(config), net_(to_sinenet_config(config)) {}

std::string UNet::describe() const {
  const auto& c = config_;
  std::string body = net_.describe();
  // Replace SineNet's title line with the U-Net's; the layer rows are the same structure.
  body.erase(0, body.find('\n') + 1);
  return fmt::format(
             "U-Net (PDEArena-style, one wave, {} ConvBlocks per level, {}, padding {}): fields "
             "{}, history {}, future {}, multiplier {}\n",
             c.blocks, c.disentangle ? "disentangled" : "tangled", to_string(c.padding), c.fields,
             c.history, c.future, c.mult) +
         body;
}

void UNetConfig::bind(ConfigKeys& k) {
  k.integer("fields", fields, 1, 1 << 12, "channels of one frame (scalars + vector components)");
  k.integer("history", history, 1, 1 << 10, "input frames");
  k.real("mult", mult, 1.0, 8.0, "channel multiplier");
  k.zero_means_default([this] { mult = UNetConfig{}.mult; });
  k.integer("hidden", hidden, 1, 1 << 16, "channels of the first level");
  k.integer("levels", levels, 1, kMaxLevels, "downsamplings");
  k.integer("blocks", blocks, 1, 64, "ConvBlocks per level");
  k.zero_means_default([this] { blocks = UNetConfig{}.blocks; });
  k.choice("padding", padding, {{"zeros", Padding::zeros}, {"circular", Padding::circular}},
           "convolution padding");
  ConfigKey t;
  t.name = t.option = "tangled";
  t.help = "drop the disentangled input path";
  t.flag = true;
  t.get = [this] { return std::string(disentangle ? "false" : "true"); };
  t.set = [this](const std::string& v) {
    require(v == "true" || v == "false", "unet: tangled must be true or false, got '{}'", v);
    disentangle = v == "false";
  };
  k.custom(std::move(t));
  // Legacy keys: the only value each can have.
  auto legacy = [&k](const std::string& name, const std::string& option, const std::string& only,
                     const std::string& message) {
    ConfigKey l;
    l.name = name;
    l.option = option;
    l.legacy = true;
    l.get = [only] { return only; };
    l.set = [name, option, only, message](const std::string& v) {
      require(v == only || (only.empty() && v == "none") || (only == "1" && v == "0"),
              "unet {} (got --{} {}){}", message, option, v,
              name == "waves" ? "" : "; use a sinenet model");
    };
    k.custom(std::move(l));
  };
  legacy("waves", "waves", "1", "has one wave");
  legacy("conditioning", "conditioning", "none", "takes no conditioning");
  legacy("parameter", "condition-parameter", "", "takes no conditioning");
}

void UNetConfig::validate() const {
  require(future == 1, "unet: the registry's U-Net predicts one frame (future 1), got {}", future);
}

namespace {

class UNetModel final : public ConvFrameModel<UNet, UNetConfig> {
 public:
  UNetModel(std::string name, const UNetConfig& config)
      : ConvFrameModel(std::move(name), "unet", config) {}
};

}  // namespace

ModelEntry unet_model_entry() {
  ModelEntry e;
  e.family = "unet";
  e.help = "unet";
  e.matches = [](const std::string& n) { return n == "unet"; };
  e.default_config = [](const std::string&) -> std::unique_ptr<ModelConfig> {
    return std::make_unique<ConfigOf<UNetConfig>>("unet", UNetConfig{});
  };
  e.make = [](const std::string& n, const ModelConfig& config) -> std::unique_ptr<Model> {
    return std::make_unique<UNetModel>(n, config_as<UNetConfig>(config));
  };
  return e;
}

}  // namespace fieldlab::nn
