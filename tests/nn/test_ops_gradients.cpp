// Every op's gradient against central finite differences, with per-op tolerances fit for
// float32 forward passes (the objective itself is accumulated in double).

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/ops.hpp"

using namespace fieldlab::nn;
using namespace fieldlab::nn::testing;

namespace {
struct ZeroPadding {
  static constexpr Padding value = Padding::zeros;
};
struct CircularPadding {
  static constexpr Padding value = Padding::circular;
};
}  // namespace

TEST_CASE("elementwise arithmetic gradients") {
  auto a = random_tensor({2, 3, 4}, 1), b = random_tensor({2, 3, 4}, 2);
  check_gradients([](Graph&, const std::vector<Var>& v) { return add(v[0], v[1]); }, {a, b});
  check_gradients([](Graph&, const std::vector<Var>& v) { return sub(v[0], v[1]); }, {a, b});
  check_gradients([](Graph&, const std::vector<Var>& v) { return mul(v[0], v[1]); }, {a, b});
  check_gradients([](Graph&, const std::vector<Var>& v) { return mul(v[0], v[0]); }, {a});
  check_gradients([](Graph&, const std::vector<Var>& v) { return scale(v[0], -2.5f); }, {a});
  check_gradients([](Graph&, const std::vector<Var>& v) { return add_scalar(v[0], 3.0f); }, {a});
  check_gradients([](Graph&, const std::vector<Var>& v) { return reshape(v[0], {6, 4}); }, {a});
}

TEST_CASE("activation gradients") {
  auto x = random_tensor({3, 17}, 3, -3.0f, 3.0f);
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  check_gradients([](Graph&, const std::vector<Var>& v) { return gelu(v[0]); }, {x}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return gelu_tanh(v[0]); }, {x}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return silu(v[0]); }, {x}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return tanh(v[0]); }, {x}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return sin(v[0]); }, {x}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return cos(v[0]); }, {x}, opt);
}

TEST_CASE("relu values and gradients") {
  Graph g;
  Var x = g.variable(Tensor({5}, {-2.0f, -0.5f, 0.0f, 0.25f, 3.0f}));
  Var y = relu(x);
  g.backward(sum(mul(y, g.constant(Tensor({5}, {1.0f, 2.0f, 3.0f, 4.0f, 5.0f})))));
  const std::vector<float> expected_value{0.0f, 0.0f, 0.0f, 0.25f, 3.0f};
  const std::vector<float> expected_grad{0.0f, 0.0f, 0.0f, 4.0f, 5.0f};  // slope 0 at 0
  CHECK(y.value().to_vector() == expected_value);
  CHECK(x.grad().to_vector() == expected_grad);
  // Away from the kink, central differences agree.
  Tensor r = random_tensor({4, 9}, 21);
  for (std::int64_t i = 0; i < r.numel(); ++i) r[i] += r[i] > 0 ? 0.1f : -0.1f;
  check_gradients([](Graph&, const std::vector<Var>& v) { return relu(v[0]); }, {r});
}

TEST_CASE("activation values") {
  Graph g;
  Tensor x({3}, {-1.0f, 0.0f, 2.0f});
  Var v = g.constant(x);
  const Tensor ge = gelu(v).value(), gt = gelu_tanh(v).value(), si = silu(v).value();
  // torch.nn.functional.gelu / gelu(approximate="tanh") / silu at -1, 0, 2.
  CHECK(ge[0] == doctest::Approx(-0.15865525).epsilon(1e-5));
  CHECK(ge[2] == doctest::Approx(1.95449974).epsilon(1e-5));
  CHECK(gt[0] == doctest::Approx(-0.15880801).epsilon(1e-5));
  CHECK(gt[2] == doctest::Approx(1.95459769).epsilon(1e-5));
  CHECK(si[0] == doctest::Approx(-0.26894142).epsilon(1e-5));
  CHECK(si[1] == 0.0f);
}

