// Layers and ops added for conditioning and attention (channel-wise add / scale-shift, row
// slices, multi-head attention), plus finite-difference checks of op variants the first gradient
// suite does not reach: GroupNorm without affine and with one channel per group, LayerNorm over
// [B, T, D] without affine, circular conv and bicubic on images smaller than the stencil.

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "grad_check.hpp"
#include "nn/layers/attention.hpp"
#include "nn/layers/channel_ops.hpp"

using namespace fieldlab::nn;
using namespace fieldlab::nn::testing;

TEST_CASE("channel-wise add and scale-shift gradients") {
  auto x = random_tensor({2, 3, 4, 5}, 40);
  auto shift = random_tensor({2, 3}, 41), ss = random_tensor({2, 6}, 42);
  check_gradients([](Graph&, const std::vector<Var>& v) { return add_channelwise(v[0], v[1]); },
                  {x, shift});
  check_gradients(
      [](Graph&, const std::vector<Var>& v) { return scale_shift_channelwise(v[0], v[1]); },
      {x, ss});
  Graph g;
  CHECK_THROWS_AS(add_channelwise(g.constant(x), g.constant(ss)), fieldlab::Error);
  CHECK_THROWS_AS(scale_shift_channelwise(g.constant(x), g.constant(shift)), fieldlab::Error);
  // y = x (1 + s) + b at one element by hand.
  const Tensor y = scale_shift_channelwise(g.constant(x), g.constant(ss)).value();
  const std::int64_t n = 1, c = 2, i = 7;  // sample 1, channel 2, element 7 of the plane
  CHECK(y[(n * 3 + c) * 20 + i] ==
        doctest::Approx(x[(n * 3 + c) * 20 + i] * (1 + ss[n * 6 + c]) + ss[n * 6 + 3 + c]));
}

TEST_CASE("narrow_rows gradients and bounds") {
  auto w = random_tensor({6, 4}, 43);
  check_gradients([](Graph&, const std::vector<Var>& v) { return narrow_rows(v[0], 2, 3); }, {w});
  Graph g;
  CHECK_THROWS_AS(narrow_rows(g.constant(w), 4, 3), fieldlab::Error);
  CHECK(narrow_rows(g.constant(w), 5, 1).value()[0] == w[20]);
}

