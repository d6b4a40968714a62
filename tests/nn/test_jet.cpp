// Second-order input derivatives by forward-mode jets, against analytic derivatives, against a
// double-precision finite-difference reference, and the parameter gradient of a PINN-style loss
// built from them against finite differences.

#include <doctest/doctest.h>

#include "param_fd.hpp"

#include <cmath>

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
