#pragma once
// Stacked forward-mode jets: the value of a layer's output and its input derivatives in one
// tensor [S, N, W] (S streams of N points by W features), so a whole network's jets take one GEMM
// per Linear and one fused kernel per activation, then one reverse sweep for the weight gradient.
// The same mathematics as nn/jet.hpp (where each stream is its own graph variable and each
// chain-rule term its own op); this layout is what the physics-informed tasks run on.
//
// Streams: 0 the value; 1 .. D the first derivatives along the D chosen input directions; then one
// stream per direction that asked for its second derivative, in direction order (a direction
// without one, such as t in u_t - nu u_xx, costs one stream instead of two).
//
//   linear:      y = x W^T + b on the value stream, x W^T on every derivative stream
//   activation:  y = f(v), y'_k = f'(v) v'_k, y''_k = f'(v) v''_k + f''(v) (v'_k)^2
//   backward of the activation (hand-written, one pass; f''' enters through y''):
//     dv  = G0 f' + sum_k G1_k v'_k f'' + G2_k (v''_k f'' + (v'_k)^2 f''')
//     dv'_k = G1_k f' + 2 G2_k f'' v'_k,   dv''_k = G2_k f'

#include <cstdint>
#include <vector>

#include "nn/graph.hpp"
#include "nn/jet.hpp"

namespace fieldlab::nn {

struct JetStack {
  Var data;                 // [S, N, W]
  int directions = 0;       // D
  std::vector<int> second;  // per direction: the stream of its second derivative, or -1

  std::int64_t streams() const { return data.shape()[0]; }
  std::int64_t points() const { return data.shape()[1]; }
  std::int64_t width() const { return data.shape()[2]; }
  // One stream as [N, W] (a copy in the graph, differentiable).
  Var stream(int s) const;
  Var value() const { return stream(0); }
  Var d1(int k) const;  // first derivative along direction k
  Var d2(int k) const;  // second derivative along k (a usage error when not carried)
  bool has_second(int k) const { return k < directions && second[k] >= 0; }
};

// The stream layout for D directions of which those with want_second[k] carry second derivatives.
std::vector<int> jet_stack_layout(const std::vector<bool>& want_second);

// The stacked tensor [S, N, W] of a constant jet: value [N, W], d1[k] [N, W] for each direction,
// d2[k] [N, W] or an empty Tensor (numel 0) for a direction without a second derivative. Made
// once (collocation features), then used every step by jet_stack_constant without a copy.
Tensor stack_jet_tensors(const Tensor& value, const std::vector<Tensor>& d1,
                         const std::vector<Tensor>& d2);
// A constant jet over `stacked` (which must outlive the graph's step) with the layout of
// `want_second` (one entry per direction).
JetStack jet_stack_constant(Graph& graph, const Tensor& stacked,
                            const std::vector<bool>& want_second);
// The jet of the inputs x [N, D] along the input axes `directions` (one-hot first derivatives,
// zero second derivatives where want_second).
JetStack jet_stack_input(Graph& graph, const Tensor& x, const std::vector<int>& directions,
                         const std::vector<bool>& want_second);

JetStack jet_stack_linear(const JetStack& x, Var weight, Var bias);
JetStack jet_stack_tanh(const JetStack& x);
JetStack jet_stack_sin(const JetStack& x);

// The per-stream form (nn/jet.hpp), for tests and for layers without a stacked rule; a direction
// without a second derivative gets an undefined d2 Var.
Jet to_jet(const JetStack& x);

}  // namespace fieldlab::nn