TEST_CASE("gelu and its derivative match the exact formulas over the whole range") {
  // The vectorised erf/exp of ops_elementwise.cpp against double-precision libm, on 40,001 points
  // in [-20, 20] (several chunks, the OpenMP path, both tails and the clamps at |x| = 4 sqrt 2).
  const int n = 40001;
  Tensor x({n});
  for (int i = 0; i < n; ++i) x[i] = -20.0f + 40.0f * i / (n - 1);
  Graph g;
  Var v = g.variable(x);
  Var y = gelu(v);
  g.backward(sum(y));
  const Tensor gx = v.grad();
  double worst_value = 0, worst_slope = 0;
  for (int i = 0; i < n; ++i) {
    const double t = x[i];
    const double cdf = 0.5 * (1.0 + std::erf(t / std::sqrt(2.0)));
    const double value = t * cdf;
    const double slope = cdf + t * std::exp(-0.5 * t * t) / std::sqrt(2.0 * std::numbers::pi);
    worst_value = std::max(worst_value, std::abs(y.value()[i] - value) / (1.0 + std::abs(value)));
    worst_slope = std::max(worst_slope, std::abs(gx[i] - slope) / (1.0 + std::abs(slope)));
  }
  // Largest value error ~9e-7 near x = -5.6 (erf's rational approximation just inside its clamp,
  // the same as Eigen's erf that this replaced); the slope is within ~2e-7.
  CHECK(worst_value < 2e-6);
  CHECK(worst_slope < 1e-6);
}

TEST_CASE("linear gradients") {
  auto x = random_tensor({2, 3, 5}, 4), w = random_tensor({4, 5}, 5), b = random_tensor({4}, 6);
  check_gradients([](Graph&, const std::vector<Var>& v) { return linear(v[0], v[1], v[2]); },
                  {x, w, b});
  check_gradients([](Graph&, const std::vector<Var>& v) { return linear(v[0], v[1], Var{}); },
                  {x, w});
}

TEST_CASE_TEMPLATE("conv2d gradients", P, ZeroPadding, CircularPadding) {
  GradCheckOptions opt;
  opt.eps = 2e-2f;
  opt.max_checks_per_input = 48;
  for (int k : {3, 1}) {
    CAPTURE(k);
    auto x = random_tensor({2, 3, 5, 4}, 7), w = random_tensor({4, 3, k, k}, 8),
         b = random_tensor({4}, 9);
    check_gradients(
        [](Graph&, const std::vector<Var>& v) { return conv2d(v[0], v[1], v[2], P::value); },
        {x, w, b}, opt);
  }
}

TEST_CASE_TEMPLATE("conv2d forward matches a direct convolution", P, ZeroPadding, CircularPadding) {
  const int n = 2, ci = 3, co = 2, h = 4, w = 5;
  auto x = random_tensor({n, ci, h, w}, 10), wt = random_tensor({co, ci, 3, 3}, 11),
       b = random_tensor({co}, 12);
  Graph g;
  const Tensor y = conv2d(g.constant(x), g.constant(wt), g.constant(b), P::value).value();
  for (int s = 0; s < n; ++s)
    for (int o = 0; o < co; ++o)
      for (int i = 0; i < h; ++i)
        for (int j = 0; j < w; ++j) {
          double acc = b[o];
          for (int c = 0; c < ci; ++c)
            for (int dy = -1; dy <= 1; ++dy)
              for (int dx = -1; dx <= 1; ++dx) {
                int yi = i + dy, xj = j + dx;
                if (P::value == Padding::circular) {
                  yi = (yi + h) % h;
                  xj = (xj + w) % w;
                } else if (yi < 0 || yi >= h || xj < 0 || xj >= w) {
                  continue;
                }
                acc += static_cast<double>(wt[((o * ci + c) * 3 + dy + 1) * 3 + dx + 1]) *
                       x[((s * ci + c) * h + yi) * w + xj];
              }
          CHECK(y[((s * co + o) * h + i) * w + j] == doctest::Approx(acc).epsilon(1e-5));
        }
}

