#include "nn/models/sinenet.hpp"
#include "nn/models/conv_frame_model.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "nn/layers/channel_ops.hpp"
#include "nn/layers/sinusoidal_embedding.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::nn {
namespace {

std::int64_t conv_count(std::int64_t cin, std::int64_t cout, std::int64_t k) {
  return cin * cout * k * k + cout;
}
std::int64_t linear_count(std::int64_t in, std::int64_t out) { return in * out + out; }
// Outputs of a ConvBlock's conditioning projection per output channel: 1 (add) or 2 (adagn).
int cond_factor(const SineNetConfig& c) { return c.conditioning == Conditioning::adagn ? 2 : 1; }
// [conv3x3 -> GroupNorm(affine) -> GELU] x 2
std::int64_t block_count(std::int64_t cin, std::int64_t cout) {
  return conv_count(cin, cout, 3) + conv_count(cout, cout, 3) + 4 * cout;
}

void check_network(const SineNetConfig& c) {
  require(c.fields > 0 && c.history > 0 && c.future > 0,
          "sinenet: fields, history and future must be positive (got {}, {}, {})", c.fields,
          c.history, c.future);
  require(c.waves > 0, "sinenet: needs at least one wave, got {}", c.waves);
  require(c.mult >= 1.0 && c.mult <= 8.0, "sinenet: channel multiplier {} outside [1, 8]", c.mult);
  require(c.hidden > 0 && c.levels > 0 && c.blocks > 0,
          "sinenet: hidden, levels and blocks must be positive");
  require(c.levels <= kMaxLevels, "sinenet: at most {} levels (a grid divisible by 2^{}), got {}",
          kMaxLevels, kMaxLevels, c.levels);
}

}  // namespace

Conditioning parse_conditioning(const std::string& name) {
  if (name == "none") return Conditioning::none;
  if (name == "add") return Conditioning::add;
  if (name == "adagn" || name == "scale_shift") return Conditioning::adagn;
  fail(ErrorKind::usage, "unknown conditioning '{}' (expected none, add or adagn)", name);
}

const char* to_string(Conditioning conditioning) {
  switch (conditioning) {
    case Conditioning::none:
      return "none";
    case Conditioning::add:
      return "add";
    default:
      return "adagn";
  }
}

double sinenet_preset_mult(int waves) {
  switch (waves) {
    case 8:
      return 1.425;
    case 6:
      return 1.5;
    case 4:
      return 1.611;
    case 2:
      return 1.8075;
    case 1:
      return 2.0;
    default:
      return 0;
  }
}

SineNetConfig sinenet_preset(int waves) {
  SineNetConfig c;
  c.waves = waves;
  c.mult = sinenet_preset_mult(waves);
  if (c.mult == 0)
    fail(ErrorKind::usage,
         "no preset channel multiplier for {} waves (presets: 1, 2, 4, 6, 8; give --mult)", waves);
  return c;
}

