#pragma once
// The op table: every differentiable op of nn/ops.hpp listed once or more (one OpCase per shape
// or option variant), each with
//   - its inputs (shapes and value ranges; random values from a fixed seed),
//   - how to build it on a Graph from those inputs (non-tensor arguments are fixed in the case),
//   - a forward reference: an independent naive loop in double computing the expected output,
//   - a gradient check against central differences with a per-op tolerance, or a note saying
//     why the gradient is not defined for some argument (dropout's mask, embedding's indices),
//   - a benchmark size.
// The same table drives tests/nn/test_op_table.cpp (correctness, gradients, coverage: it fails
// when an op declared in nn/ops.hpp has no entry) and bench/nn/bench_ops.cpp (Google Benchmark),
// in the spirit of ggml's tests/test-backend-ops.cpp. The table does not depend on doctest.
//
// Adding an op: add one or more OpCase entries in the op_table_*.cpp file of its kind (docs/nn.md
// has the full checklist).

#include <functional>
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace fieldlab::nn::op_table {

// One tensor argument: uniform random values in [lo, hi], pushed at least `min_magnitude` away from
// zero (for ops with a kink at 0, where central differences are meaningless).
struct Input {
  Shape shape;
  float lo = -1.0f, hi = 1.0f;
  float min_magnitude = 0.0f;
};

struct Expected {
  Shape shape;
  std::vector<double> values;  // row-major
};

using Build = std::function<Var(Graph&, const std::vector<Var>&)>;
using Reference = std::function<Expected(const std::vector<Tensor>&)>;

struct GradientCheck {
  bool defined = true;  // false: only the forward is checked, `note` says why
  std::string note;     // e.g. what is held fixed ("mask from a fixed seed", "indices")
  float eps = 1e-2f;    // central-difference step
  double atol = 5e-4, rtol = 5e-3;
  int max_checks_per_input = 64;
};

struct OpCase {
  std::string op;       // the function's name in nn/ops.hpp
  std::string variant;  // what this case covers (shapes, options)
  std::vector<Input> inputs;
  Build build;
  Reference reference;
  double forward_tolerance = 1e-5;  // max |y - ref| / (1 + |ref|)
  GradientCheck gradient;
  std::vector<Shape> bench_shapes;  // benchmark inputs (same ranges as `inputs`); empty: none
};

// Every case, grouped by kind (op_table_elementwise.cpp, op_table_shape.cpp, op_table_nn.cpp).
const std::vector<OpCase>& all_cases();
void add_elementwise_cases(std::vector<OpCase>& cases);
void add_shape_cases(std::vector<OpCase>& cases);
void add_nn_cases(std::vector<OpCase>& cases);

// The case's inputs at its test shapes, or at its bench shapes.
std::vector<Tensor> make_inputs(const OpCase& c, bool bench_size = false, unsigned seed = 1);

// Largest |y - ref| / (1 + |ref|) of `value` against the reference (infinity when the shapes
// differ or a value is not finite).
double forward_error(const OpCase& c, const Tensor& value, const std::vector<Tensor>& inputs);

// An elementwise reference: f applied to every element of input 0 (or of inputs 0 and 1).
Reference unary_reference(double (*f)(double));
Reference binary_reference(double (*f)(double, double));

}  // namespace fieldlab::nn::op_table
