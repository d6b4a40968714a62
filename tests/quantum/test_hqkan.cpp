#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "nn/ops.hpp"
#include "nn/optimizer.hpp"
#include "quantum/nn/hqkan.hpp"
#include "tests/nn/grad_check.hpp"

using namespace fieldlab;
using namespace fieldlab::quantum::qkan;

namespace {

std::vector<float> initial_params(const QkanLayer& layer, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> p(layer.num_params());
  layer.initialise(p.data(), rng);
  // Spread p, c, g and the data weights so every parameter kind has a visible gradient.
  std::normal_distribution<double> g(0, 0.3);
  for (double& v : p) v += g(rng);
  return {p.begin(), p.end()};
}

// Regression target on [-1, 1]^3 for the drop-in test.
float target(const float* x) { return std::sin(3.0f * x[0]) * x[1] + x[2] * x[2]; }

// Trains `forward` (an [N, 3] -> [N, 1] model over `store`) with Adam; returns the test MSE.
template <typename Forward>
double train_model(nn::ParameterStore& store, Forward forward, int steps) {
  const int n = 256;
  nn::Tensor xtr({n, 3}), ytr({n, 1}), xte({n, 3}), yte({n, 1});
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  for (nn::Tensor* t : {&xtr, &xte})
    for (std::int64_t i = 0; i < t->numel(); ++i) (*t)[i] = u(rng);
  for (int s = 0; s < n; ++s) {
    ytr[s] = target(xtr.data() + 3 * s);
    yte[s] = target(xte.data() + 3 * s);
  }
  nn::OptimizerConfig oc;
  oc.kind = nn::OptimizerKind::adam;
  nn::Optimizer opt(oc, store.size());
  nn::Graph g;
  for (int step = 0; step < steps; ++step) {
    g.reset();
    store.zero_grad();
    nn::Var loss = nn::mse_loss(forward(g, g.constant(xtr)), g.constant(ytr));
    g.backward(loss);
    opt.step(store, 1e-2f);
  }
  g.reset();
  nn::NoGradGuard ng(g);
  return nn::mse_loss(forward(g, g.constant(xte)), g.constant(yte)).value()[0];
}

}  // namespace

TEST_CASE("qkan_layer op: values equal QkanNetwork, gradients match finite differences") {
  const QkanLayer layer(3, 2, 2, DaruanReadout::pauli_z);
  const std::vector<float> p = initial_params(layer, 5);
  const nn::Tensor x = nn::testing::random_tensor({5, 3}, 9);
  // Values against the double layer.
  {
    nn::Graph g;
    const nn::Var y = qkan_layer(
        g.constant(x), g.constant(nn::Tensor({static_cast<std::int64_t>(p.size())}, p)), layer);
    const std::vector<double> pd(p.begin(), p.end());
    const std::vector<double> xd(x.data(), x.data() + x.numel());
    std::vector<double> ref(10);
    layer.forward(pd.data(), xd.data(), 5, ref.data());
    for (int k = 0; k < 10; ++k) CHECK(y.value()[k] == doctest::Approx(ref[k]).epsilon(1e-6));
  }
  nn::testing::GradCheckOptions o;
  o.eps = 5e-3f;
  o.max_checks_per_input = 200;
  const double worst = nn::testing::check_gradients(
      [&](nn::Graph&, const std::vector<nn::Var>& v) { return qkan_layer(v[0], v[1], layer); },
      {x, nn::Tensor({static_cast<std::int64_t>(p.size())}, p)}, o);
  MESSAGE("qkan_layer gradient check: worst error / tolerance " << worst);
}

TEST_CASE("HQKAN parameter and input gradients match finite differences") {
  nn::ParameterStore store;
  Hqkan model(store, "hqkan", HqkanConfig{3, 2, {3, 2}, 2});  // in, out, core, reps
  store.allocate();
  std::mt19937_64 init_rng(11);
  model.initialise(init_rng);
  const nn::Tensor x = nn::testing::random_tensor({4, 3}, 21);
  const nn::Tensor weights = nn::testing::random_tensor({4, 2}, 22);
  auto objective = [&]() {
    nn::Graph g;
    nn::NoGradGuard ng(g);
    const nn::Tensor& y = model.forward(g, g.constant(x)).value();
    double s = 0;
    for (std::int64_t i = 0; i < y.numel(); ++i) s += static_cast<double>(y[i]) * weights[i];
    return s;
  };
  nn::Graph g;
  store.zero_grad();
  const nn::Var xv = g.variable(x);
  g.backward(nn::sum(nn::mul(model.forward(g, xv), g.constant(weights))));
  const nn::Tensor gx = xv.grad();
  const std::vector<float> analytic(store.grads().begin(), store.grads().end());
  // Every parameter tensor (encoder, QKAN layers, decoder), a few elements each.
  const float eps = 5e-3f;
  int checked = 0;
  for (const nn::ParameterInfo& info : store.parameters())
    for (std::int64_t i = 0; i < info.size; i += std::max<std::int64_t>(1, info.size / 12)) {
      float& v = store.values()[info.offset + i];
      const float orig = v;
      v = orig + eps;
      const double fp = objective();
      v = orig - eps;
      const double fm = objective();
      v = orig;
      const double numeric = (fp - fm) / (2.0 * eps);
      const double a = analytic[info.offset + i];
      INFO(info.name << "[" << i << "]: analytic " << a << " numeric " << numeric);
      CHECK(std::abs(a - numeric) <= 5e-4 + 5e-3 * std::abs(numeric));
      ++checked;
    }
  CHECK(checked > 25);
  // Input gradient.
  nn::Tensor xp({4, 3}, x.to_vector());  // a deep copy: Tensor copies share storage
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    const float orig = x[i];
    nn::Graph h;
    nn::NoGradGuard ng(h);
    auto at = [&](float value) {
      xp[i] = value;
      const nn::Tensor& y = model.forward(h, h.constant(xp)).value();
      double s = 0;
      for (std::int64_t k = 0; k < y.numel(); ++k) s += static_cast<double>(y[k]) * weights[k];
      h.reset();
      return s;
    };
    const double up = at(orig + eps), down = at(orig - eps);
    const double numeric = (up - down) / (2.0 * eps);
    xp[i] = orig;
    INFO("x[" << i << "]: analytic " << gx[i] << " numeric " << numeric);
    CHECK(std::abs(gx[i] - numeric) <= 5e-4 + 5e-3 * std::abs(numeric));
  }
}