TEST_CASE("conv2d rejects mismatched shapes") {
  Graph g;
  Var x = g.constant(Tensor({1, 3, 4, 4}));
  CHECK_THROWS_AS(conv2d(x, g.constant(Tensor({2, 4, 3, 3})), Var{}, Padding::zeros),
                  fieldlab::Error);
  CHECK_THROWS_AS(conv2d(x, g.constant(Tensor({2, 3, 5, 5})), Var{}, Padding::zeros),
                  fieldlab::Error);
  CHECK_THROWS_AS(add(x, g.constant(Tensor({1, 3, 4, 5}))), fieldlab::Error);
  CHECK_THROWS_AS(parse_padding("reflect"), fieldlab::Error);
}

namespace {
// The usage error's message, which must name the op and, where shapes are at fault, the shapes.
template <typename F>
std::string usage_error(F f) {
  try {
    f();
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
    return e.what();
  }
  FAIL("no error thrown");
  return {};
}
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("the axis, matmul, slice and loss ops reject bad arguments, naming the op and shapes") {
  Graph g;
  Var a = g.constant(Tensor({2, 3, 4})), b = g.constant(Tensor({2, 5, 6}));
  std::string m = usage_error([&] { matmul(a, b); });
  CHECK(contains(m, "matmul"));
  CHECK(contains(m, "[2, 3, 4]"));
  CHECK(contains(m, "[2, 5, 6]"));
  m = usage_error([&] { matmul(a, g.constant(Tensor({3, 4, 2}))); });  // batch 2 vs 3
  CHECK(contains(m, "batch"));
  CHECK(contains(usage_error([&] { matmul(g.constant(Tensor({4})), a); }), "matmul"));
  CHECK(contains(usage_error([&] { permute(a, {0, 0, 1}); }), "permute"));
  CHECK(contains(usage_error([&] { permute(a, {0, 1}); }), "[2, 3, 4]"));
  CHECK(contains(usage_error([&] { transpose(a, 0, 3); }), "transpose"));
  m = usage_error([&] { slice(a, 2, 3, 5); });
  CHECK(contains(m, "slice"));
  CHECK(contains(m, "[2, 3, 4]"));
  CHECK(contains(usage_error([&] { slice(a, 1, 2, 2); }), "slice"));
  m = usage_error([&] { add_along(a, g.constant(Tensor({4})), 1); });
  CHECK(contains(m, "add_along"));
  CHECK(contains(m, "[4]"));
  CHECK(contains(usage_error([&] { mul_along(a, g.constant(Tensor({3})), 3); }), "mul_along"));
  CHECK(contains(usage_error([&] { div(a, b); }), "div"));
  Var logits = g.constant(Tensor({3, 4}));
  CHECK(contains(usage_error([&] { cross_entropy(logits, {0, 1}); }), "cross_entropy"));
  CHECK(contains(usage_error([&] { cross_entropy(logits, {0, 4, 1}); }), "target 4"));
  CHECK(contains(usage_error([&] {
                   cross_entropy(logits, {0, 1, 2}, -100, 1.5f);
                 }),
                 "label_smoothing"));
  CHECK(contains(usage_error([&] { cross_entropy(a, {0, 1}); }), "[N, V]"));
}

TEST_CASE("cross_entropy matches hand-computed values") {
  Graph g;
  // logits [1, 2, 3]: lse = 3.40760596; -log p(2) = 0.40760596, -log p(0) = 2.40760596.
  Var logits = g.constant(Tensor({3, 3}, {1, 2, 3, 1, 2, 3, 0, 0, 0}));
  CHECK(cross_entropy(logits, {2, 0, -100}).value()[0] ==
        doctest::Approx((0.40760596 + 2.40760596) / 2).epsilon(1e-6));
  // Smoothing 0.1 on row 0: 0.9 * 0.40760596 + 0.1 * (lse - mean x) = 0.50760596.
  CHECK(cross_entropy(logits, {2, -100, -100}, -100, 0.1f).value()[0] ==
        doctest::Approx(0.50760596).epsilon(1e-6));
  // Uniform logits: log V whatever the target and the smoothing.
  CHECK(cross_entropy(logits, {-100, -100, 1}, -100, 0.3f).value()[0] ==
        doctest::Approx(std::log(3.0)).epsilon(1e-6));
  CHECK(std::isnan(cross_entropy(logits, {7, 7, 7}, 7).value()[0]));  // all ignored: 0 / 0
}

TEST_CASE_TEMPLATE("pooling and upsampling gradients", P, ZeroPadding, CircularPadding) {
  auto x = random_tensor({2, 2, 4, 6}, 13);
  check_gradients([](Graph&, const std::vector<Var>& v) { return avg_pool2x2(v[0]); }, {x});
  check_gradients(
      [](Graph&, const std::vector<Var>& v) { return upsample_bicubic2x(v[0], P::value); }, {x});
  auto wide = random_tensor({1, 2, 2, 13}, 15);  // W >= 10: the W pass's interior gather
  check_gradients(
      [](Graph&, const std::vector<Var>& v) { return upsample_bicubic2x(v[0], P::value); }, {wide});
  auto small = random_tensor({1, 1, 1, 3}, 14);  // every tap clamps or wraps
  check_gradients(
      [](Graph&, const std::vector<Var>& v) { return upsample_bicubic2x(v[0], P::value); },
      {small});
}

TEST_CASE("concat gradients") {
  auto a = random_tensor({2, 2, 3, 3}, 15), b = random_tensor({2, 3, 3, 3}, 16);
  check_gradients(
      [](Graph&, const std::vector<Var>& v) {
        return concat_channels({v[0], v[1]});
      },
      {a, b});
}

TEST_CASE("normalisation and softmax gradients") {
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  opt.rtol = 1e-2;
  auto x = random_tensor({2, 4, 3, 3}, 17, -2.0f, 2.0f);
  auto gamma = random_tensor({4}, 18, 0.5f, 1.5f), beta = random_tensor({4}, 19);
  for (int groups : {1, 2}) {
    CAPTURE(groups);
    check_gradients(
        [groups](Graph&, const std::vector<Var>& v) {
          return group_norm(v[0], groups, v[1], v[2]);
        },
        {x, gamma, beta}, opt);
  }
  auto rows = random_tensor({3, 6}, 20, -2.0f, 2.0f);
  auto g6 = random_tensor({6}, 21, 0.5f, 1.5f), b6 = random_tensor({6}, 22);
  check_gradients([](Graph&, const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2]); },
                  {rows, g6, b6}, opt);
  check_gradients([](Graph&, const std::vector<Var>& v) { return softmax(v[0]); }, {rows}, opt);
}

