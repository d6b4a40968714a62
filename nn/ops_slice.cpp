// slice(x, axis, start, stop): x[..., start:stop, ...] as a contiguous copy; the backward adds the
// output gradient into that window of the input gradient (the rest receives nothing). Neither
// direction reads a value, so the closure keeps nothing alive.

#include <cstdint>
#include <cstring>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {
constexpr std::int64_t kParallelMin = 1 << 15;
}  // namespace

Var slice(Var x, int axis, std::int64_t start, std::int64_t stop) {
  const Shape& xs = x.shape();
  const int rank = static_cast<int>(xs.size());
  const int a = axis < 0 ? axis + rank : axis;
  require(a >= 0 && a < rank, "slice: axis {} out of range for input {}", axis, to_string(xs));
  require(0 <= start && start < stop && stop <= xs[a],
          "slice: [{}, {}) is not a non-empty range inside axis {} of input {} (extent {})", start,
          stop, axis, to_string(xs), xs[a]);
  std::int64_t outer = 1, inner = 1;
  for (int d = 0; d < a; ++d) outer *= xs[d];
  for (int d = a + 1; d < rank; ++d) inner *= xs[d];
  const std::int64_t extent = xs[a], block = (stop - start) * inner;
  Shape ys = xs;
  ys[a] = stop - start;
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(ys);
  const float* xp = x.value().data();
  float* yp = y.data();
#pragma omp parallel for if (outer * block > kParallelMin)
  for (std::int64_t o = 0; o < outer; ++o)
    std::memcpy(yp + o * block, xp + (o * extent + start) * inner, sizeof(float) * block);
  return g.record(
      y, {x},
      [x = x.weak(), outer, extent, inner, start, block](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        const float* gp = gy.data();
#pragma omp parallel for if (outer * block > kParallelMin)
        for (std::int64_t o = 0; o < outer; ++o) {
          float* dst = gx + (o * extent + start) * inner;
          const float* src = gp + o * block;
          for (std::int64_t j = 0; j < block; ++j) dst[j] += src[j];
        }
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
