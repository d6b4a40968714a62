// Second-order input derivatives by forward-mode jets, against analytic derivatives, against a
// double-precision finite-difference reference, and the parameter gradient of a PINN-style loss
// built from them against finite differences.

#include <doctest/doctest.h>

#include "param_fd.hpp"

#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/jet.hpp"
#include "nn/ops.hpp"

using namespace fieldlab::nn;
using fieldlab::nn::testing::random_tensor;

namespace {

struct Mlp {
  ParameterStore store;
  std::vector<int> weights, biases;
  std::vector<int> widths;
  bool sine_last_hidden = false;

  Mlp(std::vector<int> w, unsigned seed, bool sine) : widths(std::move(w)), sine_last_hidden(sine) {
    for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
      weights.push_back(store.add("w" + std::to_string(l), {widths[l + 1], widths[l]}));
      biases.push_back(store.add("b" + std::to_string(l), {widths[l + 1]}));
    }
    store.allocate();
    std::mt19937_64 rng(seed);
    for (std::size_t l = 0; l < weights.size(); ++l) {
      init_uniform_fan_in(store, weights[l], widths[l] / 2, rng);  // larger weights: curvier
      init_uniform_fan_in(store, biases[l], 1, rng);
    }
  }
  std::size_t layers() const { return weights.size(); }

  Jet forward(Graph& g, const Tensor& points, const std::vector<int>& dirs) {
    Jet h = jet_input(g, points, dirs);
    for (std::size_t l = 0; l < layers(); ++l) {
      h = jet_linear(h, g.parameter(store, weights[l]), g.parameter(store, biases[l]));
      if (l + 1 < layers()) h = (sine_last_hidden && l + 2 == layers()) ? jet_sin(h) : jet_tanh(h);
    }
    return h;
  }

  // Double-precision evaluation of u at one point (the independent reference).
  double eval(double x, double t) {
    std::vector<double> h{x, t};
    for (std::size_t l = 0; l < layers(); ++l) {
      const Tensor w = store.value(weights[l]), b = store.value(biases[l]);
      std::vector<double> out(widths[l + 1]);
      for (int o = 0; o < widths[l + 1]; ++o) {
        double s = b[o];
        for (int i = 0; i < widths[l]; ++i) s += static_cast<double>(w[o * widths[l] + i]) * h[i];
        if (l + 1 < layers())
          s = (sine_last_hidden && l + 2 == layers()) ? std::sin(s) : std::tanh(s);
        out[o] = s;
      }
      h = out;
    }
    return h[0];
  }
};

}  // namespace

TEST_CASE("jets of a one-hidden-layer tanh MLP match the analytic derivatives") {
  Mlp net({2, 8, 1}, 3, false);
  auto points = random_tensor({5, 2}, 4);
  Graph g;
  Jet u = net.forward(g, points, {0, 1});
  const Tensor w1 = net.store.value(net.weights[0]), b1 = net.store.value(net.biases[0]);
  const Tensor w2 = net.store.value(net.weights[1]);
  for (int n = 0; n < 5; ++n)
    for (int d = 0; d < 2; ++d) {
      double u1 = 0, u2 = 0;
      for (int j = 0; j < 8; ++j) {
        const double a = b1[j] + w1[j * 2] * points[n * 2] + w1[j * 2 + 1] * points[n * 2 + 1];
        const double s = std::tanh(a), ds = 1 - s * s;
        u1 += w2[j] * ds * w1[j * 2 + d];
        u2 += w2[j] * (-2 * s * ds) * w1[j * 2 + d] * w1[j * 2 + d];
      }
      CHECK(u.d1[d].value()[n] == doctest::Approx(u1).epsilon(1e-5).scale(1));
      CHECK(u.d2[d].value()[n] == doctest::Approx(u2).epsilon(1e-5).scale(1));
    }
}

TEST_CASE("jets of a deeper tanh/sin MLP match double-precision finite differences") {
  Mlp net({2, 6, 6, 1}, 5, true);
  auto points = random_tensor({4, 2}, 6);
  Graph g;
  Jet u = net.forward(g, points, {0, 1});
  const double h = 1e-3;
  for (int n = 0; n < 4; ++n) {
    const double x = points[n * 2], t = points[n * 2 + 1];
    const double f0 = net.eval(x, t);
    const double ux = (net.eval(x + h, t) - net.eval(x - h, t)) / (2 * h);
    const double uxx = (net.eval(x + h, t) - 2 * f0 + net.eval(x - h, t)) / (h * h);
    const double ut = (net.eval(x, t + h) - net.eval(x, t - h)) / (2 * h);
    const double utt = (net.eval(x, t + h) - 2 * f0 + net.eval(x, t - h)) / (h * h);
    CHECK(u.value.value()[n] == doctest::Approx(f0).epsilon(1e-5).scale(1));
    CHECK(u.d1[0].value()[n] == doctest::Approx(ux).epsilon(1e-4).scale(1));
    CHECK(u.d2[0].value()[n] == doctest::Approx(uxx).epsilon(1e-3).scale(1));
    CHECK(u.d1[1].value()[n] == doctest::Approx(ut).epsilon(1e-4).scale(1));
    CHECK(u.d2[1].value()[n] == doctest::Approx(utt).epsilon(1e-3).scale(1));
  }
}