TEST_CASE("multi-head attention layer: PyTorch layout, values and gradients") {
  const int d = 6, heads = 2;
  ParameterStore store;
  MultiheadAttention attn(store, "attn.", d, heads);
  store.allocate();
  std::mt19937_64 rng(5);
  attn.initialise(rng);
  CHECK(store.size() == attn.parameter_count());
  CHECK(store.parameters()[store.index("attn.in_proj_weight")].shape == Shape{18, 6});
  CHECK(store.parameters()[store.index("attn.out_proj.bias")].shape == Shape{6});
  // Biases start at zero as in PyTorch; randomise everything for the checks.
  auto values = store.values();
  const Tensor r = random_tensor({store.size()}, 44, -0.5f, 0.5f);
  for (std::int64_t i = 0; i < store.size(); ++i) values[i] = r[i];

  // Reference forward written out directly (double): per head softmax(q k^T / sqrt(dh)) v.
  auto x = random_tensor({2, 3, d}, 45), kv = random_tensor({2, 4, d}, 46);
  Graph g;
  const Tensor y = attn.forward(g, g.constant(x), g.constant(kv), g.constant(kv)).value();
  const float* W = store.value("attn.in_proj_weight").data();
  const float* B = store.value("attn.in_proj_bias").data();
  const float* Wo = store.value("attn.out_proj.weight").data();
  const float* Bo = store.value("attn.out_proj.bias").data();
  const int dh = d / heads;
  double worst = 0;
  for (int b = 0; b < 2; ++b) {
    auto proj = [&](const Tensor& in, int t, int part, int j) {
      double s = B[part * d + j];
      for (int i = 0; i < d; ++i) s += W[(part * d + j) * d + i] * in[(b * in.size(1) + t) * d + i];
      return s;
    };
    for (int t = 0; t < 3; ++t) {
      std::vector<double> o(d, 0.0);
      for (int h = 0; h < heads; ++h) {
        std::vector<double> w(4);
        double mx = -1e30, z = 0;
        for (int s = 0; s < 4; ++s) {
          double dot = 0;
          for (int j = h * dh; j < (h + 1) * dh; ++j) dot += proj(x, t, 0, j) * proj(kv, s, 1, j);
          w[s] = dot / std::sqrt(double(dh));
          mx = std::max(mx, w[s]);
        }
        for (double& v : w) z += (v = std::exp(v - mx));
        for (int s = 0; s < 4; ++s)
          for (int j = h * dh; j < (h + 1) * dh; ++j) o[j] += w[s] / z * proj(kv, s, 2, j);
      }
      for (int j = 0; j < d; ++j) {
        double out = Bo[j];
        for (int i = 0; i < d; ++i) out += Wo[j * d + i] * o[i];
        worst = std::max(worst, std::abs(out - y[(b * 3 + t) * d + j]));
      }
    }
  }
  CHECK(worst < 1e-5);

  // Gradients with respect to the inputs and every parameter element (through the op wrapper:
  // parameters enter as graph variables with the same values).
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  check_gradients(
      [&](Graph&, const std::vector<Var>& v) {
        // v: x, kv, then the four parameter tensors laid out as in the store.
        auto proj = [&](Var in, int part) {
          return linear(in, narrow_rows(v[2], part * d, d), narrow_rows(v[3], part * d, d));
        };
        Var o = scaled_dot_product_attention(proj(v[0], 0), proj(v[1], 1), proj(v[1], 2), heads);
        return linear(o, v[4], v[5]);
      },
      {x, kv, store.value("attn.in_proj_weight").clone(), store.value("attn.in_proj_bias").clone(),
       store.value("attn.out_proj.weight").clone(), store.value("attn.out_proj.bias").clone()},
      opt);
  // The layer's own parameter gradients equal those of the op composition above.
  store.zero_grad();
  Graph g2;
  Var xs = g2.variable(x);
  g2.backward(sum(attn.forward(g2, xs)));
  double gsum = 0;
  for (float v : store.grads()) gsum += std::abs(v);
  CHECK(gsum > 0);
  CHECK_FALSE(xs.grad().empty());
  Graph g3;
  CHECK_THROWS_AS(attn.forward(g3, g3.constant(random_tensor({2, 3, 4}, 1))), fieldlab::Error);
  ParameterStore s2;
  CHECK_THROWS_AS(MultiheadAttention(s2, "", 6, 4), fieldlab::Error);
}

TEST_CASE("normalisation variants: no affine, one channel per group, [B, T, D] layer norm") {
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  opt.rtol = 1e-2;
  auto x = random_tensor({2, 4, 3, 3}, 47, -2.0f, 2.0f);
  for (int groups : {1, 4}) {
    CAPTURE(groups);
    check_gradients(
        [groups](Graph&, const std::vector<Var>& v) {
          return group_norm(v[0], groups, Var{}, Var{});
        },
        {x}, opt);
  }
  auto seq = random_tensor({2, 3, 8}, 48, -2.0f, 2.0f);
  check_gradients([](Graph&, const std::vector<Var>& v) { return layer_norm(v[0], Var{}, Var{}); },
                  {seq}, opt);
  auto g8 = random_tensor({8}, 49, 0.5f, 1.5f), b8 = random_tensor({8}, 50);
  check_gradients([](Graph&, const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2]); },
                  {seq, g8, b8}, opt);
}

TEST_CASE("circular conv and bicubic on images smaller than the stencil") {
  GradCheckOptions opt;
  opt.eps = 2e-2f;
  // 3x3 circular conv on 2x1 and 1x3 images: taps wrap onto the same pixels several times.
  for (Shape s : {Shape{1, 2, 2, 1}, Shape{2, 2, 1, 3}}) {
    auto x = random_tensor(s, 51), w = random_tensor({3, 2, 3, 3}, 52), b = random_tensor({3}, 53);
    check_gradients(
        [](Graph&, const std::vector<Var>& v) {
          return conv2d(v[0], v[1], v[2], Padding::circular);
        },
        {x, w, b}, opt);
  }
  // Bicubic circular on 2x2 (every 4-tap window wraps twice) and a non-square 3x5.
  for (Shape s : {Shape{1, 1, 2, 2}, Shape{2, 3, 3, 5}}) {
    auto x = random_tensor(s, 54);
    check_gradients(
        [](Graph&, const std::vector<Var>& v) {
          return upsample_bicubic2x(v[0], Padding::circular);
        },
        {x});
  }
}
