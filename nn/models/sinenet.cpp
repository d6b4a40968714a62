#include "nn/models/sinenet.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

std::int64_t conv_count(std::int64_t cin, std::int64_t cout, std::int64_t k) {
  return cin * cout * k * k + cout;
}
// [conv3x3 -> GroupNorm(affine) -> GELU] x 2
std::int64_t block_count(std::int64_t cin, std::int64_t cout) {
  return conv_count(cin, cout, 3) + conv_count(cout, cout, 3) + 4 * cout;
}

void validate(const SineNetConfig& c) {
  require(c.fields > 0 && c.history > 0 && c.future > 0,
          "sinenet: fields, history and future must be positive (got {}, {}, {})", c.fields,
          c.history, c.future);
  require(c.waves > 0, "sinenet: needs at least one wave, got {}", c.waves);
  require(c.mult >= 1.0 && c.mult <= 8.0, "sinenet: channel multiplier {} outside [1, 8]", c.mult);
  require(c.hidden > 0 && c.levels > 0 && c.blocks > 0,
          "sinenet: hidden, levels and blocks must be positive");
}

}  // namespace

SineNetConfig sinenet_preset(int waves) {
  SineNetConfig c;
  c.waves = waves;
  switch (waves) {
    case 8:
      c.mult = 1.425;
      break;
    case 6:
      c.mult = 1.5;
      break;
    case 4:
      c.mult = 1.611;
      break;
    case 2:
      c.mult = 1.8075;
      break;
    case 1:
      c.mult = 2.0;
      break;
    default:
      fail(ErrorKind::usage,
           "no preset channel multiplier for {} waves (presets: 1, 2, 4, 6, 8; give --mult)",
           waves);
  }
  return c;
}

std::vector<int> sinenet_channels(const SineNetConfig& config) {
  std::vector<int> c;
  for (int k = 0; k <= config.levels; ++k)
    c.push_back(static_cast<int>(config.hidden * std::pow(config.mult, k)));
  return c;
}

std::int64_t sinenet_parameter_count(const SineNetConfig& config) {
  validate(config);
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
  return conv_count(in, h, 3) + config.waves * wave + conv_count(h, out, 3);
}

SineNet::Conv SineNet::declare_conv(const std::string& name, int cin, int cout, int k) {
  Conv c{-1, -1, cin, cout, k};
  c.weight = store_.add(name + ".weight", {cout, cin, k, k});
  c.bias = store_.add(name + ".bias", {cout});
  return c;
}

SineNet::Norm SineNet::declare_norm(const std::string& name, int channels) {
  return Norm{store_.add(name + ".weight", {channels}), store_.add(name + ".bias", {channels})};
}

SineNet::Level SineNet::declare_level(const std::string& name, int cin, int cout, int block_in,
                                      int shortcut_in) {
  Level l;
  l.cin = cin;
  l.cout = cout;
  l.block_in = block_in;
  for (int b = 0; b < config_.blocks; ++b) {
    const std::string p = fmt::format("{}.conv.{}", name, b);
    Block blk;
    blk.conv1 = declare_conv(p + ".conv1", b == 0 ? block_in : cout, cout, 3);
    blk.conv2 = declare_conv(p + ".conv2", cout, cout, 3);
    blk.norm1 = declare_norm(p + ".norm1", cout);
    blk.norm2 = declare_norm(p + ".norm2", cout);
    l.blocks.push_back(blk);
  }
  l.shortcut = declare_conv(name + ".shortcut", shortcut_in, cout, 1);
  return l;
}

SineNet::SineNet(const SineNetConfig& config) : config_(config) {
  validate(config_);
  channels_ = sinenet_channels(config_);
  const auto& c = channels_;
  const int h = config_.hidden;
  stem_ = declare_conv("image_proj", config_.history * config_.fields, h, 3);
  waves_.resize(config_.waves);
  // Declaration order follows the reference module tree: all down lists, then all up lists.
  for (int w = 0; w < config_.waves; ++w)
    for (int k = 1; k <= config_.levels; ++k) {
      const int x0 = (k > 1 && config_.disentangle) ? h : 0;
      waves_[w].down.push_back(declare_level(fmt::format("down.{}.{}", w, k - 1), c[k - 1], c[k],
                                             c[k - 1] + x0, c[k - 1]));
    }
  for (int w = 0; w < config_.waves; ++w)
    for (int k = config_.levels; k >= 1; --k)
      waves_[w].up.push_back(declare_level(fmt::format("up.{}.{}", w, config_.levels - k), c[k],
                                           c[k - 1], c[k] + c[k - 1], c[k]));
  head_ = declare_conv("final", h, config_.future * config_.fields, 3);
}

void SineNet::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  std::mt19937_64 rng(seed);
  auto init_conv = [&](const Conv& c) {
    const std::int64_t fan_in = static_cast<std::int64_t>(c.cin) * c.k * c.k;
    init_uniform_fan_in(store_, c.weight, fan_in, rng);
    init_uniform_fan_in(store_, c.bias, fan_in, rng);
  };
  auto init_level = [&](const Level& l) {
    for (const Block& b : l.blocks) {
      init_conv(b.conv1);
      init_conv(b.conv2);
      for (const Norm& n : {b.norm1, b.norm2}) {
        init_constant(store_, n.weight, 1.0f);
        init_constant(store_, n.bias, 0.0f);
      }
    }
    init_conv(l.shortcut);
  };
  init_conv(stem_);
  for (const Wave& w : waves_) {
    for (const Level& l : w.down) init_level(l);
    for (const Level& l : w.up) init_level(l);
  }
  init_conv(head_);
}

