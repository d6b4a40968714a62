// Op-table entries of the elementwise ops: arithmetic, broadcasting along an axis, activations
// and math functions. References are libm in double.

#include <cmath>
#include <numbers>

#include "nn/ops.hpp"
#include "op_table.hpp"

namespace fieldlab::nn::op_table {
namespace {

const Shape kSmall{3, 4, 5};
const Shape kBench{1024, 1024};

OpCase unary_case(std::string op, Var (*f)(Var), double (*ref)(double), float lo = -3.0f,
                  float hi = 3.0f, float min_magnitude = 0.0f) {
  OpCase c;
  c.op = std::move(op);
  c.variant = "[3, 4, 5]";
  c.inputs = {{kSmall, lo, hi, min_magnitude}};
  c.build = [f](Graph&, const std::vector<Var>& v) { return f(v[0]); };
  c.reference = unary_reference(ref);
  c.gradient.eps = 5e-3f;
  c.bench_shapes = {kBench};
  return c;
}

OpCase binary_case(std::string op, Var (*f)(Var, Var), double (*ref)(double, double),
                   Input second = {kSmall}) {
  OpCase c;
  c.op = std::move(op);
  c.variant = "[3, 4, 5] and [3, 4, 5]";
  c.inputs = {{kSmall}, second};
  c.build = [f](Graph&, const std::vector<Var>& v) { return f(v[0], v[1]); };
  c.reference = binary_reference(ref);
  c.bench_shapes = {kBench, kBench};
  return c;
}

// x [outer, C, inner] with v [C] along `axis`, in double.
Reference along_reference(int axis, bool multiply) {
  return [axis, multiply](const std::vector<Tensor>& in) {
    const Shape& s = in[0].shape();
    const int rank = static_cast<int>(s.size()), a = axis < 0 ? axis + rank : axis;
    std::int64_t inner = 1;
    for (int d = a + 1; d < rank; ++d) inner *= s[d];
    Expected e{s, std::vector<double>(in[0].numel())};
    for (std::int64_t i = 0; i < in[0].numel(); ++i) {
      const double v = in[1][(i / inner) % s[a]];
      e.values[i] = multiply ? in[0][i] * v : in[0][i] + v;
    }
    return e;
  };
}

OpCase along_case(const char* op, Var (*f)(Var, Var, int), bool multiply, int axis,
                  std::int64_t channels, const char* variant) {
  OpCase c;
  c.op = op;
  c.variant = variant;
  c.inputs = {{kSmall}, {{channels}}};
  c.build = [f, axis](Graph&, const std::vector<Var>& v) { return f(v[0], v[1], axis); };
  c.reference = along_reference(axis, multiply);
  const std::int64_t bench_channels = axis == 1 ? 64 : 256;
  c.bench_shapes = {{16, 64, 32, 32}, {bench_channels}};
  if (axis != 1) c.bench_shapes[0] = {16, 64, 4, 256};
  return c;
}

double gelu_ref(double v) { return 0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2)); }
double gelu_tanh_ref(double v) {
  const double k = std::sqrt(2.0 / std::numbers::pi);
  return 0.5 * v * (1.0 + std::tanh(k * (v + 0.044715 * v * v * v)));
}
double silu_ref(double v) { return v / (1.0 + std::exp(-v)); }
double relu_ref(double v) { return v > 0 ? v : 0.0; }
double sigmoid_ref(double v) { return 1.0 / (1.0 + std::exp(-v)); }
double softplus_ref(double v) { return v > 20.0 ? v : std::log1p(std::exp(v)); }
double square_ref(double v) { return v * v; }

}  // namespace