TEST_CASE("parameter gradients of a heat-equation residual loss match finite differences") {
  Mlp net({2, 6, 6, 1}, 8, false);
  auto points = random_tensor({6, 2}, 9);
  auto loss_of = [&](Graph& g) {
    Jet u = net.forward(g, points, {0, 1});
    Var r = sub(u.d1[1], scale(u.d2[0], 0.1f));  // u_t - nu u_xx
    return mean(mul(r, r));
  };
  std::vector<std::int64_t> every_third;
  for (std::int64_t i = 0; i < net.store.size(); i += 3) every_third.push_back(i);
  testing::check_parameter_elements(net.store, loss_of, every_third, 1e-2f, 3e-4, 3e-2);
}

namespace {

// One jet rule applied to a = Wa h + ba (and b = Wb h + bb for the two-jet rules), h = tanh(W1 x +
// b1): the inputs of the rule have nonzero first and second derivatives, so every term of each
// rule is exercised. `reference` is the same rule in double.
struct JetRule {
  const char* name;
  std::function<Jet(const Jet&, const Jet&)> jet;
  std::function<double(double, double)> reference;
};

double gelu_exact(double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); }

std::vector<JetRule> jet_rules() {
  return {
      {"tanh", [](const Jet& a, const Jet&) { return jet_tanh(a); },
       [](double a, double) { return std::tanh(a); }},
      {"sin", [](const Jet& a, const Jet&) { return jet_sin(a); },
       [](double a, double) { return std::sin(a); }},
      {"cos", [](const Jet& a, const Jet&) { return jet_cos(a); },
       [](double a, double) { return std::cos(a); }},
      {"exp", [](const Jet& a, const Jet&) { return jet_exp(a); },
       [](double a, double) { return std::exp(a); }},
      {"gelu", [](const Jet& a, const Jet&) { return jet_gelu(a); },
       [](double a, double) { return gelu_exact(a); }},
      {"silu", [](const Jet& a, const Jet&) { return jet_silu(a); },
       [](double a, double) { return a / (1.0 + std::exp(-a)); }},
      {"softplus", [](const Jet& a, const Jet&) { return jet_softplus(a); },
       [](double a, double) { return std::log1p(std::exp(a)); }},
      {"scale", [](const Jet& a, const Jet&) { return jet_scale(a, -2.5f); },
       [](double a, double) { return -2.5 * a; }},
      {"add_scalar", [](const Jet& a, const Jet&) { return jet_add_scalar(jet_tanh(a), 0.75f); },
       [](double a, double) { return std::tanh(a) + 0.75; }},
      {"add", [](const Jet& a, const Jet& b) { return jet_add(a, jet_tanh(b)); },
       [](double a, double b) { return a + std::tanh(b); }},
      {"sub", [](const Jet& a, const Jet& b) { return jet_sub(jet_sin(a), b); },
       [](double a, double b) { return std::sin(a) - b; }},
      {"mul", [](const Jet& a, const Jet& b) { return jet_mul(a, b); },
       [](double a, double b) { return a * b; }},
      {"mul (square)", [](const Jet& a, const Jet&) { return jet_mul(a, a); },
       [](double a, double) { return a * a; }},
      {"div", [](const Jet& a, const Jet& b) { return jet_div(a, b); },
       [](double a, double b) { return a / b; }},
  };
}

struct TwoBranches {
  Tensor w1 = random_tensor({5, 2}, 31, -1.5f, 1.5f), b1 = random_tensor({5}, 32);
  Tensor wa = random_tensor({3, 5}, 33, -1.5f, 1.5f), ba = random_tensor({3}, 34);
  Tensor wb = random_tensor({3, 5}, 35, -0.5f, 0.5f), bb = random_tensor({3}, 36, 2.0f, 3.0f);

  // Output o of the rule at the point (x0, x1), in double.
  double eval(const JetRule& rule, double x0, double x1, int o) const {
    double a = ba[o], b = bb[o];
    for (int j = 0; j < 5; ++j) {
      const double h = std::tanh(b1[j] + w1[j * 2] * x0 + w1[j * 2 + 1] * x1);
      a += wa[o * 5 + j] * h;
      b += wb[o * 5 + j] * h;
    }
    return rule.reference(a, b);
  }
};

}  // namespace

