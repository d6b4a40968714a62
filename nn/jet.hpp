#pragma once
// Second-order input derivatives for physics-informed losses, by forward-mode jets.
//
// A Jet carries, for a batch of points, the value of a layer's output and, for each chosen input
// direction e_k, its first and second directional derivatives (d/de_k, d2/de_k2). Each jet rule is
// written with ordinary differentiable graph ops, so after the jets have been pushed through the
// network, a loss built from any of them (e.g. u_t - nu u_xx) is differentiated with respect to
// all parameters by the same single reverse sweep as any other loss. Cost: about 1 + 2D forward
// evaluations for D directions plus one reverse sweep, with no op needing a second-order backward
// rule (see docs/nn.md for the comparison with double backward).

#include <vector>

#include "nn/graph.hpp"

namespace fieldlab::nn {

struct Jet {
  Var value;
  std::vector<Var> d1;  // d1[k]: first derivative along direction k, same shape as value
  std::vector<Var> d2;  // d2[k]: second derivative along direction k
};

// Seeds a jet at the input x: [N, D] for the input axes `directions` (indices into D): d1 is the
// one-hot column, d2 is zero.
Jet jet_input(Graph& graph, const Tensor& x, const std::vector<int>& directions);

// Affine maps are linear: derivatives go through the weight without the bias.
Jet jet_linear(const Jet& x, Var weight, Var bias);
// Elementwise f: y' = f'(v) v',  y'' = f'(v) v'' + f''(v) v'^2.
Jet jet_tanh(const Jet& x);
Jet jet_sin(const Jet& x);
Jet jet_cos(const Jet& x);
Jet jet_exp(const Jet& x);
Jet jet_gelu(const Jet& x);  // exact GELU x Phi(x): f' = Phi + x phi, f'' = phi (2 - x^2)
Jet jet_silu(const Jet& x);  // x s(x): f' = s (1 + x (1 - s)), f'' = s (1 - s) (2 + x (1 - 2 s))
Jet jet_softplus(const Jet& x);  // f' = s(x), f'' = s (1 - s) (s the logistic sigmoid)

// Two jets over the same points and directions (a usage error otherwise):
//   (a +- b)' = a' +- b',  (a b)'' = a'' b + 2 a' b' + a b'',
//   y = a / b: y' = (a' - y b') / b,  y'' = (a'' - 2 y' b' - y b'') / b.
Jet jet_add(const Jet& a, const Jet& b);
Jet jet_sub(const Jet& a, const Jet& b);
Jet jet_mul(const Jet& a, const Jet& b);
Jet jet_div(const Jet& a, const Jet& b);
Jet jet_scale(const Jet& x, float factor);
Jet jet_add_scalar(const Jet& x, float value);  // derivatives unchanged

}  // namespace fieldlab::nn