void SineNetConfig::bind(ConfigKeys& k) {
  k.integer("fields", fields, 1, 1 << 12, "channels of one frame (scalars + vector components)");
  k.integer("history", history, 1, 1 << 10, "input frames");
  ConfigKey w;
  w.name = w.option = "waves";
  w.help = "number of waves K, 1..64 (sets the multiplier to K's preset unless mult is given)";
  w.get = [this] { return fmt::format("{}", waves); };
  w.set = [this](const std::string& v) {
    int k = 0;
    try {
      std::size_t used = 0;
      k = std::stoi(v, &used);
      require(used == v.size(), "");
    } catch (const std::exception&) {
      k = 0;
    }
    require(k >= 1 && k <= 64, "sinenet: waves must be an integer in [1, 64], got '{}'", v);
    waves = k;
    mult = sinenet_preset_mult(k);  // 0: no preset, validate() asks for mult
  };
  k.custom(std::move(w));
  k.zero_means_default([] {});  // the name's waves (8 for "sinenet")
  k.real("mult", mult, 1.0, 8.0, "channel multiplier (default: the preset for K = 1, 2, 4, 6, 8)");
  k.zero_means_default([this] { mult = sinenet_preset_mult(waves); });
  k.integer("hidden", hidden, 1, 1 << 16, "channels of the first level");
  k.integer("levels", levels, 1, kMaxLevels, "downsamplings per wave");
  k.integer("blocks", blocks, 1, 64, "ConvBlocks per level");
  k.zero_means_default([this] { blocks = 1; });
  k.choice("padding", padding, {{"zeros", Padding::zeros}, {"circular", Padding::circular}},
           "convolution padding");
  ConfigKey t;
  t.name = t.option = "tangled";
  t.help = "drop the disentangled wave-input skips";
  t.flag = true;
  t.get = [this] { return std::string(disentangle ? "false" : "true"); };
  t.set = [this](const std::string& v) {
    require(v == "true" || v == "false", "sinenet: tangled must be true or false, got '{}'", v);
    disentangle = v == "false";
  };
  k.custom(std::move(t));
  k.choice("conditioning", conditioning,
           {{"none", Conditioning::none},
            {"add", Conditioning::add},
            {"adagn", Conditioning::adagn},
            {"scale_shift", Conditioning::adagn}},
           "condition SineNet on each window's dt");
  ConfigKey p;
  p.name = "parameter";
  p.option = "condition-parameter";
  p.help =
      "also condition on this scalar PDE parameter of the data (e.g. buo_y, buoyancy_y, "
      "dam_radius)";
  p.get = [this] { return parameter; };
  p.set = [this](const std::string& v) {
    parameter = v;
    parameter_conditioning = !v.empty();
  };
  k.custom(std::move(p));
}

void SineNetConfig::validate() const {
  require(
      mult != 0,
      "sinenet: no preset channel multiplier for {} waves (presets: 1, 2, 4, 6, 8; give --mult)",
      waves);
  check_network(*this);
  require(parameter.empty() || conditioning != Conditioning::none,
          "--condition-parameter {} needs --conditioning add or adagn", parameter);
  require(parameter_conditioning == !parameter.empty(),
          "sinenet: parameter conditioning needs the parameter's name (the parameter key)");
}

std::vector<int> sinenet_channels(const SineNetConfig& config) {
  std::vector<int> c;
  for (int k = 0; k <= config.levels; ++k) {
    // Checked in double before the cast: hidden 65536 × 8^16 does not fit in an int, and a
    // wrapped channel count used to print negative parameter counts.
    const double channels = config.hidden * std::pow(config.mult, k);
    require(channels <= kMaxChannels,
            "level {} would have {:.3g} channels (hidden {} × mult {}^{}), more than {}: reduce "
            "hidden, mult or levels",
            k, channels, config.hidden, config.mult, k, kMaxChannels);
    c.push_back(static_cast<int>(channels));
  }
  return c;
}

std::int64_t sinenet_parameter_count(const SineNetConfig& config) {
  check_network(config);
  const auto c = sinenet_channels(config);
  const std::int64_t h = config.hidden;
  std::int64_t wave = 0;
  for (int k = 1; k <= config.levels; ++k) {
    const std::int64_t lo = c[k - 1], hi = c[k];
    const std::int64_t x0 = (k > 1 && config.disentangle) ? h : 0;
    // Down: pool -> [cat x0] -> blocks, shortcut 1x1 lo -> hi.
    wave += block_count(lo + x0, hi) + (config.blocks - 1) * block_count(hi, hi) +
            conv_count(lo, hi, 1);
    // Up: upsample -> cat skip -> blocks, shortcut 1x1 hi -> lo.
    wave += block_count(hi + lo, lo) + (config.blocks - 1) * block_count(lo, lo) +
            conv_count(hi, lo, 1);
  }
  const std::int64_t in = static_cast<std::int64_t>(config.history) * config.fields;
  const std::int64_t out = static_cast<std::int64_t>(config.future) * config.fields;
  std::int64_t conditioning = 0;
  if (config.conditioning != Conditioning::none) {
    // Embedding MLP(s) hidden -> 4 hidden -> 4 hidden, then per ConvBlock Linear(4 hidden ->
    // f C) for its output channels C: down level k ends at c_k, up level k at c_{k-1}.
    const std::int64_t e = 4 * h, f = cond_factor(config);
    conditioning =
        (config.parameter_conditioning ? 2 : 1) * (linear_count(h, e) + linear_count(e, e));
    std::int64_t per_wave = 0;
    for (int k = 1; k <= config.levels; ++k)
      per_wave += config.blocks * (linear_count(e, f * c[k]) + linear_count(e, f * c[k - 1]));
    conditioning += config.waves * per_wave;
  }
  return conv_count(in, h, 3) + config.waves * wave + conv_count(h, out, 3) + conditioning;
}