Var SineNet::conv(Graph& g, const Conv& c, Var x) const {
  auto& store = const_cast<ParameterStore&>(store_);
  return conv2d(x, g.parameter(store, c.weight), g.parameter(store, c.bias), config_.padding);
}

Var SineNet::conv_block(Graph& g, const Block& b, Var x) const {
  auto& store = const_cast<ParameterStore&>(store_);
  Var h = conv(g, b.conv1, x);
  h = gelu(group_norm(h, 1, g.parameter(store, b.norm1.weight), g.parameter(store, b.norm1.bias)));
  h = conv(g, b.conv2, h);
  return gelu(
      group_norm(h, 1, g.parameter(store, b.norm2.weight), g.parameter(store, b.norm2.bias)));
}

// Blocks of one level with the block residual: the first adds shortcut(residual_in), later ones
// add their own input.
Var SineNet::run_blocks(Graph& g, const Level& l, Var h, Var residual_in) const {
  Var r = residual_in;
  for (std::size_t b = 0; b < l.blocks.size(); ++b) {
    h = add(conv_block(g, l.blocks[b], h), b == 0 ? conv(g, l.shortcut, r) : r);
    r = h;
  }
  return h;
}

Var SineNet::forward(Graph& g, Var x) const {
  require(store_.allocated(), "sinenet: forward() before initialise()");
  const Shape& s = x.shape();
  const int in = config_.history * config_.fields;
  require(s.size() == 4 && s[1] == in,
          "sinenet: input must be [N, history*fields = {}, H, W], got {}", in, to_string(s));
  const std::int64_t div = std::int64_t{1} << config_.levels;
  require(s[2] % div == 0 && s[3] % div == 0,
          "sinenet: H and W must be divisible by {} ({} downsamplings), got {}x{}", div,
          config_.levels, s[2], s[3]);
  Var h = conv(g, stem_, x);
  for (const Wave& wave : waves_) {
    const Var x0 = h;
    std::vector<Var> skips{h};
    Var dx = h;
    for (int k = 0; k < config_.levels; ++k) {
      const Level& l = wave.down[k];
      if (config_.disentangle) dx = avg_pool2x2(dx);
      Var pooled = avg_pool2x2(skips.back());
      Var in_k = (k > 0 && config_.disentangle) ? concat_channels({pooled, dx}) : pooled;
      skips.push_back(run_blocks(g, l, in_k, pooled));
    }
    Var u = skips.back();
    skips.pop_back();
    for (int k = 0; k < config_.levels; ++k) {
      const Level& l = wave.up[k];
      Var up = upsample_bicubic2x(u, config_.padding);
      Var skip = skips.back();
      skips.pop_back();
      u = run_blocks(g, l, concat_channels({skip, up}), up);
    }
    h = add(x0, u);
  }
  return conv(g, head_, h);
}

std::int64_t SineNet::count(const Conv& c) const { return conv_count(c.cin, c.cout, c.k); }

std::int64_t SineNet::count(const Level& l) const {
  std::int64_t n = count(l.shortcut);
  for (const Block& b : l.blocks) n += count(b.conv1) + count(b.conv2) + 4 * b.conv1.cout;
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
  out += row(2, fmt::format("image_proj  conv3x3 {} -> {}", stem_.cin, stem_.cout), count(stem_));
  std::int64_t wave_total = 0;
  std::string wave_lines;
  const Wave& w = waves_.front();
  for (int k = 0; k < c.levels; ++k) {
    const Level& l = w.down[k];
    wave_lines += row(4,
                      fmt::format("down {}  avgpool2, ConvBlock {} -> {}, 1x1 {} -> {}", k + 1,
                                  l.block_in, l.cout, l.shortcut.cin, l.cout),
                      count(l));
    wave_total += count(l);
  }
  for (int k = 0; k < c.levels; ++k) {
    const Level& l = w.up[k];
    wave_lines += row(4,
                      fmt::format("up {}    bicubic x2, ConvBlock {} -> {}, 1x1 {} -> {}", k + 1,
                                  l.block_in, l.cout, l.shortcut.cin, l.cout),
                      count(l));
    wave_total += count(l);
  }
  out += row(2, fmt::format("waves x{} (x <- x + wave(x)), each {}:", c.waves, wave_total),
             wave_total * c.waves);
  out += wave_lines;
  out += row(2, fmt::format("final       conv3x3 {} -> {}", head_.cin, head_.cout), count(head_));
  out += "ConvBlock = [conv3x3 -> GroupNorm(1) -> GELU] x 2; every conv has a bias, norms affine\n";
  out += fmt::format("parameters: {}\n", store_.size());
  return out;
}

}  // namespace fieldlab::nn
