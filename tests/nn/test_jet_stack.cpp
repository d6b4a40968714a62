// Stacked jets (nn/jet_stack.hpp) against the per-stream jets of nn/jet.hpp (themselves checked
// against double-precision finite differences in test_jet.cpp): the same values and input
// derivatives through an MLP of every activation the stacked form has (tanh, sin), the same
// parameter gradient of a residual-style loss after the fused backward, and the LPINN network's
// derivatives in its label x0 and t against central differences of its plain forward.

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "nn/jet.hpp"
#include "nn/jet_stack.hpp"
#include "nn/layers/mlp.hpp"
#include "nn/models/lpinn.hpp"
#include "nn/ops.hpp"

using namespace fieldlab::nn;

namespace {

Tensor points(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.5f, 1.5f);
  Tensor x({n, 2});
  for (int i = 0; i < 2 * n; ++i) x[i] = u(rng);
  return x;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
  REQUIRE(a.numel() == b.numel());
  double m = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(double(a[i]) - b[i]));
  return m;
}

double max_abs(const Tensor& a) {
  double m = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(double(a[i])));
  return m;
}

// A residual-like scalar of every stream, so the backward reaches each one.
Var residual_loss(Var v, Var dx, Var dt, Var dxx) {
  return add(add(mean(square(sub(dt, scale(dxx, 0.3f)))), mean(mul(v, dx))), mean(square(v)));
}

}  // namespace

TEST_CASE("stacked jets equal per-stream jets through tanh and sin MLPs, values and gradients") {
  for (Activation act : {Activation::tanh, Activation::sin}) {
    CAPTURE(to_string(act));
    ParameterStore store;
    MLP mlp(store, "layers.", {2, 16, 16, 1}, act, MLPNaming::module_list);
    store.allocate();
    std::mt19937_64 rng(7);
    mlp.initialise_xavier(rng);
    // Curvier than Xavier: scale the weights so second derivatives are O(1).
    for (float& w : store.values()) w *= 1.7f;
    const Tensor x = points(37, 11);

    // Per-stream reference.
    std::vector<float> grad_ref;
    Tensor v_ref, dx_ref, dt_ref, dxx_ref;
    {
      Graph g;
      const Jet j = mlp.forward(g, jet_input(g, x, {0, 1}));
      v_ref = j.value.value().clone();
      dx_ref = j.d1[0].value().clone();
      dt_ref = j.d1[1].value().clone();
      dxx_ref = j.d2[0].value().clone();
      store.zero_grad();
      g.backward(residual_loss(j.value, j.d1[0], j.d1[1], j.d2[0]));
      grad_ref.assign(store.grads().begin(), store.grads().end());
    }
    Graph g;
    const JetStack s = mlp.forward(g, jet_stack_input(g, x, {0, 1}, {true, false}));
    CHECK(s.streams() == 4);  // value, d/dx, d/dt, d2/dx2 (no d2/dt2 carried)
    CHECK_FALSE(s.has_second(1));
    CHECK(max_abs_diff(s.value().value(), v_ref) <= 1e-5 * (1 + max_abs(v_ref)));
    CHECK(max_abs_diff(s.d1(0).value(), dx_ref) <= 1e-5 * (1 + max_abs(dx_ref)));
    CHECK(max_abs_diff(s.d1(1).value(), dt_ref) <= 1e-5 * (1 + max_abs(dt_ref)));
    CHECK(max_abs_diff(s.d2(0).value(), dxx_ref) <= 1e-5 * (1 + max_abs(dxx_ref)));
    CHECK(max_abs(dxx_ref) > 0.1);  // the check is not vacuous
    store.zero_grad();
    g.backward(residual_loss(s.value(), s.d1(0), s.d1(1), s.d2(0)));
    double worst = 0, scale_ref = 0;
    for (std::size_t i = 0; i < grad_ref.size(); ++i) {
      worst = std::max(worst, std::abs(double(store.grads()[i]) - grad_ref[i]));
      scale_ref = std::max(scale_ref, std::abs(double(grad_ref[i])));
    }
    CHECK(scale_ref > 1e-3);
    CHECK(worst <= 2e-5 * scale_ref);
    CHECK_THROWS_AS(s.d2(1), fieldlab::Error);
  }
}

TEST_CASE("the stacked jet of a gelu MLP is refused with a message naming the activation") {
  ParameterStore store;
  MLP mlp(store, "m.", {2, 4, 1}, Activation::gelu, MLPNaming::module_list);
  store.allocate();
  Graph g;
  CHECK_THROWS_WITH_AS(mlp.forward(g, jet_stack_input(g, points(3, 1), {0}, {true})),
                       doctest::Contains("no stacked jet"), fieldlab::Error);
}

TEST_CASE("LPINN: X and u derivatives in x0 and t from the feature jet match central differences") {
  LpinnConfig c;
  c.width = 12;
  c.depth_x = 2;
  c.depth_u = 3;
  LpinnModel model("lpinn", c);
  model.initialise(5);
  const int n = 9;
  Tensor labels({n, 2});
  for (int i = 0; i < n; ++i) {
    labels[i * 2] = static_cast<float>(0.1 + 0.7 * i);  // across the period, including > 2 pi / 2
    labels[i * 2 + 1] = static_cast<float>(0.05 * i);
  }
  Graph g;
  const Tensor features = LpinnModel::feature_jet(labels);
  const auto out = model.forward(g, jet_stack_constant(g, features, LpinnModel::feature_layout()));
  // Plain forward at shifted points (X includes + x0, the jet's correction does not).
  auto eval = [&](double dx, double dt, int i, int which) {
    Graph h;
    NoGradGuard ng(h);
    Tensor p({1, 2});
    p[0] = static_cast<float>(labels[i * 2] + dx);
    p[1] = static_cast<float>(labels[i * 2 + 1] + dt);
    const Tensor y = model.forward(h, h.constant(p)).value();
    return double(y[which]) - (which == 0 ? labels[i * 2] + dx : 0.0);
  };
  const double e = 2e-2;
  for (int i = 0; i < n; ++i)
    for (int which = 0; which < 2; ++which) {
      const JetStack& j = which == 0 ? out.correction : out.u;
      const double f0 = eval(0, 0, i, which);
      const double fx = (eval(e, 0, i, which) - eval(-e, 0, i, which)) / (2 * e);
      const double fxx = (eval(e, 0, i, which) - 2 * f0 + eval(-e, 0, i, which)) / (e * e);
      const double ft = (eval(0, e, i, which) - eval(0, -e, i, which)) / (2 * e);
      CHECK(j.value().value()[i] == doctest::Approx(f0).epsilon(1e-5));
      CHECK(j.d1(0).value()[i] == doctest::Approx(fx).epsilon(2e-3).scale(1));
      CHECK(j.d1(1).value()[i] == doctest::Approx(ft).epsilon(2e-3).scale(1));
      CHECK(j.d2(0).value()[i] == doctest::Approx(fxx).epsilon(2e-2).scale(1));
    }
  CHECK(model.parameters().size() == (3 * 12 + 12) + (12 * 12 + 12) + (12 + 1) +
                                         (3 * 12 + 12) + 2 * (12 * 12 + 12) + (12 + 1));
}
