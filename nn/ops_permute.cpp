// Axis reordering as contiguous copies: permute (any order of the axes) and transpose (two axes
// swapped). Both outputs are fresh row-major tensors, so every later op sees contiguous memory.
// The backward scatters the output gradient back through the same index map; it reads no value.

#include <array>
#include <cstdint>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

// Output shape and, per output axis, the stride of the input axis it reads.
struct PermutePlan {
  Shape out;
  std::array<std::int64_t, Shape::kMaxRank> source_stride{};
};

PermutePlan plan_permute(const Shape& xs, std::span<const int> order) {
  const int rank = static_cast<int>(xs.size());
  require(static_cast<int>(order.size()) == rank,
          "permute: order has {} axes but the input {} has {}", order.size(), to_string(xs), rank);
  const Shape in_strides = row_major_strides(xs);
  std::array<bool, Shape::kMaxRank> seen{};
  PermutePlan plan;
  for (int i = 0; i < rank; ++i) {
    const int a = order[i] < 0 ? order[i] + rank : order[i];
    require(a >= 0 && a < rank && !seen[a],
            "permute: order entry {} is out of range or repeated for input {} (need each axis "
            "of 0..{} once)",
            order[i], to_string(xs), rank - 1);
    seen[a] = true;
    plan.out.push_back(xs[a]);
    plan.source_stride[i] = in_strides[a];
  }
  return plan;
}

// visit(j, s) for every output element j (row-major) and the input offset s it comes from.
// Different j never share an s, so the visits may run in parallel.
template <typename Visit>
void for_each_element(const PermutePlan& p, Visit visit) {
  const int rank = static_cast<int>(p.out.size());
  const std::int64_t total = numel(p.out);
  if (rank == 0) {
    if (total == 1) visit(0, 0);
    return;
  }
  const std::int64_t row = p.out[rank - 1], step = p.source_stride[rank - 1];
  if (row == 0) return;
  const std::int64_t rows = total / row;
#pragma omp parallel for if (total > kParallelMin)
  for (std::int64_t r = 0; r < rows; ++r) {
    std::int64_t rest = r, source = 0;
    for (int d = rank - 2; d >= 0; --d) {
      source += (rest % p.out[d]) * p.source_stride[d];
      rest /= p.out[d];
    }
    const std::int64_t base = r * row;
    for (std::int64_t j = 0; j < row; ++j) visit(base + j, source + j * step);
  }
}

}  // namespace

Var permute(Var x, std::initializer_list<int> order) {
  return permute(x, std::span<const int>(order.begin(), order.size()));
}

Var permute(Var x, std::span<const int> order) {
  const PermutePlan plan = plan_permute(x.shape(), order);
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(plan.out);
  const float* xp = x.value().data();
  float* yp = y.data();
  for_each_element(plan, [&](std::int64_t j, std::int64_t s) { yp[j] = xp[s]; });
  return g.record(
      y, {x},
      [x = x.weak(), plan](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* gp = gy.data();
        for_each_element(plan, [&](std::int64_t j, std::int64_t s) { gx[s] += gp[j]; });
      },
      OutputUse::not_read);
}

Var transpose(Var x, int axis0, int axis1) {
  const int rank = static_cast<int>(x.shape().size());
  const int a0 = axis0 < 0 ? axis0 + rank : axis0, a1 = axis1 < 0 ? axis1 + rank : axis1;
  require(a0 >= 0 && a0 < rank && a1 >= 0 && a1 < rank,
          "transpose: axes {} and {} out of range for input {}", axis0, axis1,
          to_string(x.shape()));
  std::array<int, Shape::kMaxRank> order{};
  for (int i = 0; i < rank; ++i) order[i] = i;
  std::swap(order[a0], order[a1]);
  return permute(x, std::span<const int>(order.data(), static_cast<std::size_t>(rank)));
}

}  // namespace fieldlab::nn
