// Causal and key-padding masks and attention-weight dropout in scaled_dot_product_attention:
// forward against a direct double-precision evaluation of PyTorch's definition, gradients by
// central differences (self-attention T = S and cross-attention T != S), the error for a query
// left with no key, and dropout against the same Bernoulli draws replayed by hand.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "grad_check.hpp"

using namespace fieldlab::nn;
using namespace fieldlab::nn::testing;

namespace {

// softmax(q k^T / sqrt(dh) + mask) v per (batch, head) in double, the mask as PyTorch applies
// it: -inf where the causal mask (key > query) or key_padding hides the key. `keep` (optional,
// [B, H, T, S] factors) multiplies the weights after the softmax, as dropout does.
std::vector<double> reference_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                        int heads, const AttentionMask& mask,
                                        const std::vector<float>& keep = {}) {
  const std::int64_t b = q.size(0), t = q.size(1), s = k.size(1), d = q.size(2), dh = d / heads;
  std::vector<double> out(b * t * d, 0.0);
  for (std::int64_t i = 0; i < b; ++i)
    for (int h = 0; h < heads; ++h)
      for (std::int64_t r = 0; r < t; ++r) {
        std::vector<double> w(s);
        double mx = -std::numeric_limits<double>::infinity();
        for (std::int64_t c = 0; c < s; ++c) {
          const bool hidden =
              (mask.causal && c > r) || (!mask.key_padding.empty() && mask.key_padding[i * s + c]);
          double dot = 0;
          for (std::int64_t j = h * dh; j < (h + 1) * dh; ++j)
            dot += double(q[(i * t + r) * d + j]) * k[(i * s + c) * d + j];
          w[c] = hidden ? -std::numeric_limits<double>::infinity() : dot / std::sqrt(double(dh));
          mx = std::max(mx, w[c]);
        }
        double z = 0;
        for (double& x : w) z += (x = std::exp(x - mx));
        for (std::int64_t c = 0; c < s; ++c) {
          const double f = keep.empty() ? 1.0 : keep[((i * heads + h) * t + r) * s + c];
          for (std::int64_t j = h * dh; j < (h + 1) * dh; ++j)
            out[(i * t + r) * d + j] += f * w[c] / z * v[(i * s + c) * d + j];
        }
      }
  return out;
}

double max_difference(const Tensor& y, const std::vector<double>& ref) {
  double worst = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) worst = std::max(worst, std::abs(y[i] - ref[i]));
  return worst;
}

}  // namespace

TEST_CASE("attention masks: forward matches PyTorch's definition, self and cross") {
  const int heads = 2;
  // Key padding for B = 2: batch 0 hides its last key, batch 1 its last two (right padding).
  for (std::int64_t t : {4, 3, 6}) {  // T = S, T < S, T > S (S = 4)
    const std::int64_t s = 4;
    CAPTURE(t);
    const std::vector<std::uint8_t> pad = {0, 0, 0, 1, 0, 0, 1, 1};
    auto q = random_tensor({2, t, 6}, 60), k = random_tensor({2, s, 6}, 61),
         v = random_tensor({2, s, 6}, 62);
    for (AttentionMask mask :
         {AttentionMask{true, {}}, AttentionMask{false, pad}, AttentionMask{true, pad}}) {
      Graph g;
      const Tensor y =
          scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), heads, mask)
              .value();
      CHECK(max_difference(y, reference_attention(q, k, v, heads, mask)) < 1e-6);
    }
  }
}

TEST_CASE("attention masks: hidden keys have no influence; all-visible mask equals none") {
  const std::vector<std::uint8_t> pad = {0, 0, 1, 1, 0, 1, 0, 0};  // B = 2, S = 4
  auto q = random_tensor({2, 3, 4}, 63), k = random_tensor({2, 4, 4}, 64),
       v = random_tensor({2, 4, 4}, 65);
  Graph g;
  const AttentionMask mask{false, pad};
  const Tensor y =
      scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), 1, mask).value();
  // Changing a padded key and value (batch 0 key 3, batch 1 key 1) changes nothing at all.
  Tensor k2 = k.clone(), v2 = v.clone();
  for (int j = 0; j < 4; ++j) {
    k2[3 * 4 + j] += 5.0f;
    v2[3 * 4 + j] -= 7.0f;
    k2[(4 + 1) * 4 + j] += 3.0f;
    v2[(4 + 1) * 4 + j] += 9.0f;
  }
  const Tensor y2 =
      scaled_dot_product_attention(g.constant(q), g.constant(k2), g.constant(v2), 1, mask).value();
  for (std::int64_t i = 0; i < y.numel(); ++i) CHECK(y[i] == y2[i]);
  // Under the causal mask, query 0 sees key 0 only: its output is v[0] exactly.
  const Tensor yc = scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), 1,
                                                 AttentionMask{true, {}})
                        .value();
  for (int j = 0; j < 4; ++j) CHECK(yc[j] == doctest::Approx(v[j]).epsilon(1e-6));
  // A mask that hides nothing takes the masked kernel but gives the unmasked result.
  const std::vector<std::uint8_t> none(8, 0);
  const Tensor ya = scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), 1,
                                                 AttentionMask{false, none})
                        .value();
  const Tensor yu =
      scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), 1).value();
  for (std::int64_t i = 0; i < ya.numel(); ++i)
    CHECK(ya[i] == doctest::Approx(yu[i]).epsilon(1e-6));
}

