// U-Net baseline: parameter counts (closed form vs layer-by-layer vs the reference PyTorch
// module), names, shapes, errors and parameter gradients of a small one against finite
// differences.

#include <doctest/doctest.h>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/models/unet.hpp"
#include "param_fd.hpp"

using namespace fieldlab::nn;

TEST_CASE("full-size U-Net parameter count equals the reference module's") {
  // The reference registry's "deeper_unet8-dual" (sinenet class, 1 wave, 8 blocks, m = 1.425,
  // hidden 64) for INS (C = 3, history 4): sum of numel over the PyTorch module's parameters,
  // 28,628,084 (tests/python/torch_reference.py prints it); C = 1, history 2: 28,621,170.
  for (Padding p : {Padding::zeros, Padding::circular}) {
    UNetConfig cfg;
    cfg.padding = p;
    UNet net(cfg);  // declaration only
    CHECK(net.channels() == std::vector<int>{64, 91, 129, 185, 263});
    CHECK(net.parameters().size() == 28628084);
    CHECK(unet_parameter_count(cfg) == 28628084);
    cfg.fields = 1;
    cfg.history = 2;
    CHECK(UNet(cfg).parameters().size() == 28621170);
    CHECK(unet_parameter_count(cfg) == 28621170);
  }
  // Closed form vs layer-by-layer over other shapes of the family.
  for (int blocks : {1, 2, 5})
    for (bool dis : {true, false}) {
      UNetConfig cfg;
      cfg.blocks = blocks;
      cfg.disentangle = dis;
      cfg.hidden = 32;
      cfg.mult = 2.0;
      cfg.levels = 3;
      cfg.fields = 2;
      cfg.history = 3;
      CAPTURE(blocks);
      CAPTURE(dis);
      CHECK(UNet(cfg).parameters().size() == unet_parameter_count(cfg));
    }
  UNetConfig bad;
  bad.blocks = 0;
  CHECK_THROWS_AS(UNet{bad}, fieldlab::Error);
}

TEST_CASE("U-Net parameter names follow the reference state_dict") {
  UNetConfig cfg;
  UNet net(cfg);
  const auto& s = net.parameters();
  for (const char* name :
       {"image_proj.weight", "down.0.0.conv.0.conv1.weight", "down.0.0.conv.7.norm2.bias",
        "down.0.3.conv.0.conv1.weight", "down.0.3.shortcut.weight", "up.0.0.conv.7.conv2.weight",
        "up.0.3.shortcut.bias", "final.weight", "final.bias"})
    CHECK_MESSAGE(s.contains(name), name);
  CHECK_FALSE(s.contains("down.1.0.shortcut.weight"));  // one wave only
  // Level 2's first block takes c_1 + 64 (pooled wave input), later blocks c_2 -> c_2.
  CHECK(s.parameters()[s.index("down.0.1.conv.0.conv1.weight")].shape == Shape{129, 91 + 64, 3, 3});
  CHECK(s.parameters()[s.index("down.0.1.conv.1.conv1.weight")].shape == Shape{129, 129, 3, 3});
  const std::string d = net.describe();
  CHECK(d.find("U-Net") == 0);
  CHECK(d.find("8 ConvBlocks") != std::string::npos);
  CHECK(d.find("parameters: 28628084") != std::string::npos);
}

TEST_CASE("small U-Net: forward shapes, errors and parameter gradients") {
  for (Padding p : {Padding::zeros, Padding::circular}) {
    CAPTURE(to_string(p));
    UNetConfig cfg;
    cfg.fields = 2;
    cfg.history = 2;
    cfg.hidden = 4;
    cfg.mult = 1.5;
    cfg.levels = 2;
    cfg.blocks = 2;
    cfg.padding = p;
    UNet net(cfg);
    net.initialise(3);
    auto x = testing::random_tensor({2, 4, 8, 8}, 5);
    auto target = testing::random_tensor({2, 2, 8, 8}, 6);
    {
      Graph g;
      CHECK(net.forward(g, g.constant(x)).shape() == Shape{2, 2, 8, 8});
      CHECK_THROWS_AS(net.forward(g, g.constant(Tensor({2, 3, 8, 8}))), fieldlab::Error);
      CHECK_THROWS_AS(net.forward(g, g.constant(Tensor({2, 4, 6, 8}))), fieldlab::Error);
    }
    testing::check_parameter_gradients(
        net.parameters(),
        [&](Graph& g) { return scaled_l2_loss(net.forward(g, g.constant(x)), g.constant(target)); },
        {"image_proj.weight", "down.0.0.conv.1.conv1.weight", "down.0.1.conv.0.norm1.weight",
         "down.0.1.shortcut.weight", "up.0.0.conv.1.conv2.bias", "up.0.1.conv.0.conv1.weight",
         "final.bias"});
  }
}