std::optional<MLP> SineNet::declare_embedding(const std::string& prefix, bool wanted) {
  if (!wanted) return std::nullopt;
  const int h = config_.hidden;
  return MLP(store_, prefix, {h, 4 * h, 4 * h}, Activation::gelu);
}

SineNet::Level SineNet::declare_level(const std::string& name, int cout, int block_in,
                                      int shortcut_in) {
  const Padding pad = config_.padding;
  std::vector<Block> blocks;
  for (int b = 0; b < config_.blocks; ++b) {
    const std::string p = fmt::format("{}.conv.{}.", name, b);
    // Braced initialisation runs left to right: conv1, conv2, norm1, norm2, cond_emb.
    Block blk{Conv2d(store_, p + "conv1.", b == 0 ? block_in : cout, cout, 3, pad),
              Conv2d(store_, p + "conv2.", cout, cout, 3, pad),
              GroupNorm(store_, p + "norm1.", 1, cout), GroupNorm(store_, p + "norm2.", 1, cout),
              std::nullopt};
    if (config_.conditioning != Conditioning::none)
      blk.cond.emplace(store_, p + "cond_emb.", 4 * config_.hidden, cond_factor(config_) * cout);
    blocks.push_back(std::move(blk));
  }
  Conv2d shortcut(store_, name + ".shortcut.", shortcut_in, cout, 1, pad);
  return Level{std::move(blocks), shortcut, cout, block_in, shortcut_in};
}

std::vector<SineNet::Wave> SineNet::declare_waves() {
  const auto& c = channels_;
  const int h = config_.hidden;
  std::vector<Wave> waves(config_.waves);
  // Declaration order follows the reference module tree: all down lists, then all up lists.
  for (int w = 0; w < config_.waves; ++w)
    for (int k = 1; k <= config_.levels; ++k) {
      const int x0 = (k > 1 && config_.disentangle) ? h : 0;
      waves[w].down.push_back(
          declare_level(fmt::format("down.{}.{}", w, k - 1), c[k], c[k - 1] + x0, c[k - 1]));
    }
  for (int w = 0; w < config_.waves; ++w)
    for (int k = config_.levels; k >= 1; --k)
      waves[w].up.push_back(declare_level(fmt::format("up.{}.{}", w, config_.levels - k), c[k - 1],
                                          c[k] + c[k - 1], c[k]));
  return waves;
}

namespace {
std::vector<int> checked_channels(const SineNetConfig& config) {
  check_network(config);
  return sinenet_channels(config);
}
}  // namespace

// The member initialisers run in declaration order, which is the store's parameter order; the
// reference declares the embedding MLPs first (time_embed.0/.2, then pde_emb.0/.2).
SineNet::SineNet(const SineNetConfig& config)
    : config_(config),
      channels_(checked_channels(config_)),
      time_embed_(declare_embedding("time_embed.", config_.conditioning != Conditioning::none)),
      pde_emb_(declare_embedding("pde_emb.", config_.conditioning != Conditioning::none &&
                                                 config_.parameter_conditioning)),
      stem_(store_, "image_proj.", config_.history * config_.fields, config_.hidden, 3,
            config_.padding),
      waves_(declare_waves()),
      head_(store_, "final.", config_.hidden, config_.future * config_.fields, 3, config_.padding) {
}