TEST_CASE("group norm output is normalised per sample") {
  Graph g;
  auto x = random_tensor({2, 4, 3, 3}, 23, -5.0f, 5.0f);
  const Tensor y = group_norm(g.constant(x), 1, Var{}, Var{}).value();
  for (int s = 0; s < 2; ++s) {
    double m = 0, v = 0;
    for (int i = 0; i < 36; ++i) m += y[s * 36 + i];
    m /= 36;
    for (int i = 0; i < 36; ++i) v += (y[s * 36 + i] - m) * (y[s * 36 + i] - m);
    CHECK(m == doctest::Approx(0.0).epsilon(1e-5).scale(1));
    CHECK(v / 36 == doctest::Approx(1.0).epsilon(1e-3));
  }
}

TEST_CASE("reduction and loss gradients") {
  auto p = random_tensor({2, 3, 4, 4}, 24), t = random_tensor({2, 3, 4, 4}, 25);
  check_gradients([](Graph&, const std::vector<Var>& v) { return sum(v[0]); }, {p});
  check_gradients([](Graph&, const std::vector<Var>& v) { return mean(v[0]); }, {p});
  check_gradients([](Graph&, const std::vector<Var>& v) { return mse_loss(v[0], v[1]); }, {p, t});
  GradCheckOptions opt;
  opt.eps = 2e-3f;
  check_gradients([](Graph&, const std::vector<Var>& v) { return scaled_l2_loss(v[0], v[1]); },
                  {p, t}, opt);
}

