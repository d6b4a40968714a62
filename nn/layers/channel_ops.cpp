#include "nn/layers/channel_ops.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace fieldlab::nn {
namespace {

// N, C and the size of one channel plane for x: [N, C, ...].
struct Planes {
  std::int64_t n, c, plane;
};

Planes planes(const Shape& s, const Shape& per_channel, std::int64_t factor, const char* op) {
  require(s.size() >= 2 && per_channel.size() == 2 && per_channel[0] == s[0] &&
              per_channel[1] == factor * s[1],
          "{}: input {} and per-channel values {} do not match (expected [N, C, ...] and [N, "
          "{}C])",
          op, to_string(s), to_string(per_channel), factor);
  return {s[0], s[1], numel(s) / (s[0] * s[1])};
}

}  // namespace

Var add_channelwise(Var x, Var shift) {
  const Planes p = planes(x.shape(), shift.shape(), 1, "add_channelwise");
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  const float* sp = shift.value().data();
#pragma omp parallel for if (p.n * p.c * p.plane > (1 << 15))
  for (std::int64_t nc = 0; nc < p.n * p.c; ++nc) {
    const float s = sp[nc];
    for (std::int64_t i = 0; i < p.plane; ++i) y[nc * p.plane + i] = xp[nc * p.plane + i] + s;
  }
  return g.record(
      y, {x, shift},
      [x = x.weak(), shift = shift.weak(), p](Graph& g, const Tensor& gy) {
        if (float* gx = g.grad_target(x))
          for (std::int64_t i = 0; i < gy.numel(); ++i) gx[i] += gy[i];
        if (float* gs = g.grad_target(shift))
          for (std::int64_t nc = 0; nc < p.n * p.c; ++nc) {
            double acc = 0;
            for (std::int64_t i = 0; i < p.plane; ++i) acc += gy[nc * p.plane + i];
            gs[nc] += static_cast<float>(acc);
          }
      },
      OutputUse::not_read);
}

Var scale_shift_channelwise(Var x, Var scale_shift) {
  const Planes p = planes(x.shape(), scale_shift.shape(), 2, "scale_shift_channelwise");
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(x.shape());
  const float* xp = x.value().data();
  const float* ss = scale_shift.value().data();
#pragma omp parallel for collapse(2) if (p.n * p.c * p.plane > (1 << 15))
  for (std::int64_t n = 0; n < p.n; ++n)
    for (std::int64_t c = 0; c < p.c; ++c) {
      const float a = 1.0f + ss[n * 2 * p.c + c], b = ss[n * 2 * p.c + p.c + c];
      const std::int64_t o = (n * p.c + c) * p.plane;
      for (std::int64_t i = 0; i < p.plane; ++i) y[o + i] = xp[o + i] * a + b;
    }
  return g.record(
      y, {x, scale_shift},
      [x, scale_shift, p](Graph& g, const Tensor& gy) {
        const float* xp = x.value().data();
        const float* ss = scale_shift.value().data();
        float* gx = g.grad_target(x);
        float* gss = g.grad_target(scale_shift);
        for (std::int64_t n = 0; n < p.n; ++n)
          for (std::int64_t c = 0; c < p.c; ++c) {
            const float a = 1.0f + ss[n * 2 * p.c + c];
            const std::int64_t o = (n * p.c + c) * p.plane;
            double d_scale = 0, d_shift = 0;
            for (std::int64_t i = 0; i < p.plane; ++i) {
              if (gx) gx[o + i] += gy[o + i] * a;
              d_scale += static_cast<double>(gy[o + i]) * xp[o + i];
              d_shift += gy[o + i];
            }
            if (gss) {
              gss[n * 2 * p.c + c] += static_cast<float>(d_scale);
              gss[n * 2 * p.c + p.c + c] += static_cast<float>(d_shift);
            }
          }
      },
      OutputUse::not_read);
}

Var narrow_rows(Var x, std::int64_t start, std::int64_t length) {
  const Shape& s = x.shape();
  require(!s.empty() && start >= 0 && length > 0 && start + length <= s[0],
          "narrow_rows: rows [{}, {}) outside {}", start, start + length, to_string(s));
  Shape ys = s;
  ys[0] = length;
  const std::int64_t row = numel(s) / s[0];
  Graph& g = *x.graph;
  Tensor y = g.new_tensor(ys);
  std::copy_n(x.value().data() + start * row, length * row, y.data());
  return g.record(
      y, {x},
      [x = x.weak(), start, row](Graph& g, const Tensor& gy) {
        if (float* gx = g.grad_target(x))
          for (std::int64_t i = 0; i < gy.numel(); ++i) gx[start * row + i] += gy[i];
      },
      OutputUse::not_read);
}

}  // namespace fieldlab::nn