void SineNet::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  std::mt19937_64 rng(seed);
  // The draw order (embeddings, stem, then wave by wave its down and up levels, head) is the one
  // every checkpoint so far was initialised with; it differs from the declaration order.
  auto init_level = [&](Level& l) {
    for (Block& b : l.blocks) {
      b.conv1.initialise(rng);
      b.conv2.initialise(rng);
      b.norm1.initialise(rng);  // constants: no draws
      b.norm2.initialise(rng);
      if (b.cond) b.cond->initialise(rng);
    }
    l.shortcut.initialise(rng);
  };
  if (time_embed_) time_embed_->initialise(rng);
  if (pde_emb_) pde_emb_->initialise(rng);
  stem_.initialise(rng);
  for (Wave& w : waves_) {
    for (Level& l : w.down) init_level(l);
    for (Level& l : w.up) init_level(l);
  }
  head_.initialise(rng);
}

// Sinusoidal embedding of one scalar per sample, then Linear -> GELU -> Linear: [N, 4 hidden].
Var SineNet::embed(Graph& g, const MLP& mlp, std::span<const float> values) const {
  Tensor t = g.new_tensor({static_cast<std::int64_t>(values.size()), config_.hidden});
  sinusoidal_embedding(values, config_.hidden, 1e4, t);
  return mlp.forward(g, g.constant(t));
}

Var SineNet::conv_block(Graph& g, const Block& b, Var x, Var emb) const {
  Var h = gelu(b.norm1.forward(g, b.conv1.forward(g, x)));
  if (emb.valid()) {
    Var e = b.cond->forward(g, emb);
    h = config_.conditioning == Conditioning::adagn ? scale_shift_channelwise(h, e)
                                                    : add_channelwise(h, e);
  }
  // Reassigning h drops the handle to the first half's output before the second norm and GELU
  // run, so the unplanned first step can free it there (nn/graph.hpp: values live while a Var
  // refers to them); one nested expression would keep it alive to the end of the block.
  h = b.conv2.forward(g, h);
  return gelu(b.norm2.forward(g, h));
}

// Blocks of one level with the block residual: the first adds shortcut(residual_in), later ones
// add their own input.
Var SineNet::run_blocks(Graph& g, const Level& l, Var h, Var residual_in, Var emb) const {
  Var r = residual_in;
  for (std::size_t b = 0; b < l.blocks.size(); ++b) {
    h = add(conv_block(g, l.blocks[b], h, emb), b == 0 ? l.shortcut.forward(g, r) : r);
    r = h;
  }
  return h;
}

Var SineNet::forward(Graph& g, Var x) const {
  require(config_.conditioning == Conditioning::none,
          "sinenet: this model is conditioned ({}); forward needs dt per sample",
          to_string(config_.conditioning));
  return run(g, x, Var{});
}

Var SineNet::forward(Graph& g, Var x, std::span<const float> dt,
                     std::span<const float> parameter) const {
  require(config_.conditioning != Conditioning::none,
          "sinenet: dt given to an unconditioned model (set conditioning to add or adagn)");
  const std::int64_t n = x.shape().empty() ? 0 : x.shape()[0];
  require(static_cast<std::int64_t>(dt.size()) == n, "sinenet: {} dt values for a batch of {}",
          dt.size(), n);
  if (config_.parameter_conditioning)
    require(static_cast<std::int64_t>(parameter.size()) == n,
            "sinenet: {} PDE parameter values for a batch of {}", parameter.size(), n);
  else
    require(parameter.empty(),
            "sinenet: PDE parameter values given but parameter conditioning is off");
  require(store_.allocated(), "sinenet: forward() before initialise()");
  Var emb = embed(g, *time_embed_, dt);
  if (config_.parameter_conditioning) emb = add(emb, embed(g, *pde_emb_, parameter));
  return run(g, x, emb);
}

