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

void require_matching(const Jet& a, const Jet& b, const char* op) {
  require(a.d1.size() == b.d1.size(), "{}: jets carry {} and {} directions (they must match)", op,
          a.d1.size(), b.d1.size());
  require_same_shape(a.value.shape(), b.value.shape(), op);
}

constexpr float kInvSqrt2Pi = 0.39894228040143268f;  // 1 / sqrt(2 pi)
constexpr float kInvSqrt2 = 0.70710678118654752f;

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

Jet jet_cos(const Jet& x) {
  const Var y = cos(x.value);
  return chain(x, y, scale(sin(x.value), -1.0f), scale(y, -1.0f));
}

Jet jet_exp(const Jet& x) {
  const Var y = exp(x.value);
  return chain(x, y, y, y);
}

Jet jet_gelu(const Jet& x) {
  const Var& v = x.value;
  const Var pdf = scale(exp(scale(square(v), -0.5f)), kInvSqrt2Pi);         // phi(v)
  const Var cdf = scale(add_scalar(erf(scale(v, kInvSqrt2)), 1.0f), 0.5f);  // Phi(v)
  const Var f1 = add(cdf, mul(v, pdf));
  const Var f2 = mul(pdf, add_scalar(scale(square(v), -1.0f), 2.0f));
  return chain(x, gelu(v), f1, f2);
}

Jet jet_silu(const Jet& x) {
  const Var& v = x.value;
  const Var s = sigmoid(v);
  const Var one_minus_s = add_scalar(scale(s, -1.0f), 1.0f);
  const Var f1 = mul(s, add_scalar(mul(v, one_minus_s), 1.0f));
  const Var f2 =
      mul(mul(s, one_minus_s), add_scalar(mul(v, add_scalar(scale(s, -2.0f), 1.0f)), 2.0f));
  return chain(x, silu(v), f1, f2);
}

Jet jet_softplus(const Jet& x) {
  // Above softplus's threshold (20) s = 1 and s (1 - s) = 0 in float, matching its linear branch.
  const Var s = sigmoid(x.value);
  return chain(x, softplus(x.value), s, mul(s, add_scalar(scale(s, -1.0f), 1.0f)));
}

namespace {

// A linear op applies to the value and to every derivative alike.
template <typename Op>
Jet componentwise(const Jet& a, const Jet& b, const char* name, Op op) {
  require_matching(a, b, name);
  Jet out;
  out.value = op(a.value, b.value);
  for (std::size_t k = 0; k < a.d1.size(); ++k) {
    out.d1.push_back(op(a.d1[k], b.d1[k]));
    out.d2.push_back(op(a.d2[k], b.d2[k]));
  }
  return out;
}

}  // namespace

Jet jet_add(const Jet& a, const Jet& b) {
  return componentwise(a, b, "jet_add", [](Var x, Var y) { return add(x, y); });
}

Jet jet_sub(const Jet& a, const Jet& b) {
  return componentwise(a, b, "jet_sub", [](Var x, Var y) { return sub(x, y); });
}

Jet jet_mul(const Jet& a, const Jet& b) {
  require_matching(a, b, "jet_mul");
  Jet out;
  out.value = mul(a.value, b.value);
  for (std::size_t k = 0; k < a.d1.size(); ++k) {
    out.d1.push_back(add(mul(a.d1[k], b.value), mul(a.value, b.d1[k])));
    const Var cross = scale(mul(a.d1[k], b.d1[k]), 2.0f);
    out.d2.push_back(add(add(mul(a.d2[k], b.value), cross), mul(a.value, b.d2[k])));
  }
  return out;
}

Jet jet_div(const Jet& a, const Jet& b) {
  require_matching(a, b, "jet_div");
  Jet out;
  out.value = div(a.value, b.value);
  for (std::size_t k = 0; k < a.d1.size(); ++k) {
    const Var y1 = div(sub(a.d1[k], mul(out.value, b.d1[k])), b.value);
    const Var top = sub(sub(a.d2[k], scale(mul(y1, b.d1[k]), 2.0f)), mul(out.value, b.d2[k]));
    out.d1.push_back(y1);
    out.d2.push_back(div(top, b.value));
  }
  return out;
}

Jet jet_scale(const Jet& x, float factor) {
  Jet out;
  out.value = scale(x.value, factor);
  for (std::size_t k = 0; k < x.d1.size(); ++k) {
    out.d1.push_back(scale(x.d1[k], factor));
    out.d2.push_back(scale(x.d2[k], factor));
  }
  return out;
}

Jet jet_add_scalar(const Jet& x, float value) {
  Jet out = x;
  out.value = add_scalar(x.value, value);
  return out;
}

}  // namespace fieldlab::nn
