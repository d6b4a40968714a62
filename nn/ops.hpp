#pragma once
// Differentiable ops on Graph variables. Every op checks its input shapes (a usage error names the
// op and the shapes), computes its output into the graph's arena and, when recording, registers a
// backward closure. Images are NCHW.

#include <cstdint>
#include <initializer_list>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace fieldlab::nn {

enum class Padding { zeros, circular };
Padding parse_padding(const std::string& name);  // "zeros" | "circular"
const char* to_string(Padding padding);

// Elementwise (same shapes; no broadcasting, so a shape slip is an error rather than a surprise).
Var add(Var a, Var b);
Var sub(Var a, Var b);
Var mul(Var a, Var b);
Var scale(Var a, float factor);
Var add_scalar(Var a, float value);
Var div(Var a, Var b);
// Broadcasting along one axis only: x [..., C, ...] with a vector v [C] laid along `axis`
// (negative counts from the end), y = x + v or x * v; v's gradient is summed over the other axes.
Var add_along(Var x, Var v, int axis);
Var mul_along(Var x, Var v, int axis);

// Elementwise math (IEEE domain rules: log of a negative number is NaN, as in PyTorch).
Var abs(Var x);  // slope 0 at 0
Var exp(Var x);
Var log(Var x);
Var sqrt(Var x);
Var pow(Var x, float p);  // scalar exponent
Var square(Var x);
Var erf(Var x);

// Activations.
Var gelu(Var x);       // exact: x * Phi(x)
Var gelu_tanh(Var x);  // tanh approximation
Var silu(Var x);
Var tanh(Var x);
Var sin(Var x);
Var cos(Var x);
Var relu(Var x);  // max(x, 0); slope 0 at 0 (as PyTorch)
Var sigmoid(Var x);
Var softplus(Var x);  // log(1 + e^x), PyTorch's beta = 1 with x itself above threshold 20

// x: [..., in], weight: [out, in], bias: [out] or an empty Var.
Var linear(Var x, Var weight, Var bias);

// Batched matrix product op(a) op(b) over the last two axes, op = transpose when asked:
// a [..., M, K] (stored [..., K, M] if transpose_a) times b [..., K, N] (stored [..., N, K] if
// transpose_b) gives [..., M, N]. The leading (batch) axes of a and b must be equal, or b may be
// 2-D and is then shared by every batch entry (x B or x B^T for a fixed matrix B).
Var matmul(Var a, Var b, bool transpose_a = false, bool transpose_b = false);

// x: [N, Cin, H, W], weight: [Cout, Cin, k, k] with k = 1 or 3, bias: [Cout] or empty; stride 1,
// "same" output size with zero or circular padding.
Var conv2d(Var x, Var weight, Var bias, Padding padding);

Var avg_pool2x2(Var x);  // H and W must be even
// Bicubic x2 as PyTorch interpolate(scale_factor=2, mode="bicubic", align_corners=False):
// a = -0.75, source indices clamped at the border (zeros) or wrapped (circular; identical to the
// reference's pad-2-circular / interpolate / crop).
Var upsample_bicubic2x(Var x, Padding padding);

// Along axis 1; at most kMaxConcatInputs inputs (kept inline by the backward closure).
inline constexpr std::size_t kMaxConcatInputs = 8;
Var concat_channels(std::span<const Var> xs);
Var concat_channels(std::initializer_list<Var> xs);
Var reshape(Var x, Shape shape);
// Contiguous copies with the axes reordered: output axis i is input axis order[i] (negative axes
// count from the end); transpose swaps two axes.
Var permute(Var x, std::span<const int> order);
Var permute(Var x, std::initializer_list<int> order);
Var transpose(Var x, int axis0, int axis1);
// Elements start <= i < stop along `axis` (0 <= start < stop <= extent), as x[..., start:stop,
// ...].
Var slice(Var x, int axis, std::int64_t start, std::int64_t stop);

// x: [N, C, ...]; gamma, beta: [C] or empty Vars (no affine).
Var group_norm(Var x, int groups, Var gamma, Var beta, float eps = 1e-5f);
// Normalises over the last axis; gamma, beta: [D] or empty.
Var layer_norm(Var x, Var gamma, Var beta, float eps = 1e-5f);
Var softmax(Var x);      // over the last axis
Var log_softmax(Var x);  // over the last axis: x - max - log(sum(exp(x - max))), stable

// Which (query, key) pairs attention may use, with PyTorch's meaning:
//   causal: query t sees keys s <= t (top-left aligned when T != S, as
//     F.scaled_dot_product_attention(is_causal=True) and nn.Transformer's square subsequent mask);
//   key_padding: empty, or B * S flags (row-major [B, S], PyTorch's boolean key_padding_mask):
//     nonzero = that key is padding and is ignored by every query of its batch.
// A query left with no key at all is a usage error (PyTorch silently returns NaN there): with
// right-padded sequences and at least one real key per batch this never happens.
struct AttentionMask {
  bool causal = false;
  std::span<const std::uint8_t> key_padding;
  bool empty() const { return !causal && key_padding.empty(); }
};

// Attention over [B, T, D] queries/keys/values split into `heads` heads of D / heads features:
// softmax(Q K^T / sqrt(D / heads) + mask) V per (batch, head), returned as [B, T, D]. Keys/values
// may have their own length S ([B, S, D]). dropout > 0 zeroes attention weights with that
// probability (scaling the rest by 1 / (1 - p), as nn.MultiheadAttention's dropout) drawing from
// `rng`, which must then be given; the caller applies it in training only.
Var scaled_dot_product_attention(Var q, Var k, Var v, int heads, const AttentionMask& mask = {},
                                 float dropout = 0.0f, std::mt19937_64* rng = nullptr);
// Lookup rows of weight [V, D] for `indices` (each in [0, V)): [indices.size(), D].
Var embedding(Var weight, const std::vector<std::int64_t>& indices);
// Inverted dropout: zeroes each element with probability p and scales the rest by 1 / (1 - p).
// The caller applies it in training only; the mask comes from `rng`, so runs are reproducible.
Var dropout(Var x, float p, std::mt19937_64& rng);

// Reductions and losses: scalar outputs (shape {}).
Var sum(Var x);
Var mean(Var x);
Var mse_loss(Var prediction, Var target);
// PyTorch's cross_entropy (mean reduction): logits [N, V], targets [N] class indices in [0, V)
// or ignore_index (those rows count neither in the sum nor in the mean). With label smoothing e
// the target distribution is (1 - e) one-hot + e / V. All rows ignored gives NaN (0 / 0), as in
// PyTorch.
Var cross_entropy(Var logits, const std::vector<std::int64_t>& targets,
                  std::int64_t ignore_index = -100, float label_smoothing = 0.0f);
// PDEArena's "scaled L2": ||p - t||_2 / ||t||_2 over all axes after the first two, for each
// (sample, channel), averaged over samples and channels.
Var scaled_l2_loss(Var prediction, Var target);

}  // namespace fieldlab::nn