Var SineNet::run(Graph& g, Var x, Var emb) const {
  require(store_.allocated(), "sinenet: forward() before initialise()");
  const Shape& s = x.shape();
  const int in = config_.history * config_.fields;
  require(s.size() == 4 && s[1] == in,
          "sinenet: input must be [N, history*fields = {}, H, W], got {}", in, to_string(s));
  const std::int64_t div = std::int64_t{1} << config_.levels;
  require(s[2] % div == 0 && s[3] % div == 0,
          "sinenet: H and W must be divisible by {} ({} downsamplings), got {}x{}", div,
          config_.levels, s[2], s[3]);
  Var h = stem_.forward(g, x);
  for (const Wave& wave : waves_) {
    const Var x0 = h;
    // A fixed stack (levels <= kMaxLevels): forward allocates nothing per step.
    std::array<Var, kMaxLevels + 1> skips{};
    int top = 0;  // entries in skips
    skips[top++] = h;
    Var dx = h;
    for (int k = 0; k < config_.levels; ++k) {
      const Level& l = wave.down[k];
      if (config_.disentangle) dx = avg_pool2x2(dx);
      Var pooled = avg_pool2x2(skips[top - 1]);
      Var in_k = (k > 0 && config_.disentangle) ? concat_channels({pooled, dx}) : pooled;
      skips[top++] = run_blocks(g, l, in_k, pooled, emb);
    }
    Var u = skips[--top];
    for (int k = 0; k < config_.levels; ++k) {
      const Level& l = wave.up[k];
      Var up = upsample_bicubic2x(u, config_.padding);
      Var skip = skips[--top];
      u = run_blocks(g, l, concat_channels({skip, up}), up, emb);
    }
    h = add(x0, u);
  }
  return head_.forward(g, h);
}

std::int64_t SineNet::Block::parameter_count() const {
  return conv1.parameter_count() + conv2.parameter_count() + norm1.parameter_count() +
         norm2.parameter_count() + (cond ? cond->parameter_count() : 0);
}

std::int64_t SineNet::Level::parameter_count() const {
  std::int64_t n = shortcut.parameter_count();
  for (const Block& b : blocks) n += b.parameter_count();
  return n;
}

std::string SineNet::describe() const {
  const auto& c = config_;
  // One row per module: description left, parameter count right-aligned in a fixed column.
  auto row = [](int indent, const std::string& what, std::int64_t n) {
    return fmt::format("{:<{}}{:<{}}{:>12}\n", "", indent, what, 62 - indent, n);
  };
  std::string out =
      fmt::format("SineNet-{} ({}, padding {}): fields {}, history {}, future {}, multiplier {}\n",
                  c.waves, c.disentangle ? "disentangled" : "tangled", to_string(c.padding),
                  c.fields, c.history, c.future, c.mult);
  out += fmt::format("channels per level: {}\n", fmt::join(channels_, " / "));
  if (c.conditioning != Conditioning::none) {
    out += row(2,
               fmt::format("time_embed  sin/cos({}) -> linear {} -> GELU -> linear {}", c.hidden,
                           4 * c.hidden, 4 * c.hidden),
               time_embed_->parameter_count());
    if (c.parameter_conditioning)
      out += row(2, fmt::format("pde_emb     same, for the PDE parameter (added)"),
                 pde_emb_->parameter_count());
  }
  out +=
      row(2, fmt::format("image_proj  conv3x3 {} -> {}", stem_.in_channels(), stem_.out_channels()),
          stem_.parameter_count());
  const std::string blocks =
      c.blocks == 1 ? std::string("ConvBlock") : fmt::format("{} ConvBlocks", c.blocks);
  std::int64_t wave_total = 0;
  std::string wave_lines;
  const Wave& w = waves_.front();
  for (int k = 0; k < c.levels; ++k) {
    const Level& l = w.down[k];
    wave_lines += row(4,
                      fmt::format("down {}  avgpool2, {} {} -> {}, 1x1 {} -> {}", k + 1, blocks,
                                  l.block_in, l.cout, l.shortcut_in, l.cout),
                      l.parameter_count());
    wave_total += l.parameter_count();
  }
  for (int k = 0; k < c.levels; ++k) {
    const Level& l = w.up[k];
    wave_lines += row(4,
                      fmt::format("up {}    bicubic x2, {} {} -> {}, 1x1 {} -> {}", k + 1, blocks,
                                  l.block_in, l.cout, l.shortcut_in, l.cout),
                      l.parameter_count());
    wave_total += l.parameter_count();
  }
  out += row(2, fmt::format("waves x{} (x <- x + wave(x)), each {}:", c.waves, wave_total),
             wave_total * c.waves);
  out += wave_lines;
  out +=
      row(2, fmt::format("final       conv3x3 {} -> {}", head_.in_channels(), head_.out_channels()),
          head_.parameter_count());
  out += "ConvBlock = [conv3x3 -> GroupNorm(1) -> GELU] x 2; every conv has a bias, norms affine\n";
  if (c.conditioning == Conditioning::add)
    out += "conditioning add: h += Linear(emb) per channel after the first conv/norm/GELU\n";
  else if (c.conditioning == Conditioning::adagn)
    out += "conditioning adagn: h = h (1 + s) + b, [s, b] = Linear(emb), after the first GELU\n";
  out += fmt::format("parameters: {}\n", store_.size());
  return out;
}

