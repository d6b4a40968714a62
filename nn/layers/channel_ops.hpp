#pragma once
// Small ops that conditioned models and attention layers need on top of nn/ops.hpp: per-sample,
// per-channel broadcasts over an image (how a conditioning embedding enters a ConvBlock) and a
// slice along the first axis (how PyTorch's packed in_proj_weight is split into Q, K, V).

#include <cstdint>

#include "nn/graph.hpp"

namespace fieldlab::nn {

// x: [N, C, ...], shift: [N, C]: y[n, c, ...] = x[n, c, ...] + shift[n, c].
Var add_channelwise(Var x, Var shift);
// x: [N, C, ...], scale_shift: [N, 2C] (scale = first C columns, shift = last C, as
// torch.chunk(emb, 2, dim=1)): y = x * (1 + scale) + shift.
Var scale_shift_channelwise(Var x, Var scale_shift);
// Rows [start, start + length) of x along its first axis (a copy; gradients flow back).
Var narrow_rows(Var x, std::int64_t start, std::int64_t length);

}  // namespace fieldlab::nn
