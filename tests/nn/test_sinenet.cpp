// SineNet: parameter counts of the full-size configurations (declared layer by layer, against the
// closed form of docs/nn.md and the reference implementation's numbers), and a small model's
// forward/backward with finite-difference checks of parameter gradients.

#include <doctest/doctest.h>

#include <type_traits>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/models/sinenet.hpp"
#include "nn/models/unet.hpp"
#include "param_fd.hpp"

using namespace fieldlab::nn;

TEST_CASE("full-size SineNet parameter counts equal the reference implementation's") {
  // INS: fields C = 3 (scalar + 2D velocity), history 4. Counts of the reference PyTorch module
  // (sum of numel over parameters) for the spec's budgets; derivation in docs/nn.md.
  struct Case {
    int waves;
    std::vector<int> channels;
    std::int64_t parameters;
  };
  for (const Case& c :
       {Case{8, {64, 91, 129, 185, 263}, 35490219}, Case{6, {64, 96, 144, 216, 324}, 35475499},
        Case{4, {64, 103, 166, 267, 431}, 35493699}, Case{2, {64, 115, 209, 377, 683}, 35499989},
        Case{1, {64, 128, 256, 512, 1024}, 33788099}}) {
    CAPTURE(c.waves);
    for (Padding p : {Padding::zeros, Padding::circular}) {
      SineNetConfig cfg = sinenet_preset(c.waves);
      cfg.padding = p;
      CHECK(sinenet_channels(cfg) == c.channels);
      SineNet net(cfg);  // declaration only: no memory for 35M parameters
      CHECK(net.parameters().size() == c.parameters);
      CHECK(sinenet_parameter_count(cfg) == c.parameters);
    }
  }
  CHECK_THROWS_AS(sinenet_preset(3), fieldlab::Error);
}

TEST_CASE("SineNet parameter count for other fields and history") {
  SineNetConfig cfg = sinenet_preset(8);
  cfg.fields = 1;
  cfg.history = 2;  // e.g. SWE-like
  // Only the stem (9 * T*C * 64 + 64) and the head (9 * 64 * C + C) change.
  const std::int64_t base = 35490219 - (9 * 12 * 64 + 64) - (9 * 64 * 3 + 3);
  CHECK(SineNet(cfg).parameters().size() == base + (9 * 2 * 64 + 64) + (9 * 64 * 1 + 1));
}

TEST_CASE("small SineNet: shapes, errors, and parameter gradients vs finite differences") {
  for (Padding p : {Padding::zeros, Padding::circular}) {
    CAPTURE(to_string(p));
    SineNetConfig cfg;
    cfg.fields = 2;
    cfg.history = 2;
    cfg.waves = 2;
    cfg.hidden = 4;
    cfg.mult = 1.5;
    cfg.levels = 2;
    cfg.padding = p;
    SineNet net(cfg);
    net.initialise(11);
    CHECK(net.channels() == std::vector<int>{4, 6, 9});
    CHECK(net.parameters().size() == sinenet_parameter_count(cfg));
    auto x = testing::random_tensor({2, 4, 8, 8}, 5);
    auto target = testing::random_tensor({2, 2, 8, 8}, 6);
    auto loss_of = [&](Graph& g) {
      return scaled_l2_loss(net.forward(g, g.constant(x)), g.constant(target));
    };
    {
      Graph g;
      Var y = net.forward(g, g.constant(x));
      CHECK(y.shape() == Shape{2, 2, 8, 8});
      CHECK_THROWS_AS(net.forward(g, g.constant(Tensor({2, 3, 8, 8}))), fieldlab::Error);
      CHECK_THROWS_AS(net.forward(g, g.constant(Tensor({2, 4, 6, 8}))), fieldlab::Error);
    }
    // A few elements of every kind of parameter: stem, block convs, norms, shortcuts, head.
    std::vector<std::string> names = {"image_proj.weight",
                                      "image_proj.bias",
                                      "down.0.0.conv.0.conv1.weight",
                                      "down.1.1.conv.0.norm2.weight",
                                      "down.0.1.shortcut.bias",
                                      "up.0.0.conv.0.conv2.bias",
                                      "up.1.1.conv.0.norm1.bias",
                                      "up.1.0.shortcut.weight",
                                      "final.weight",
                                      "final.bias"};
    // eps 3e-3: small enough that the truncation error through eight GroupNorms stays below the
    // 1% tolerance (at 1e-2 the stem bias is off by 2.5%), large enough for float32 rounding.
    testing::check_parameter_gradients(net.parameters(), loss_of, names, 3e-3f, 5e-4, 1e-2);
  }
}

// The layers keep the store's address (nn/layers/layer.hpp), so a model that owns its store must
// stay where it was built: copying or moving it would leave the layers pointing at the old store.
static_assert(!std::is_copy_constructible_v<SineNet> && !std::is_move_constructible_v<SineNet>);
static_assert(!std::is_copy_assignable_v<SineNet> && !std::is_move_assignable_v<SineNet>);
static_assert(!std::is_copy_constructible_v<UNet> && !std::is_move_constructible_v<UNet>);