TEST_CASE("every jet rule matches finite differences of the first and second derivatives") {
  const TwoBranches net;
  const Tensor points = random_tensor({4, 2}, 37);
  const double h = 1e-3;
  for (const JetRule& rule : jet_rules()) {
    CAPTURE(rule.name);
    Graph g;
    Jet x = jet_input(g, points, {0, 1});
    Jet hidden = jet_tanh(jet_linear(x, g.constant(net.w1), g.constant(net.b1)));
    Jet a = jet_linear(hidden, g.constant(net.wa), g.constant(net.ba));
    Jet b = jet_linear(hidden, g.constant(net.wb), g.constant(net.bb));
    Jet u = rule.jet(a, b);
    REQUIRE(u.d1.size() == 2);
    for (int n = 0; n < 4; ++n)
      for (int o = 0; o < 3; ++o) {
        const double p[2] = {points[n * 2], points[n * 2 + 1]};
        const double f0 = net.eval(rule, p[0], p[1], o);
        CHECK(u.value.value()[n * 3 + o] == doctest::Approx(f0).epsilon(1e-5).scale(1));
        for (int d = 0; d < 2; ++d) {
          CAPTURE(d);
          const double e0 = d == 0 ? h : 0, e1 = d == 1 ? h : 0;
          const double fp = net.eval(rule, p[0] + e0, p[1] + e1, o);
          const double fm = net.eval(rule, p[0] - e0, p[1] - e1, o);
          CHECK(u.d1[d].value()[n * 3 + o] ==
                doctest::Approx((fp - fm) / (2 * h)).epsilon(1e-4).scale(1));
          CHECK(u.d2[d].value()[n * 3 + o] ==
                doctest::Approx((fp - 2 * f0 + fm) / (h * h)).epsilon(1e-3).scale(1));
        }
      }
  }
}

TEST_CASE("jet_softplus keeps PyTorch's linear branch above the threshold") {
  Graph g;
  Jet x = jet_input(g, Tensor({2, 1}, {25.0f, -3.0f}), {0});
  Jet u = jet_softplus(jet_scale(x, 1.0f));
  CHECK(u.value.value()[0] == 25.0f);
  CHECK(u.d1[0].value()[0] == 1.0f);
  CHECK(u.d2[0].value()[0] == 0.0f);
  const double s = 1.0 / (1.0 + std::exp(3.0));
  CHECK(u.d1[0].value()[1] == doctest::Approx(s).epsilon(1e-6));
  CHECK(u.d2[0].value()[1] == doctest::Approx(s * (1 - s)).epsilon(1e-5));
}

TEST_CASE("two-jet rules reject jets with different directions") {
  Graph g;
  const Tensor points = random_tensor({3, 2}, 38);
  Jet one = jet_input(g, points, {0}), two = jet_input(g, points, {0, 1});
  CHECK_THROWS_AS(jet_mul(one, two), fieldlab::Error);
  CHECK_THROWS_AS(jet_div(one, two), fieldlab::Error);
  CHECK_THROWS_AS(jet_add(one, two), fieldlab::Error);
}

TEST_CASE("parameter gradients of a residual built from gelu, silu, softplus, exp and div jets") {
  ParameterStore store;
  const int w1 = store.add("w1", {6, 2}), b1 = store.add("b1", {6});
  const int wa = store.add("wa", {1, 6}), wb = store.add("wb", {1, 6}), bb = store.add("bb", {1});
  store.allocate();
  std::mt19937_64 rng(40);
  init_uniform_fan_in(store, w1, 1, rng);
  init_uniform_fan_in(store, b1, 1, rng);
  init_uniform_fan_in(store, wa, 3, rng);
  init_uniform_fan_in(store, wb, 6, rng);
  store.value(bb)[0] = 2.0f;  // keeps the denominator away from 0
  const Tensor points = random_tensor({5, 2}, 41);
  auto loss_of = [&](Graph& g) {
    Jet x = jet_input(g, points, {0, 1});
    Jet h = jet_linear(x, g.parameter(store, w1), g.parameter(store, b1));
    Jet a = jet_linear(jet_gelu(h), g.parameter(store, wa), Var{});
    Jet b = jet_linear(jet_silu(h), g.parameter(store, wb), g.parameter(store, bb));
    Jet u = jet_add(jet_div(a, jet_softplus(b)), jet_scale(jet_exp(jet_scale(a, 0.5f)), 0.1f));
    Var r = add(u.d1[1], mul(u.d2[0], u.value));  // a nonlinear residual u_t + u u_xx
    return mean(mul(r, r));
  };
  std::vector<std::int64_t> all(store.size());
  for (std::int64_t i = 0; i < store.size(); ++i) all[i] = i;
  testing::check_parameter_elements(store, loss_of, all, 1e-2f, 3e-4, 3e-2);
}
