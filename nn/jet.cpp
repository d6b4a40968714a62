#include "nn/jet.hpp"

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

// Combines the chain rule given f'(v) and f''(v) as graph variables.
Jet chain(const Jet& x, Var y, Var f1, Var f2) {
  Jet out;
  out.value = y;
  for (std::size_t k = 0; k < x.d1.size(); ++k) {
    out.d1.push_back(mul(f1, x.d1[k]));
    out.d2.push_back(add(mul(f1, x.d2[k]), mul(f2, mul(x.d1[k], x.d1[k]))));
  }
  return out;
}

}  // namespace

Jet jet_input(Graph& graph, const Tensor& x, const std::vector<int>& directions) {
  require(x.dim() == 2, "jet_input: points must be [N, D], got {}", to_string(x.shape()));
  Jet jet;
  jet.value = graph.constant(x);
  const std::int64_t n = x.size(0), d = x.size(1);
  for (int k : directions) {
    require(k >= 0 && k < d, "jet_input: direction {} out of range for {} input axes", k, d);
    Tensor e = graph.new_zeros(x.shape());
    for (std::int64_t i = 0; i < n; ++i) e[i * d + k] = 1.0f;
    jet.d1.push_back(graph.constant(e));
    jet.d2.push_back(graph.constant(graph.new_zeros(x.shape())));
  }
  return jet;
}

Jet jet_linear(const Jet& x, Var weight, Var bias) {
  Jet out;
  out.value = linear(x.value, weight, bias);
  for (std::size_t k = 0; k < x.d1.size(); ++k) {
    out.d1.push_back(linear(x.d1[k], weight, Var{}));
    out.d2.push_back(linear(x.d2[k], weight, Var{}));
  }
  return out;
}

Jet jet_tanh(const Jet& x) {
  const Var y = tanh(x.value);
  const Var f1 = add_scalar(scale(mul(y, y), -1.0f), 1.0f);  // 1 - y^2
  const Var f2 = scale(mul(y, f1), -2.0f);                   // -2 y (1 - y^2)
  return chain(x, y, f1, f2);
}

Jet jet_sin(const Jet& x) {
  const Var y = sin(x.value);
  return chain(x, y, cos(x.value), scale(y, -1.0f));
}

}  // namespace fieldlab::nn