void add_elementwise_cases(std::vector<OpCase>& cases) {
  cases.push_back(binary_case("add", add, [](double a, double b) { return a + b; }));
  cases.push_back(binary_case("sub", sub, [](double a, double b) { return a - b; }));
  cases.push_back(binary_case("mul", mul, [](double a, double b) { return a * b; }));
  cases.push_back(
      binary_case("div", div, [](double a, double b) { return a / b; }, {kSmall, 0.5f, 2.0f}));
  {
    OpCase c = unary_case(
        "scale", [](Var x) { return scale(x, -2.5f); }, [](double v) { return -2.5 * v; });
    c.variant = "[3, 4, 5] times -2.5";
    cases.push_back(c);
    c = unary_case(
        "add_scalar", [](Var x) { return add_scalar(x, 0.75f); },
        [](double v) { return v + 0.75; });
    c.variant = "[3, 4, 5] plus 0.75";
    cases.push_back(c);
  }
  cases.push_back(along_case("add_along", add_along, false, 1, 4, "[3, 4, 5] + [4] along axis 1"));
  cases.push_back(
      along_case("add_along", add_along, false, -1, 5, "[3, 4, 5] + [5] along axis -1"));
  cases.push_back(along_case("mul_along", mul_along, true, 1, 4, "[3, 4, 5] * [4] along axis 1"));
  cases.push_back(along_case("mul_along", mul_along, true, 0, 3, "[3, 4, 5] * [3] along axis 0"));
  cases.back().bench_shapes = {{64, 16, 32, 32}, {64}};
  // Past the OpenMP thresholds (the gradient of v is a parallel reduction over channels).
  cases.push_back(
      along_case("add_along", add_along, false, 1, 64, "[8, 64, 128] + [64] (parallel)"));
  cases.push_back(
      along_case("mul_along", mul_along, true, 1, 64, "[8, 64, 128] * [64] (parallel)"));
  for (std::size_t i = cases.size() - 2; i < cases.size(); ++i) {
    cases[i].inputs[0].shape = {8, 64, 128};
    cases[i].bench_shapes.clear();
    cases[i].gradient.max_checks_per_input = 16;
  }
  cases.push_back(
      binary_case("div", div, [](double a, double b) { return a / b; }, {{64, 1024}, 0.5f, 2.0f}));
  cases.back().variant = "[64, 1024] and [64, 1024] (parallel)";
  cases.back().inputs[0].shape = {64, 1024};
  cases.back().bench_shapes.clear();
  cases.back().gradient.max_checks_per_input = 16;

  cases.push_back(unary_case("gelu", gelu, gelu_ref));
  cases.push_back(unary_case("gelu_tanh", gelu_tanh, gelu_tanh_ref));
  cases.push_back(unary_case("silu", silu, silu_ref));
  cases.push_back(unary_case("tanh", tanh, [](double v) { return std::tanh(v); }));
  cases.push_back(unary_case("sin", sin, [](double v) { return std::sin(v); }));
  cases.push_back(unary_case("cos", cos, [](double v) { return std::cos(v); }));
  cases.push_back(unary_case("relu", relu, relu_ref, -3.0f, 3.0f, 0.05f));
  cases.back().gradient.note = "inputs kept 0.05 away from the kink at 0";
  cases.push_back(unary_case("sigmoid", sigmoid, sigmoid_ref, -6.0f, 6.0f));
  {
    OpCase c = unary_case("softplus", softplus, softplus_ref, -25.0f, 25.0f);
    c.variant = "[3, 4, 5] in [-25, 25] (both sides of the threshold 20)";
    cases.push_back(c);
  }
  cases.push_back(unary_case(
      "abs", abs, [](double v) { return std::abs(v); }, -3.0f, 3.0f, 0.05f));
  cases.back().gradient.note = "inputs kept 0.05 away from the kink at 0";
  cases.push_back(unary_case(
      "exp", exp, [](double v) { return std::exp(v); }, -2.0f, 2.0f));
  cases.push_back(unary_case(
      "log", log, [](double v) { return std::log(v); }, 0.2f, 3.0f));
  cases.push_back(unary_case(
      "sqrt", sqrt, [](double v) { return std::sqrt(v); }, 0.2f, 3.0f));
  cases.push_back(unary_case("square", square, square_ref));
  cases.push_back(unary_case("erf", erf, [](double v) { return std::erf(v); }));
  {
    OpCase c = unary_case(
        "pow", [](Var x) { return pow(x, 2.5f); }, [](double v) { return std::pow(v, 2.5); }, 0.2f,
        2.0f);
    c.variant = "[3, 4, 5] ^ 2.5";
    cases.push_back(c);
    c = unary_case(
        "pow", [](Var x) { return pow(x, -1.5f); }, [](double v) { return std::pow(v, -1.5); },
        0.5f, 2.0f);
    c.variant = "[3, 4, 5] ^ -1.5";
    c.bench_shapes.clear();
    cases.push_back(c);
    c = unary_case(
        "pow", [](Var x) { return pow(x, 2.0f); }, square_ref);
    c.variant = "[3, 4, 5] ^ 2 (square)";
    c.bench_shapes.clear();
    cases.push_back(c);
  }
}

}  // namespace fieldlab::nn::op_table
