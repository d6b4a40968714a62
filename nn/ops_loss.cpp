// log_softmax over the last axis and PyTorch's cross_entropy with ignore_index and label
// smoothing, both through the stable log-sum-exp  lse = m + log(sum_j exp(x_j - m)), m = max x.
//
// cross_entropy, per row r that is not ignored, with target t, V classes and smoothing e:
//   loss_r = (1 - e) (lse - x_t) + e (lse - mean_j x_j),   loss = sum_r loss_r / (rows counted)
//   dx_rj  = dloss / count * (softmax_rj - (1 - e) [j = t] - e / V)
// The backward recomputes the softmax from the logits and the saved lse per row instead of saving
// an [N, V] probability tensor: the logits are kept, nothing of their size is added.

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

// log(sum_j exp(x_j)) of one row, stable.
double log_sum_exp(const float* x, std::int64_t d) {
  float m = x[0];
  for (std::int64_t j = 1; j < d; ++j) m = std::max(m, x[j]);
  double z = 0;
  for (std::int64_t j = 0; j < d; ++j) z += std::exp(static_cast<double>(x[j]) - m);
  return m + std::log(z);
}

}  // namespace

Var log_softmax(Var x) {
  const Shape& xs = x.shape();
  require(!xs.empty() && xs.back() > 0, "log_softmax: input {} has no last axis to normalise",
          to_string(xs));
  Graph& g = *x.graph;
  const std::int64_t d = xs.back(), rows = x.value().numel() / d;
  Tensor y = g.new_tensor(xs);
  const float* xp = x.value().data();
  float* yp = y.data();
#pragma omp parallel for if (rows * d > kParallelMin)
  for (std::int64_t r = 0; r < rows; ++r) {
    const double lse = log_sum_exp(xp + r * d, d);
    for (std::int64_t j = 0; j < d; ++j) yp[r * d + j] = static_cast<float>(xp[r * d + j] - lse);
  }
  // dx = dy - softmax * sum(dy), softmax = exp(y): reads the output only.
  return g.record(y, {x}, [x = x.weak(), y, rows, d](Graph& g, const Tensor& gy) {
    float* gx = g.grad_target(x);
    const float* yp = y.data();
    const float* gp = gy.data();
#pragma omp parallel for if (rows * d > kParallelMin)
    for (std::int64_t r = 0; r < rows; ++r) {
      double total = 0;
      for (std::int64_t j = 0; j < d; ++j) total += gp[r * d + j];
      for (std::int64_t j = 0; j < d; ++j)
        gx[r * d + j] += gp[r * d + j] - std::exp(yp[r * d + j]) * static_cast<float>(total);
    }
  });
}

Var cross_entropy(Var logits, const std::vector<std::int64_t>& targets, std::int64_t ignore_index,
                  float label_smoothing) {
  const Shape& ls = logits.shape();
  require(ls.size() == 2 && ls[1] > 0, "cross_entropy: logits must be [N, V] with V >= 1, got {}",
          to_string(ls));
  const std::int64_t n = ls[0], v = ls[1];
  require(static_cast<std::int64_t>(targets.size()) == n,
          "cross_entropy: {} targets for logits {} (need one per row)", targets.size(),
          to_string(ls));
  require(label_smoothing >= 0.0f && label_smoothing <= 1.0f,
          "cross_entropy: label_smoothing {} outside [0, 1]", label_smoothing);
  std::int64_t count = 0;
  for (std::int64_t t : targets) {
    if (t == ignore_index) continue;
    require(t >= 0 && t < v, "cross_entropy: target {} outside [0, {}) and not ignore_index {}", t,
            v, ignore_index);
    ++count;
  }
  Graph& g = *logits.graph;
  // Saved for backward in arena memory: the targets as raw int64 bytes (two floats each), then
  // lse per row.
  Tensor saved = g.new_tensor({3 * n});
  if (n > 0) std::memcpy(saved.data(), targets.data(), sizeof(std::int64_t) * n);
  float* lse = saved.data() + 2 * n;
  const float* xp = logits.value().data();
  // Row losses in parallel, summed in row order: the result does not depend on the thread count.
  Tensor row_loss = g.new_temporary({n});
  const double e = label_smoothing;
#pragma omp parallel for if (n * v > kParallelMin)
  for (std::int64_t r = 0; r < n; ++r) {
    row_loss[r] = 0.0f;
    if (targets[r] == ignore_index) continue;
    const float* row = xp + r * v;
    const double l = log_sum_exp(row, v);
    lse[r] = static_cast<float>(l);
    double row_sum = 0;
    for (std::int64_t j = 0; j < v; ++j) row_sum += row[j];
    row_loss[r] = static_cast<float>((1.0 - e) * (l - row[targets[r]]) +
                                     e * (l - row_sum / static_cast<double>(v)));
  }
  double total = 0;
  for (std::int64_t r = 0; r < n; ++r) total += row_loss[r];
  Tensor y = g.new_tensor({});
  y[0] = count > 0 ? static_cast<float>(total / static_cast<double>(count))
                   : std::numeric_limits<float>::quiet_NaN();
  return g.record(
      y, {logits},
      [logits, saved, n, v, count, ignore_index, label_smoothing](Graph& g, const Tensor& gy) {
        if (count == 0) return;
        float* gx = g.grad_target(logits);
        const float* xp = logits.value().data();
        const float* lse = saved.data() + 2 * n;
        const float c = gy[0] / static_cast<float>(count);
        const float uniform = label_smoothing / static_cast<float>(v);
#pragma omp parallel for if (n * v > kParallelMin)
        for (std::int64_t r = 0; r < n; ++r) {
          std::int64_t t;
          std::memcpy(&t, saved.data() + 2 * r, sizeof t);
          if (t == ignore_index) continue;
          const float* row = xp + r * v;
          float* grow = gx + r * v;
          for (std::int64_t j = 0; j < v; ++j) grow[j] += c * (std::exp(row[j] - lse[r]) - uniform);
          grow[t] -= c * (1.0f - label_smoothing);
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
