#pragma once
// The QKAN regression demo: fit a function of two variables on [-1, 1]^2 with a small QKAN,
// optionally growing the DARUAN repetitions in stages (layer extension), with Adam or L-BFGS.

#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "quantum/qkan/daruan.hpp"
#include "quantum/qkan/qkan_layer.hpp"

namespace fieldlab::quantum::qkan {

struct RegressionConfig {
  std::string function = "exp-sin";  // exp(sin(pi x) + y^2); "product": x y
  std::vector<int> widths{2, 5, 1};
  // Repetitions per stage: {3} trains at r = 3; {1, 5, 10} trains at r = 1, extends to 5, ...
  std::vector<int> reps_schedule{3};
  std::string optimizer = "lbfgs";  // or "adam"
  // Per stage: Adam steps, or L-BFGS step() calls of up to lbfgs_iterations iterations each with
  // the strong-Wolfe line search and a history of 10 (pykan's / the reference package's fit loop
  // around torch.optim.LBFGS: 100 "steps" there are 100 such calls).
  int steps = 200;
  int lbfgs_iterations = 20;
  double learning_rate = 0.01;  // Adam only
  int train_samples = 1000, test_samples = 1000;
  unsigned long long seed = 1;
  DaruanReadout readout = DaruanReadout::pauli_z;
};

struct RegressionStage {
  int reps = 0;
  double train_mse = 0, test_mse = 0;
};

struct RegressionResult {
  std::vector<RegressionStage> stages;
  double train_mse = 0, test_mse = 0;  // after the last stage
  std::size_t params = 0;
  double seconds = 0;
};

double regression_target(const std::string& function, double x, double y);
RegressionResult train_regression(const RegressionConfig& config);

// One training stage of a QKAN on given data (what train_regression runs per stage, and what the
// Python QKAN.fit calls): x is samples x input_dim, y samples x output_dim, row-major.
struct FitOptions {
  std::string optimizer = "lbfgs";  // or "adam"
  int steps = 200;                  // Adam steps, or L-BFGS step() calls
  int lbfgs_iterations = 20;
  double learning_rate = 0.01;  // Adam only
};
// Fits net's parameters in place. Progress: one unit per step; a stop request ends the stage after
// the current step (the parameters reached so far are kept). Returns the steps run.
int fit_network(QkanNetwork& net, const std::vector<double>& x, const std::vector<double>& y,
                int samples, const FitOptions& options, const StopToken& stop = {},
                ProgressSink* progress = nullptr);

}  // namespace fieldlab::quantum::qkan
