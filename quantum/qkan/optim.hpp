#pragma once
// Small optimisers for QKAN training until the nn engine exists: Adam and L-BFGS (two-loop
// recursion, backtracking Armijo line search), both on one flat parameter vector.

#include <functional>
#include <vector>

namespace fieldlab::quantum::qkan {

// Returns f(x) and writes its gradient.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;

struct AdamOptions {
  int steps = 1000;
  double learning_rate = 0.01;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};
// Returns the last objective value.
double adam(const Objective& f, std::vector<double>& x, const AdamOptions& options);

struct LbfgsOptions {
  int steps = 100;
  int memory = 10;
  double gradient_tolerance = 1e-10;
};
double lbfgs(const Objective& f, std::vector<double>& x, const LbfgsOptions& options);

}  // namespace fieldlab::quantum::qkan
