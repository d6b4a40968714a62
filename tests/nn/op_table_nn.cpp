// Op-table entries of the network ops: convolution, pooling, upsampling, normalisation, softmax,
// attention, embedding, dropout, reductions and losses. Each reference is the textbook formula
// written as direct loops in double.

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "nn/ops.hpp"
#include "op_table.hpp"

namespace fieldlab::nn::op_table {
namespace {

std::int64_t wrap_or_clamp(std::int64_t i, std::int64_t n, Padding padding) {
  if (padding == Padding::circular) return ((i % n) + n) % n;
  return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

// Direct "same" convolution, stride 1, k x k kernel centred (k odd).
Expected conv2d_reference(const std::vector<Tensor>& in, Padding padding) {
  const Tensor &x = in[0], &w = in[1];
  const std::int64_t n = x.size(0), ci = x.size(1), h = x.size(2), wd = x.size(3);
  const std::int64_t co = w.size(0), k = w.size(2), r = k / 2;
  Expected e{{n, co, h, wd}, std::vector<double>(n * co * h * wd)};
  for (std::int64_t s = 0; s < n; ++s)
    for (std::int64_t o = 0; o < co; ++o)
      for (std::int64_t i = 0; i < h; ++i)
        for (std::int64_t j = 0; j < wd; ++j) {
          double acc = in.size() > 2 ? in[2][o] : 0.0;
          for (std::int64_t c = 0; c < ci; ++c)
            for (std::int64_t dy = 0; dy < k; ++dy)
              for (std::int64_t dx = 0; dx < k; ++dx) {
                std::int64_t yi = i + dy - r, xj = j + dx - r;
                if (padding == Padding::circular) {
                  yi = wrap_or_clamp(yi, h, padding);
                  xj = wrap_or_clamp(xj, wd, padding);
                } else if (yi < 0 || yi >= h || xj < 0 || xj >= wd) {
                  continue;
                }
                acc += static_cast<double>(w[((o * ci + c) * k + dy) * k + dx]) *
                       x[((s * ci + c) * h + yi) * wd + xj];
              }
          e.values[((s * co + o) * h + i) * wd + j] = acc;
        }
  return e;
}

// Keys' cubic kernel, a = -0.75 (PyTorch's bicubic).
double keys(double t) {
  const double a = -0.75, x = std::abs(t);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

// interpolate(scale_factor=2, mode="bicubic", align_corners=False): source coordinate
// (o + 0.5) / 2 - 0.5, four taps around it, indices clamped (zeros) or wrapped (circular).
Expected upsample_reference(const Tensor& x, Padding padding) {
  const std::int64_t planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
  Expected e{{x.size(0), x.size(1), 2 * h, 2 * w}, std::vector<double>(planes * 4 * h * w)};
  for (std::int64_t p = 0; p < planes; ++p)
    for (std::int64_t oi = 0; oi < 2 * h; ++oi)
      for (std::int64_t oj = 0; oj < 2 * w; ++oj) {
        const double sy = (oi + 0.5) / 2 - 0.5, sx = (oj + 0.5) / 2 - 0.5;
        const auto y0 = static_cast<std::int64_t>(std::floor(sy));
        const auto x0 = static_cast<std::int64_t>(std::floor(sx));
        double acc = 0;
        for (std::int64_t a = -1; a <= 2; ++a)
          for (std::int64_t b = -1; b <= 2; ++b) {
            const double weight = keys(sy - (y0 + a)) * keys(sx - (x0 + b));
            acc += weight * x[(p * h + wrap_or_clamp(y0 + a, h, padding)) * w +
                              wrap_or_clamp(x0 + b, w, padding)];
          }
        e.values[(p * 2 * h + oi) * 2 * w + oj] = acc;
      }
  return e;
}

// x [N, C, ...] normalised over each of N * groups segments (biased variance), then gamma[c] x +
// beta[c] when given. layer_norm is the case of one segment per row of the last axis.
Expected normalise_reference(const std::vector<Tensor>& in, std::int64_t segments,
                             std::int64_t length, std::int64_t spatial, std::int64_t channels) {
  const Tensor& x = in[0];
  Expected e{x.shape(), std::vector<double>(x.numel())};
  for (std::int64_t s = 0; s < segments; ++s) {
    double mean = 0, var = 0;
    for (std::int64_t i = 0; i < length; ++i) mean += x[s * length + i];
    mean /= length;
    for (std::int64_t i = 0; i < length; ++i)
      var += (x[s * length + i] - mean) * (x[s * length + i] - mean);
    var /= length;
    for (std::int64_t i = 0; i < length; ++i) {
      const std::int64_t flat = s * length + i, c = (flat / spatial) % channels;
      double y = (x[flat] - mean) / std::sqrt(var + 1e-5);
      if (in.size() > 1) y = y * in[1][c] + in[2][c];
      e.values[flat] = y;
    }
  }
  return e;
}

Expected softmax_reference(const Tensor& x, bool log) {
  const std::int64_t d = x.size(-1), rows = x.numel() / d;
  Expected e{x.shape(), std::vector<double>(x.numel())};
  for (std::int64_t r = 0; r < rows; ++r) {
    double z = 0;
    for (std::int64_t j = 0; j < d; ++j) z += std::exp(static_cast<double>(x[r * d + j]));
    for (std::int64_t j = 0; j < d; ++j)
      e.values[r * d + j] = log ? x[r * d + j] - std::log(z) : std::exp(x[r * d + j]) / z;
  }
  return e;
}

// PyTorch's cross_entropy, mean over the rows whose target is not ignore_index.
double cross_entropy_reference(const Tensor& logits, const std::vector<std::int64_t>& targets,
                               std::int64_t ignore, double smoothing) {
  const std::int64_t n = logits.size(0), v = logits.size(1);
  double total = 0;
  std::int64_t count = 0;
  for (std::int64_t r = 0; r < n; ++r) {
    if (targets[r] == ignore) continue;
    double z = 0;
    for (std::int64_t j = 0; j < v; ++j) z += std::exp(static_cast<double>(logits[r * v + j]));
    double smooth = 0;
    for (std::int64_t j = 0; j < v; ++j) smooth += std::log(z) - logits[r * v + j];
    total += (1 - smoothing) * (std::log(z) - logits[r * v + targets[r]]) + smoothing * smooth / v;
    ++count;
  }
  return total / count;
}

// Targets for logits [N, V]: a fixed pattern, every third row set to `ignore` when asked.
std::vector<std::int64_t> pattern_targets(std::int64_t n, std::int64_t v, bool with_ignored,
                                          std::int64_t ignore) {
  std::vector<std::int64_t> t(n);
  for (std::int64_t r = 0; r < n; ++r) t[r] = with_ignored && r % 3 == 1 ? ignore : (r * 7 + 2) % v;
  return t;
}

std::vector<std::int64_t> pattern_indices(std::int64_t vocab) {
  std::vector<std::int64_t> idx;
  for (std::int64_t i = 0; i < vocab + 3; ++i) idx.push_back((i * 5 + 1) % vocab);  // repeats
  return idx;
}

constexpr float kDropout = 0.3f;
constexpr unsigned kDropoutSeed = 99;

}  // namespace

void add_nn_cases(std::vector<OpCase>& cases) {
  for (Padding padding : {Padding::zeros, Padding::circular}) {
    const std::string pad = to_string(padding);
    for (int k : {3, 1}) {
      OpCase c;
      c.op = "conv2d";
      c.variant = "x [2, 3, 5, 4], weight [4, 3, " + std::to_string(k) + ", " + std::to_string(k) +
                  "], bias [4], " + pad;
      c.inputs = {{{2, 3, 5, 4}}, {{4, 3, k, k}}, {{4}}};
      c.build = [padding](Graph&, const std::vector<Var>& v) {
        return conv2d(v[0], v[1], v[2], padding);
      };
      c.reference = [padding](const std::vector<Tensor>& in) {
        return conv2d_reference(in, padding);
      };
      c.gradient.eps = 2e-2f;
      c.gradient.max_checks_per_input = 48;
      if (k == 3) c.bench_shapes = {{8, 64, 64, 64}, {64, 64, 3, 3}, {64}};
      cases.push_back(c);
    }
  }
  {
    OpCase c;
    c.op = "avg_pool2x2";
    c.variant = "[2, 2, 4, 6]";
    c.inputs = {{{2, 2, 4, 6}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return avg_pool2x2(v[0]); };
    c.reference = [](const std::vector<Tensor>& in) {
      const Tensor& x = in[0];
      const std::int64_t planes = x.size(0) * x.size(1), h = x.size(2) / 2, w = x.size(3) / 2;
      Expected e{{x.size(0), x.size(1), h, w}, std::vector<double>(planes * h * w)};
      for (std::int64_t p = 0; p < planes; ++p)
        for (std::int64_t i = 0; i < h; ++i)
          for (std::int64_t j = 0; j < w; ++j) {
            double s = 0;
            for (int a = 0; a < 2; ++a)
              for (int b = 0; b < 2; ++b) s += x[(p * 2 * h + 2 * i + a) * 2 * w + 2 * j + b];
            e.values[(p * h + i) * w + j] = s / 4;
          }
      return e;
    };
    c.bench_shapes = {{8, 64, 128, 128}};
    cases.push_back(c);
  }
  for (Padding padding : {Padding::zeros, Padding::circular}) {
    for (const Shape& s : {Shape{1, 2, 4, 5}, Shape{1, 2, 2, 13}, Shape{1, 1, 1, 3}}) {
      OpCase c;
      c.op = "upsample_bicubic2x";
      c.variant = std::string(to_string(s)) + ", " + to_string(padding);
      c.inputs = {{s}};
      c.build = [padding](Graph&, const std::vector<Var>& v) {
        return upsample_bicubic2x(v[0], padding);
      };
      c.reference = [padding](const std::vector<Tensor>& in) {
        return upsample_reference(in[0], padding);
      };
      if (s[2] == 4) c.bench_shapes = {{8, 64, 64, 64}};
      cases.push_back(c);
    }
  }
  for (bool affine : {true, false}) {
    OpCase c;
    c.op = "group_norm";
    c.variant = affine ? "x [2, 4, 3, 3], 2 groups, gamma and beta [4]"
                       : "x [2, 4, 3, 3], 2 groups, no affine";
    c.inputs = {{{2, 4, 3, 3}, -2.0f, 2.0f}};
    if (affine) c.inputs.push_back({{4}, 0.5f, 1.5f}), c.inputs.push_back({{4}});
    c.build = [affine](Graph&, const std::vector<Var>& v) {
      return affine ? group_norm(v[0], 2, v[1], v[2]) : group_norm(v[0], 2, Var{}, Var{});
    };
    c.reference = [](const std::vector<Tensor>& in) {
      const Shape& s = in[0].shape();
      const std::int64_t spatial = in[0].numel() / (s[0] * s[1]);
      return normalise_reference(in, s[0] * 2, s[1] / 2 * spatial, spatial, s[1]);
    };
    c.gradient.eps = 5e-3f;
    c.gradient.atol = 1e-3;
    c.gradient.rtol = 1e-2;
    if (affine) c.bench_shapes = {{8, 64, 64, 64}, {64}, {64}};
    cases.push_back(c);
  }
  for (bool affine : {true, false}) {
    OpCase c;
    c.op = "layer_norm";
    c.variant = affine ? "x [3, 2, 6], gamma and beta [6]" : "x [3, 2, 6], no affine";
    c.inputs = {{{3, 2, 6}, -2.0f, 2.0f}};
    if (affine) c.inputs.push_back({{6}, 0.5f, 1.5f}), c.inputs.push_back({{6}});
    c.build = [affine](Graph&, const std::vector<Var>& v) {
      return affine ? layer_norm(v[0], v[1], v[2]) : layer_norm(v[0], Var{}, Var{});
    };
    c.reference = [](const std::vector<Tensor>& in) {
      const std::int64_t d = in[0].size(-1);
      return normalise_reference(in, in[0].numel() / d, d, 1, d);
    };
    c.gradient.eps = 5e-3f;
    c.gradient.atol = 1e-3;
    c.gradient.rtol = 1e-2;
    if (affine) c.bench_shapes = {{4096, 512}, {512}, {512}};
    cases.push_back(c);
  }
  for (bool log : {false, true}) {
    OpCase c;
    c.op = log ? "log_softmax" : "softmax";
    c.variant = "[3, 7] over the last axis";
    c.inputs = {{{3, 7}, -4.0f, 4.0f}};
    c.build = [log](Graph&, const std::vector<Var>& v) {
      return log ? log_softmax(v[0]) : softmax(v[0]);
    };
    c.reference = [log](const std::vector<Tensor>& in) { return softmax_reference(in[0], log); };
    c.gradient.eps = 5e-3f;
    c.gradient.atol = 1e-3;
    c.gradient.rtol = 1e-2;
    c.bench_shapes = {{4096, 1024}};
    cases.push_back(c);
    if (log) {
      c.variant = "[160, 256] over the last axis (parallel rows)";
      c.inputs = {{{160, 256}, -4.0f, 4.0f}};
      c.gradient.max_checks_per_input = 16;
      c.bench_shapes.clear();
      cases.push_back(c);
    }
  }
  // Attention, unmasked and with each mask (causal for T < S, T = S and T > S; key padding; both):
  // the reference skips masked keys in the softmax, as PyTorch's -inf additive mask does.
  struct AttentionVariant {
    const char* name;
    std::int64_t t, s;
    bool causal;
    std::vector<std::uint8_t> padding;  // [B = 2, S]; empty for none
  };
  static const std::vector<AttentionVariant> attention_variants = {
      {"q [2, 3, 8], k and v [2, 4, 8], 2 heads, unmasked", 3, 4, false, {}},
      {"causal, T = S = 4", 4, 4, true, {}},
      {"causal, T = 3 < S = 5 (top-left aligned)", 3, 5, true, {}},
      {"causal, T = 5 > S = 3", 5, 3, true, {}},
      {"key padding [2, 4] (last key of sample 0, last two of sample 1)",
       3,
       4,
       false,
       {0, 0, 0, 1, 0, 0, 1, 1}},
      {"causal + key padding, T = S = 4", 4, 4, true, {0, 0, 0, 1, 0, 0, 1, 1}},
  };
  for (const AttentionVariant& av : attention_variants) {
    OpCase c;
    c.op = "scaled_dot_product_attention";
    c.variant = av.name;
    const std::int64_t t = av.t, s = av.s;
    c.inputs = {{{2, t, 8}}, {{2, s, 8}}, {{2, s, 8}}};
    const AttentionVariant* variant = &av;  // static storage: outlives every case
    c.build = [variant](Graph&, const std::vector<Var>& v) {
      return scaled_dot_product_attention(v[0], v[1], v[2], 2,
                                          AttentionMask{variant->causal, variant->padding});
    };
    c.reference = [variant](const std::vector<Tensor>& in) {
      const Tensor &q = in[0], &k = in[1], &v = in[2];
      const std::int64_t b = q.size(0), t = q.size(1), s = k.size(1), d = q.size(2);
      const std::int64_t heads = 2, dh = d / heads;
      Expected e{q.shape(), std::vector<double>(q.numel())};
      for (std::int64_t i = 0; i < b; ++i)
        for (std::int64_t h = 0; h < heads; ++h)
          for (std::int64_t r = 0; r < t; ++r) {
            std::vector<double> w(s, 0.0);
            double z = 0;
            for (std::int64_t c = 0; c < s; ++c) {
              const bool masked = (variant->causal && c > r) ||
                                  (!variant->padding.empty() && variant->padding[i * s + c] != 0);
              if (masked) continue;
              double dot = 0;
              for (std::int64_t f = h * dh; f < (h + 1) * dh; ++f)
                dot += static_cast<double>(q[(i * t + r) * d + f]) * k[(i * s + c) * d + f];
              z += (w[c] = std::exp(dot / std::sqrt(static_cast<double>(dh))));
            }
            for (std::int64_t f = h * dh; f < (h + 1) * dh; ++f) {
              double acc = 0;
              for (std::int64_t c = 0; c < s; ++c) acc += w[c] / z * v[(i * s + c) * d + f];
              e.values[(i * t + r) * d + f] = acc;
            }
          }
      return e;
    };
    c.gradient.eps = 5e-3f;
    c.gradient.atol = 1e-3;
    if (&av == &attention_variants.front())
      c.bench_shapes = {{8, 256, 256}, {8, 256, 256}, {8, 256, 256}};
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "embedding";
    c.variant = "weight [6, 4], 9 indices with repeats";
    c.inputs = {{{6, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) {
      return embedding(v[0], pattern_indices(v[0].shape()[0]));
    };
    c.reference = [](const std::vector<Tensor>& in) {
      const std::int64_t d = in[0].size(1);
      const auto idx = pattern_indices(in[0].size(0));
      Expected e{{static_cast<std::int64_t>(idx.size()), d}, {}};
      for (std::int64_t i : idx)
        for (std::int64_t j = 0; j < d; ++j) e.values.push_back(in[0][i * d + j]);
      return e;
    };
    c.gradient.note = "indices are integers: no gradient (the weight's is checked)";
    c.bench_shapes = {{32768, 512}};
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "dropout";
    c.variant = "[4, 8], p = 0.3";
    c.inputs = {{{4, 8}}};
    c.build = [](Graph&, const std::vector<Var>& v) {
      std::mt19937_64 rng(kDropoutSeed);  // the same mask on every evaluation
      return dropout(v[0], kDropout, rng);
    };
    // The contract: element i is kept when the i-th draw of bernoulli(1 - p) from the generator
    // is true, and then scaled by 1 / (1 - p).
    c.reference = [](const std::vector<Tensor>& in) {
      std::mt19937_64 rng(kDropoutSeed);
      std::bernoulli_distribution keep(1.0 - kDropout);
      Expected e{in[0].shape(), std::vector<double>(in[0].numel())};
      for (std::int64_t i = 0; i < in[0].numel(); ++i)
        e.values[i] = keep(rng) ? in[0][i] / (1.0 - kDropout) : 0.0;
      return e;
    };
    c.gradient.note = "the mask is random (fixed seed here): no gradient; x's is checked";
    c.bench_shapes = {{1024, 1024}};
    cases.push_back(c);
  }
  for (bool is_mean : {false, true}) {
    OpCase c;
    c.op = is_mean ? "mean" : "sum";
    c.variant = "[2, 3, 4, 4] to a scalar";
    c.inputs = {{{2, 3, 4, 4}}};
    c.build = [is_mean](Graph&, const std::vector<Var>& v) {
      return is_mean ? mean(v[0]) : sum(v[0]);
    };
    c.reference = [is_mean](const std::vector<Tensor>& in) {
      double s = 0;
      for (std::int64_t i = 0; i < in[0].numel(); ++i) s += in[0][i];
      return Expected{{}, {is_mean ? s / in[0].numel() : s}};
    };
    c.bench_shapes = {{1024, 1024}};
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "mse_loss";
    c.variant = "[2, 3, 4, 4] against [2, 3, 4, 4]";
    c.inputs = {{{2, 3, 4, 4}}, {{2, 3, 4, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return mse_loss(v[0], v[1]); };
    c.reference = [](const std::vector<Tensor>& in) {
      double s = 0;
      for (std::int64_t i = 0; i < in[0].numel(); ++i)
        s +=
            (static_cast<double>(in[0][i]) - in[1][i]) * (static_cast<double>(in[0][i]) - in[1][i]);
      return Expected{{}, {s / in[0].numel()}};
    };
    c.bench_shapes = {{8, 4, 128, 128}, {8, 4, 128, 128}};
    cases.push_back(c);
  }
  {
    OpCase c;
    c.op = "scaled_l2_loss";
    c.variant = "[2, 3, 4, 4] against [2, 3, 4, 4]";
    c.inputs = {{{2, 3, 4, 4}}, {{2, 3, 4, 4}}};
    c.build = [](Graph&, const std::vector<Var>& v) { return scaled_l2_loss(v[0], v[1]); };
    c.reference = [](const std::vector<Tensor>& in) {
      const std::int64_t groups = in[0].size(0) * in[0].size(1), len = in[0].numel() / groups;
      double total = 0;
      for (std::int64_t k = 0; k < groups; ++k) {
        double dd = 0, tt = 0;
        for (std::int64_t j = 0; j < len; ++j) {
          const double p = in[0][k * len + j], t = in[1][k * len + j];
          dd += (p - t) * (p - t);
          tt += t * t;
        }
        total += std::sqrt(dd) / std::sqrt(tt);
      }
      return Expected{{}, {total / groups}};
    };
    c.gradient.eps = 2e-3f;
    c.bench_shapes = {{8, 4, 128, 128}, {8, 4, 128, 128}};
    cases.push_back(c);
  }
  struct CrossEntropySpec {
    const char* variant;
    bool ignored;
    std::int64_t ignore;
    float smoothing;
  };
  for (const CrossEntropySpec& s :
       {CrossEntropySpec{"logits [6, 5], all rows counted", false, -100, 0.0f},
        CrossEntropySpec{"logits [6, 5], ignore_index -100 on 2 rows", true, -100, 0.0f},
        CrossEntropySpec{"logits [6, 5], ignore_index 3 on 2 rows, label_smoothing 0.1", true, 3,
                         0.1f},
        CrossEntropySpec{"logits [160, 256], ignore_index -100, label_smoothing 0.2 (parallel)",
                         true, -100, 0.2f}}) {
    OpCase c;
    c.op = "cross_entropy";
    c.variant = s.variant;
    c.inputs = {{{6, 5}, -3.0f, 3.0f}};
    if (s.smoothing > 0.15f) {
      c.inputs = {{{160, 256}, -3.0f, 3.0f}};
      c.gradient.max_checks_per_input = 16;
    }
    c.build = [s](Graph&, const std::vector<Var>& v) {
      const Shape& ls = v[0].shape();
      return cross_entropy(v[0], pattern_targets(ls[0], ls[1], s.ignored, s.ignore), s.ignore,
                           s.smoothing);
    };
    c.reference = [s](const std::vector<Tensor>& in) {
      const auto t = pattern_targets(in[0].size(0), in[0].size(1), s.ignored, s.ignore);
      return Expected{{}, {cross_entropy_reference(in[0], t, s.ignore, s.smoothing)}};
    };
    c.gradient.eps = 5e-3f;
    c.gradient.note = "targets are integers: no gradient (the logits' is checked)";
    if (s.smoothing == 0.1f) c.bench_shapes = {{4096, 1024}};
    cases.push_back(c);
  }
}

}  // namespace fieldlab::nn::op_table
