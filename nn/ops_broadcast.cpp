// Broadcasting along one axis: x [outer..., C, inner...] with a vector v [C]. Only this one form
// exists (the same-shape add/mul stay strict), so a shape slip elsewhere is still an error.

#include <cstdint>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;

// x viewed as [outer, C, inner] around `axis`.
struct AlongAxis {
  std::int64_t outer = 1, channels = 1, inner = 1;
};

AlongAxis split_along(const Shape& xs, const Shape& vs, int axis, const char* op) {
  const int rank = static_cast<int>(xs.size());
  const int a = axis < 0 ? axis + rank : axis;
  require(a >= 0 && a < rank, "{}: axis {} out of range for input {}", op, axis, to_string(xs));
  require(vs.size() == 1 && vs[0] == xs[a],
          "{}: vector {} does not match axis {} of input {} (expected [{}])", op, to_string(vs),
          axis, to_string(xs), xs[a]);
  AlongAxis s;
  for (int d = 0; d < a; ++d) s.outer *= xs[d];
  s.channels = xs[a];
  for (int d = a + 1; d < rank; ++d) s.inner *= xs[d];
  return s;
}

// gv[c] += sum over outer and inner of gy (times x when `x` is given), accumulated in double.
void reduce_to_vector(const float* gy, const float* x, AlongAxis s, float* gv) {
  const std::int64_t total = s.outer * s.channels * s.inner;
#pragma omp parallel for if (total > kParallelMin && s.channels > 1)
  for (std::int64_t c = 0; c < s.channels; ++c) {
    double acc = 0;
    for (std::int64_t o = 0; o < s.outer; ++o) {
      const std::int64_t base = (o * s.channels + c) * s.inner;
      if (x)
        for (std::int64_t i = 0; i < s.inner; ++i)
          acc += static_cast<double>(gy[base + i]) * x[base + i];
      else
        for (std::int64_t i = 0; i < s.inner; ++i) acc += gy[base + i];
    }
    gv[c] += static_cast<float>(acc);
  }
}

// y[o, c, i] = f(x[o, c, i], v[c]) into a new arena tensor (the forward of add/mul_along).
template <typename F>
Tensor map_along(Graph& g, Var x, Var v, const AlongAxis& s, F f) {
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  const float* vp = v.value().data();
  float* yp = y.data();
  const std::int64_t rows = s.outer * s.channels;
#pragma omp parallel for if (rows * s.inner > kParallelMin)
  for (std::int64_t r = 0; r < rows; ++r) {
    const float c = vp[r % s.channels];
    for (std::int64_t i = 0; i < s.inner; ++i) yp[r * s.inner + i] = f(xp[r * s.inner + i], c);
  }
  return y;
}

}  // namespace

Var add_along(Var x, Var v, int axis) {
  const AlongAxis s = split_along(x.shape(), v.shape(), axis, "add_along");
  Graph& g = *x.graph;
  Tensor y = map_along(g, x, v, s, [](float a, float c) { return a + c; });
  return g.record(
      y, {x, v},
      [x = x.weak(), v = v.weak(), s](Graph& g, const Tensor& gy) {
        const std::int64_t n = s.outer * s.channels * s.inner;
        if (float* gx = g.grad_target(x)) {
#pragma omp parallel for simd if (n > kParallelMin)
          for (std::int64_t i = 0; i < n; ++i) gx[i] += gy[i];
        }
        if (float* gv = g.grad_target(v)) reduce_to_vector(gy.data(), nullptr, s, gv);
      },
      OutputUse::not_read);
}

Var mul_along(Var x, Var v, int axis) {
  const AlongAxis s = split_along(x.shape(), v.shape(), axis, "mul_along");
  Graph& g = *x.graph;
  Tensor y = map_along(g, x, v, s, [](float a, float c) { return a * c; });
  // dx += dy v[c] reads v; dv[c] += sum dy x reads x. The output is not read.
  return g.record(
      y, {x, v},
      [x, v, s](Graph& g, const Tensor& gy) {
        const std::int64_t rows = s.outer * s.channels;
        if (float* gx = g.grad_target(x)) {
          const float* vp = v.value().data();
#pragma omp parallel for if (rows * s.inner > kParallelMin)
          for (std::int64_t r = 0; r < rows; ++r) {
            const float m = vp[r % s.channels];
            for (std::int64_t i = 0; i < s.inner; ++i)
              gx[r * s.inner + i] += gy[r * s.inner + i] * m;
          }
        }
        if (float* gv = g.grad_target(v)) reduce_to_vector(gy.data(), x.value().data(), s, gv);
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
