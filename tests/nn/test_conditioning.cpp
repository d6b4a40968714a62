// SineNet dt / PDE-parameter conditioning: parameter counts against the reference PyTorch
// module, the sinusoidal embedding's values, errors, and parameter gradients vs finite
// differences for "add" and "adagn".

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/layers/sinusoidal_embedding.hpp"
#include "nn/models/sinenet.hpp"
#include "param_fd.hpp"

using namespace fieldlab::nn;

TEST_CASE("conditioned SineNet-8 parameter counts equal the reference module's") {
  // INS (C = 3, history 4), hidden 64: sum of numel over the reference's conditioned sinenet
  // (tests/python/torch_reference.py): add 37,910,323; adagn 40,247,995; add with the scalar
  // PDE-parameter embedding 37,992,755. Unconditioned 35,490,219.
  struct Case {
    Conditioning kind;
    bool parameter;
    std::int64_t count;
  };
  for (const Case& c :
       {Case{Conditioning::none, false, 35490219}, Case{Conditioning::add, false, 37910323},
        Case{Conditioning::adagn, false, 40247995}, Case{Conditioning::add, true, 37992755}}) {
    SineNetConfig cfg = sinenet_preset(8);
    cfg.conditioning = c.kind;
    cfg.parameter_conditioning = c.parameter;
    CAPTURE(to_string(c.kind));
    CHECK(SineNet(cfg).parameters().size() == c.count);
    CHECK(sinenet_parameter_count(cfg) == c.count);
  }
  SineNetConfig cfg = sinenet_preset(8);
  cfg.conditioning = Conditioning::adagn;
  SineNet net(cfg);
  const auto& s = net.parameters();
  CHECK(s.parameters()[0].name == "time_embed.0.weight");
  CHECK(s.parameters()[s.index("time_embed.0.weight")].shape == Shape{256, 64});
  CHECK(s.parameters()[s.index("time_embed.2.weight")].shape == Shape{256, 256});
  CHECK(s.parameters()[s.index("down.3.2.conv.0.cond_emb.weight")].shape == Shape{2 * 185, 256});
  CHECK(s.parameters()[s.index("up.7.3.conv.0.cond_emb.bias")].shape == Shape{2 * 64});
  CHECK(net.describe().find("time_embed") != std::string::npos);
  CHECK(parse_conditioning("add") == Conditioning::add);
  CHECK_THROWS_AS(parse_conditioning("film"), fieldlab::Error);
}

TEST_CASE("sinusoidal embedding values") {
  // dim 4, max period 1e4: frequencies 1 and 1e-2; row t = [cos t, cos(t/100), sin t, sin(t/100)].
  const std::vector<float> t{0.0f, 0.5f};
  const Tensor e = sinusoidal_embedding(t, 4);
  CHECK(e.shape() == Shape{2, 4});
  CHECK(e[0] == 1.0f);
  CHECK(e[2] == 0.0f);
  CHECK(e[4] == doctest::Approx(std::cos(0.5)).epsilon(1e-6));
  CHECK(e[5] == doctest::Approx(std::cos(0.005)).epsilon(1e-6));
  CHECK(e[6] == doctest::Approx(std::sin(0.5)).epsilon(1e-6));
  CHECK(e[7] == doctest::Approx(std::sin(0.005)).epsilon(1e-5));
  const Tensor odd = sinusoidal_embedding(t, 5);
  CHECK(odd[9] == 0.0f);  // appended zero column
  const std::vector<float> bad{std::nanf("")};
  CHECK_THROWS_AS(sinusoidal_embedding(bad, 4), fieldlab::Error);
}

TEST_CASE("conditioned small SineNet: dt changes the output; gradients vs finite differences") {
  for (Conditioning kind : {Conditioning::add, Conditioning::adagn}) {
    CAPTURE(to_string(kind));
    SineNetConfig cfg;
    cfg.fields = 2;
    cfg.history = 2;
    cfg.waves = 2;
    cfg.hidden = 4;
    cfg.mult = 1.5;
    cfg.levels = 2;
    cfg.padding = Padding::circular;
    cfg.conditioning = kind;
    cfg.parameter_conditioning = true;
    SineNet net(cfg);
    net.initialise(21);
    CHECK(net.parameters().size() == sinenet_parameter_count(cfg));
    auto x = testing::random_tensor({2, 4, 8, 8}, 5);
    auto target = testing::random_tensor({2, 2, 8, 8}, 6);
    const std::vector<float> dt{0.25f, 1.5f}, z{0.3f, -0.7f};
    {
      Graph g;
      NoGradGuard ng(g);
      const Tensor a = net.forward(g, g.constant(x), dt, z).value();
      const std::vector<float> dt2{0.5f, 1.5f};
      const Tensor b = net.forward(g, g.constant(x), dt2, z).value();
      // Sample 0 saw another dt, sample 1 the same one.
      double d0 = 0, d1 = 0;
      for (int i = 0; i < 128; ++i) {
        d0 += std::abs(a[i] - b[i]);
        d1 += std::abs(a[128 + i] - b[128 + i]);
      }
      CHECK(d0 > 1e-4);
      CHECK(d1 == 0.0);
      CHECK_THROWS_AS(net.forward(g, g.constant(x)), fieldlab::Error);  // needs dt
      const std::vector<float> one{1.0f};
      CHECK_THROWS_AS(net.forward(g, g.constant(x), one, z), fieldlab::Error);
      CHECK_THROWS_AS(net.forward(g, g.constant(x), dt), fieldlab::Error);  // needs z
    }
    testing::check_parameter_gradients(
        net.parameters(),
        [&](Graph& g) {
          return scaled_l2_loss(net.forward(g, g.constant(x), dt, z), g.constant(target));
        },
        {"time_embed.0.weight", "time_embed.2.bias", "pde_emb.0.bias", "pde_emb.2.weight",
         "down.0.0.conv.0.cond_emb.weight", "down.1.1.conv.0.cond_emb.bias",
         "up.1.1.conv.0.cond_emb.weight", "up.0.0.conv.0.conv1.weight", "image_proj.bias"});
  }
  SineNetConfig plain;
  plain.hidden = 4;
  plain.levels = 1;
  plain.waves = 1;
  SineNet net(plain);
  net.initialise(1);
  Graph g;
  const std::vector<float> dt{1.0f};
  CHECK_THROWS_AS(net.forward(g, g.constant(Tensor({1, 12, 4, 4})), dt), fieldlab::Error);
}