TEST_CASE("attention masks: gradients by central differences") {
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  const std::vector<std::uint8_t> pad = {0, 0, 0, 1, 0, 0, 1, 1};  // B = 2, S = 4
  for (std::int64_t t : {4, 3, 5}) {
    CAPTURE(t);
    auto q = random_tensor({2, t, 4}, 66), k = random_tensor({2, 4, 4}, 67),
         v = random_tensor({2, 4, 4}, 68);
    for (AttentionMask mask :
         {AttentionMask{true, {}}, AttentionMask{false, pad}, AttentionMask{true, pad}}) {
      CAPTURE(mask.causal);
      CAPTURE(mask.key_padding.size());
      check_gradients(
          [mask](Graph&, const std::vector<Var>& x) {
            return scaled_dot_product_attention(x[0], x[1], x[2], 2, mask);
          },
          {q, k, v}, opt);
    }
  }
}

TEST_CASE("attention masks: a query with no key to attend to is a usage error") {
  Graph g;
  auto q = g.constant(random_tensor({2, 3, 4}, 69));
  auto kv = g.constant(random_tensor({2, 3, 4}, 70));
  const std::vector<std::uint8_t> all_of_batch1 = {0, 0, 1, 1, 1, 1};
  CHECK_THROWS_AS(scaled_dot_product_attention(q, kv, kv, 1, AttentionMask{false, all_of_batch1}),
                  fieldlab::Error);
  // Left padding under the causal mask: query 0 of batch 0 would see only the hidden key 0.
  const std::vector<std::uint8_t> left = {1, 0, 0, 0, 0, 0};
  CHECK_THROWS_AS(scaled_dot_product_attention(q, kv, kv, 1, AttentionMask{true, left}),
                  fieldlab::Error);
  CHECK_NOTHROW(scaled_dot_product_attention(q, kv, kv, 1, AttentionMask{false, left}));
  const std::vector<std::uint8_t> short_mask = {0, 0, 0};
  CHECK_THROWS_AS(scaled_dot_product_attention(q, kv, kv, 1, AttentionMask{false, short_mask}),
                  fieldlab::Error);
  CHECK_THROWS_AS(scaled_dot_product_attention(q, kv, kv, 1, {}, 0.5f, nullptr), fieldlab::Error);
}

TEST_CASE("attention dropout: the same Bernoulli draws applied by hand; gradients") {
  const float p = 0.3f;
  const std::vector<std::uint8_t> pad = {0, 0, 0, 1, 0, 0, 1, 1};
  const AttentionMask mask{true, pad};
  auto q = random_tensor({2, 4, 4}, 71), k = random_tensor({2, 4, 4}, 72),
       v = random_tensor({2, 4, 4}, 73);
  std::mt19937_64 rng(11), replay(11);
  Graph g;
  const Tensor y =
      scaled_dot_product_attention(g.constant(q), g.constant(k), g.constant(v), 2, mask, p, &rng)
          .value();
  // One draw per weight in (batch, head, query, key) order, masked weights included.
  std::bernoulli_distribution keep(1.0 - p);
  std::vector<float> factors(2 * 2 * 4 * 4);
  int dropped = 0;
  for (float& f : factors) {
    f = keep(replay) ? 1.0f / (1.0f - p) : 0.0f;
    dropped += f == 0.0f;
  }
  CHECK(dropped > 0);
  CHECK(max_difference(y, reference_attention(q, k, v, 2, mask, factors)) < 1e-6);
  // Gradients with the mask fixed (a fresh generator with the same seed per evaluation).
  GradCheckOptions opt;
  opt.eps = 5e-3f;
  opt.atol = 1e-3;
  check_gradients(
      [mask, p](Graph&, const std::vector<Var>& x) {
        std::mt19937_64 r(11);
        return scaled_dot_product_attention(x[0], x[1], x[2], 2, mask, p, &r);
      },
      {q, k, v}, opt);
}