namespace {

// SineNet as a FrameModel: the network plus the typed config it was built from.
class SineNetModel final : public ConvFrameModel<SineNet, SineNetConfig> {
 public:
  SineNetModel(std::string name, const SineNetConfig& config)
      : ConvFrameModel(std::move(name), "sinenet", config) {}
  std::string conditioning() const override { return to_string(settings().conditioning); }
  std::string condition_parameter() const override { return settings().parameter; }

 protected:
  Var forward_frames(Graph& graph, Var x, ModelConditions c) const override {
    if (!conditioned()) return net().forward(graph, x);
    return net().forward(graph, x, c.dt, c.parameter);
  }
};

// "sinenet" -> 0 (no waves in the name), "sinenet4" / "sinenet-4" -> 4; -1 when malformed.
int waves_in_name(const std::string& name) {
  std::string rest = name.substr(7);
  if (!rest.empty() && rest.front() == '-') rest.erase(0, 1);
  if (rest.empty()) return 0;
  if (rest.size() > 2) return -1;
  for (char c : rest)
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return -1;
  return std::stoi(rest);
}

}  // namespace

ModelEntry sinenet_model_entry() {
  ModelEntry e;
  e.family = "sinenet";
  e.help = "sinenet, sinenetK (K = 1, 2, 4, 6, 8)";
  // Only well-formed names match, so any other name reaches the registry's "unknown model" error,
  // which lists every registered family (also those added above nn, such as hqkan).
  e.matches = [](const std::string& n) {
    return n.rfind("sinenet", 0) == 0 && waves_in_name(n) >= 0;
  };
  e.default_config = [](const std::string& n) -> std::unique_ptr<ModelConfig> {
    const int k = waves_in_name(n);
    SineNetConfig c;
    c.waves = k > 0 ? k : 8;
    c.mult = sinenet_preset_mult(c.waves);  // 0 without a preset: the mult key must be given
    return std::make_unique<ConfigOf<SineNetConfig>>("sinenet", c);
  };
  e.make = [](const std::string& n, const ModelConfig& config) -> std::unique_ptr<Model> {
    const SineNetConfig& c = config_as<SineNetConfig>(config);
    const int k = waves_in_name(n);
    require(k <= 0 || c.waves == k, "{} has {} waves but --waves {} was given", n, k, c.waves);
    return std::make_unique<SineNetModel>(n, c);
  };
  return e;
}

}  // namespace fieldlab::nn
