#pragma once
// Adam on one flat double parameter vector for QKAN fits (nn's Adam works on float parameter
// stores). L-BFGS is the project's one implementation, nn::Lbfgs (nn/lbfgs.hpp), which takes the
// same kind of double closure.

#include <functional>
#include <vector>

namespace fieldlab::quantum::qkan {

// Returns f(x) and writes its gradient.
using Objective = std::function<double(const std::vector<double>& x, std::vector<double>& grad)>;

struct AdamOptions {
  int steps = 1000;
  double learning_rate = 0.01;
  double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  // Called after each step (1-based); returning false ends the run there (a stop request).
  std::function<bool(int step)> after_step;
};
// Returns the last objective value.
double adam(const Objective& f, std::vector<double>& x, const AdamOptions& options);

}  // namespace fieldlab::quantum::qkan