TEST_CASE("HQKAN replaces an MLP in a regression and trains") {
  // y = sin(3 x0) x1 + x2^2 on [-1, 1]^3 (variance ~0.3), 256 training and 256 test points, Adam
  // lr 1e-2, full batch. The MLP 3 -> 16 -> 16 -> 1 (SiLU) has 353 parameters, the HQKAN
  // 3 -> [4 -> 4, r = 3] -> 1 has 293.
  const int steps = 400;
  nn::ParameterStore hs;
  Hqkan hqkan(hs, "model", HqkanConfig{3, 1, {4, 4}, 3});
  hs.allocate();
  std::mt19937_64 init_rng(1);
  hqkan.initialise(init_rng);
  const double hqkan_mse = train_model(
      hs, [&](nn::Graph& g, nn::Var x) { return hqkan.forward(g, x); }, steps);

  nn::ParameterStore ms;
  const int w1 = ms.add("l1.weight", {16, 3}), b1 = ms.add("l1.bias", {16});
  const int w2 = ms.add("l2.weight", {16, 16}), b2 = ms.add("l2.bias", {16});
  const int w3 = ms.add("l3.weight", {1, 16}), b3 = ms.add("l3.bias", {1});
  ms.allocate();
  std::mt19937_64 rng(1);
  for (auto [w, b, fan] : {std::tuple{w1, b1, 3}, {w2, b2, 16}, {w3, b3, 16}}) {
    nn::init_uniform_fan_in(ms, w, fan, rng);
    nn::init_uniform_fan_in(ms, b, fan, rng);
  }
  auto mlp = [&](nn::Graph& g, nn::Var x) {
    auto p = [&](int i) { return g.parameter(ms, i); };
    x = nn::silu(nn::linear(x, p(w1), p(b1)));
    x = nn::silu(nn::linear(x, p(w2), p(b2)));
    return nn::linear(x, p(w3), p(b3));
  };
  const double mlp_mse = train_model(ms, mlp, steps);
  MESSAGE("after " << steps << " Adam steps: HQKAN (" << hs.size() << " params) test MSE "
                   << hqkan_mse << ", MLP (" << ms.size() << " params) " << mlp_mse);
  CHECK(hs.size() < ms.size());
  CHECK(hqkan_mse < 0.02);  // the target's variance is ~0.3: 15x below a constant predictor
}

TEST_CASE("HQKAN as a registered pointwise model: same parameters and outputs as the layer") {
  nn::ModelRegistry registry = nn::builtin_models();
  add_hqkan_model(registry);
  auto model = registry.make("hqkan", {{"inputs", "3"},
                                       {"outputs", "2"},
                                       {"core", "4,3"},
                                       {"reps", "2"},
                                       {"readout", "amplitude-difference"}});
  auto& pointwise = nn::as_pointwise_model(*model);
  CHECK(pointwise.inputs() == 3);
  CHECK(pointwise.outputs() == 2);
  CHECK_FALSE(pointwise.has_jets());
  model->initialise(9);
  // The layer on a store of its own, same prefix and seed.
  HqkanConfig c;
  c.in = 3;
  c.out = 2;
  c.core = {4, 3};
  c.reps = 2;
  c.readout = DaruanReadout::amplitude_difference;
  nn::ParameterStore store;
  Hqkan layer(store, "hqkan", c);
  store.allocate();
  std::mt19937_64 init_rng(9);
  layer.initialise(init_rng);
  REQUIRE(store.size() == model->parameters().size());
  const auto a = model->parameters().values(), b = store.values();
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
  nn::Tensor x({5, 3});
  for (int i = 0; i < 15; ++i) x[i] = 0.07f * i - 0.4f;
  nn::Graph g1, g2;
  const auto y1 = pointwise.forward(g1, g1.constant(x)).value().to_vector();
  const auto y2 = layer.forward(g2, g2.constant(x)).value().to_vector();
  CHECK(y1 == y2);
  // Its YAML rebuilds it; describe counts every parameter.
  auto again = registry.from_yaml(model->config_yaml());
  CHECK(again->config_yaml() == model->config_yaml());
  CHECK(model->config_yaml() ==
        "model: hqkan\ninputs: 3\noutputs: 2\ncore: 4,3\nreps: 2\nreadout: amplitude-difference\n");
  CHECK(model->describe().find("parameters: " + std::to_string(store.size())) != std::string::npos);
  CHECK_THROWS_WITH_AS(registry.make("hqkan", {{"reps", "0"}}),
                       doctest::Contains("reps must be an integer in [1, 256]"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(add_hqkan_model(registry), doctest::Contains("registered twice"),
                       fieldlab::Error);
}
