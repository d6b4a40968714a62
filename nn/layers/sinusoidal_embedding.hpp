#pragma once
// Sinusoidal ("Fourier") embedding of scalars such as a time step dt or a PDE parameter, as
// PDEArena's fourier_embedding: for half = dim / 2 frequencies f_k = exp(-ln(max_period) k / half),
// the row of value t is [cos(t f_0) ... cos(t f_{half-1}), sin(t f_0) ... sin(t f_{half-1})]
// (a zero column appended when dim is odd). Computed in float32 in the reference's order.

#include <span>

#include "nn/tensor.hpp"

namespace fieldlab::nn {

// [values.size(), dim]
Tensor sinusoidal_embedding(std::span<const float> values, int dim, double max_period = 1e4);
// The same into `out` ([values.size(), dim], e.g. a graph arena tensor: no allocation per step).
void sinusoidal_embedding(std::span<const float> values, int dim, double max_period, Tensor& out);

}  // namespace fieldlab::nn
