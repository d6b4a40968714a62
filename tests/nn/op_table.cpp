// The op table's registry, input generation and forward comparison (op_table.hpp).

#include "op_table.hpp"

#include <cmath>
#include <limits>
#include <random>

namespace fieldlab::nn::op_table {

const std::vector<OpCase>& all_cases() {
  static const std::vector<OpCase> cases = [] {
    std::vector<OpCase> c;
    add_elementwise_cases(c);
    add_shape_cases(c);
    add_nn_cases(c);
    return c;
  }();
  return cases;
}

std::vector<Tensor> make_inputs(const OpCase& c, bool bench_size, unsigned seed) {
  std::vector<Tensor> out;
  std::mt19937 rng(seed);
  for (std::size_t k = 0; k < c.inputs.size(); ++k) {
    const Input& in = c.inputs[k];
    Tensor t(bench_size ? c.bench_shapes.at(k) : in.shape);
    std::uniform_real_distribution<float> u(in.lo, in.hi);
    for (std::int64_t i = 0; i < t.numel(); ++i) {
      float v = u(rng);
      if (std::abs(v) < in.min_magnitude) v = v < 0 ? v - in.min_magnitude : v + in.min_magnitude;
      t[i] = v;
    }
    out.push_back(std::move(t));
  }
  return out;
}

double forward_error(const OpCase& c, const Tensor& value, const std::vector<Tensor>& inputs) {
  const Expected e = c.reference(inputs);
  if (!(e.shape == value.shape()) || static_cast<std::int64_t>(e.values.size()) != value.numel())
    return std::numeric_limits<double>::infinity();
  double worst = 0;
  for (std::int64_t i = 0; i < value.numel(); ++i) {
    const double err = std::abs(value[i] - e.values[i]) / (1.0 + std::abs(e.values[i]));
    if (!std::isfinite(err)) return std::numeric_limits<double>::infinity();
    worst = std::max(worst, err);
  }
  return worst;
}

Reference unary_reference(double (*f)(double)) {
  return [f](const std::vector<Tensor>& in) {
    Expected e{in[0].shape(), std::vector<double>(in[0].numel())};
    for (std::int64_t i = 0; i < in[0].numel(); ++i) e.values[i] = f(in[0][i]);
    return e;
  };
}

Reference binary_reference(double (*f)(double, double)) {
  return [f](const std::vector<Tensor>& in) {
    Expected e{in[0].shape(), std::vector<double>(in[0].numel())};
    for (std::int64_t i = 0; i < in[0].numel(); ++i) e.values[i] = f(in[0][i], in[1][i]);
    return e;
  };
}

}  // namespace fieldlab::nn::op_table
