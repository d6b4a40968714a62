// Shape ops: channel concatenation and reshape.

#include <algorithm>
#include <array>
#include <cstring>

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Var concat_channels(std::initializer_list<Var> xs) {
  return concat_channels(std::span<const Var>(xs.begin(), xs.size()));
}

Var concat_channels(std::span<const Var> xs) {
  require(!xs.empty(), "concat_channels: no inputs");
  require(xs.size() <= kMaxConcatInputs, "concat_channels: {} inputs, at most {} supported",
          xs.size(), kMaxConcatInputs);
  const Shape& first = xs[0].shape();
  require(first.size() >= 2, "concat_channels: inputs must be [N, C, ...], got {}",
          to_string(first));
  Shape out = first;
  out[1] = 0;
  for (const Var& v : xs) {
    Shape s = v.shape();
    require(s.size() == first.size(), "concat_channels: ranks differ ({} vs {})", to_string(s),
            to_string(first));
    out[1] += s[1];
    s[1] = first[1];
    require(s == first, "concat_channels: {} and {} differ outside the channel axis",
            to_string(v.shape()), to_string(first));
  }
  Graph& g = *xs[0].graph;
  Tensor y = g.new_tensor(out);
  const std::int64_t n = first[0];
  const std::int64_t inner = numel(first) / (first[0] * first[1]);
  const std::int64_t out_stride = out[1] * inner;
  std::int64_t offset = 0;
  for (const Var& v : xs) {
    const std::int64_t block = v.shape()[1] * inner;
    for (std::int64_t i = 0; i < n; ++i)
      std::memcpy(y.data() + i * out_stride + offset, v.value().data() + i * block,
                  sizeof(float) * block);
    offset += block;
  }
  // The backward only needs the inputs' gradients and shapes: weak handles that keep no value
  // alive, in a fixed array so the closure stays inline (no heap per step).
  std::array<Var, kMaxConcatInputs> inputs{};
  std::transform(xs.begin(), xs.end(), inputs.begin(), [](const Var& v) { return v.weak(); });
  const std::size_t count = xs.size();
  return g.record(
      y, xs,
      [inputs, count, n, inner, out_stride](Graph& g, const Tensor& gy) {
        std::int64_t offset = 0;
        for (std::size_t k = 0; k < count; ++k) {
          const Var& v = inputs[k];
          const std::int64_t block = v.shape()[1] * inner;
          if (float* gv = g.grad_target(v))
            for (std::int64_t i = 0; i < n; ++i) {
              const float* src = gy.data() + i * out_stride + offset;
              float* dst = gv + i * block;
              for (std::int64_t j = 0; j < block; ++j) dst[j] += src[j];
            }
          offset += block;
        }
      },
      OutputUse::not_read);
}

Var reshape(Var x, Shape shape) {
  Graph& g = *x.graph;
  Tensor y = x.value().reshaped(std::move(shape));  // shares storage: no copy
  const std::int64_t n = y.numel();
  return g.record(
      y, {x},
      [x = x.weak(), n](Graph& g, const Tensor& gy) {
        float* gx = g.grad_target(x);
        for (std::int64_t i = 0; i < n; ++i) gx[i] += gy[i];
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