TEST_CASE("scaled L2 loss value") {
  Graph g;
  // sample 0: ||(1,1) - (1,0)|| / ||(1,0)|| = 1; sample 1: ||(0,0) - (3,4)|| / 5 = 1.
  Tensor p({2, 1, 2}, {1, 1, 0, 0}), t({2, 1, 2}, {1, 0, 3, 4});
  CHECK(scaled_l2_loss(g.constant(p), g.constant(t)).value()[0] == doctest::Approx(1.0));
  Tensor p2({1, 2, 2}, {1, 0, 3, 3}), t2({1, 2, 2}, {2, 0, 3, 4});
  // channel 0: 1/2, channel 1: 1/5 -> mean 0.35
  CHECK(scaled_l2_loss(g.constant(p2), g.constant(t2)).value()[0] == doctest::Approx(0.35));
  CHECK_THROWS_AS(scaled_l2_loss(g.constant(p2), g.constant(Tensor({1, 2, 2}))), fieldlab::Error);
}

TEST_CASE("attention gradients and values") {
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  auto q = random_tensor({2, 3, 4}, 30), k = random_tensor({2, 5, 4}, 31),
       v = random_tensor({2, 5, 4}, 32);
  for (int heads : {1, 2}) {
    CAPTURE(heads);
    check_gradients(
        [heads](Graph&, const std::vector<Var>& x) {
          return scaled_dot_product_attention(x[0], x[1], x[2], heads);
        },
        {q, k, v}, opt);
  }
  // One query, two keys, one head of width 1: weights softmax(q k / 1) by hand.
  Graph g;
  Tensor q1({1, 1, 1}, {1.0f}), k1({1, 2, 1}, {0.0f, 2.0f}), v1({1, 2, 1}, {10.0f, 20.0f});
  const float y =
      scaled_dot_product_attention(g.constant(q1), g.constant(k1), g.constant(v1), 1).value()[0];
  const double w = std::exp(2.0) / (1.0 + std::exp(2.0));
  CHECK(y == doctest::Approx(10.0 * (1 - w) + 20.0 * w).epsilon(1e-5));
  CHECK_THROWS_AS(scaled_dot_product_attention(g.constant(q1), g.constant(k1), g.constant(v1), 2),
                  fieldlab::Error);
}

TEST_CASE("embedding and dropout gradients") {
  auto w = random_tensor({5, 3}, 33);
  check_gradients(
      [](Graph&, const std::vector<Var>& x) {
        return embedding(x[0], {4, 0, 4, 2});
      },
      {w});
  Graph g;
  CHECK_THROWS_AS(embedding(g.constant(w), {5}), fieldlab::Error);
  auto x = random_tensor({4, 8}, 34);
  check_gradients(
      [](Graph&, const std::vector<Var>& v) {
        std::mt19937_64 rng(3);  // the same mask on every evaluation
        return dropout(v[0], 0.25f, rng);
      },
      {x});
  std::mt19937_64 rng(5);
  const Tensor y =
      dropout(g.constant(Tensor({10000}, std::vector<float>(10000, 1.0f))), 0.25f, rng).value();
  double kept = 0, total = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    kept += y[i] != 0.0f;
    total += y[i];
  }
  CHECK(kept / 10000 == doctest::Approx(0.75).epsilon(0.03));
  CHECK(total / 10000 == doctest::Approx(1.0).epsilon(0.04));  // inverted scaling keeps the mean
}
