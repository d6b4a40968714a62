#pragma once
// The heat-equation physics-informed network as a training task, the second user of the generic
// loop (nn/train_loop.hpp) after the frame-to-frame recipe: u_t = nu u_xx on (x, t) in [0, 1]^2,
// u(x, 0) = sin(pi x), u(0, t) = u(1, t) = 0, exact solution exp(-nu pi^2 t) sin(pi x).
//
// Any PointwiseModel with jets and 2 inputs (x, t) -> 1 output works (the registry's "mlp");
// u_t and u_xx come from forward-mode jets. The loss is the mean square of the residual
// u_t - nu u_xx on an n x n grid of interior cell centres, plus those of the initial condition on
// `initial` points of t = 0 and of the boundary values on `boundary` points per side, all fixed
// and deterministic. Training is Adam (full batch, constant lr), then full-batch L-BFGS with the
// strong-Wolfe line search, both through TrainLoop.

#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "nn/lbfgs.hpp"
#include "nn/models/model.hpp"
#include "nn/tensor.hpp"
#include "nn/train/train_loop.hpp"

namespace fieldlab::nn {

struct HeatPinnConfig {
  double nu = 0.1;
  int interior = 16;  // n: n x n residual points
  int initial = 32;   // points on t = 0, x = i / (initial - 1)
  int boundary = 16;  // points per side x = 0 and x = 1
  long long adam_steps = 2000;
  double adam_lr = 5e-3;
  // One L-BFGS step of up to max_iter iterations per loop step.
  long long lbfgs_steps = 1;
  LbfgsOptions lbfgs = [] {
    LbfgsOptions o;
    o.max_iter = 1000;
    o.max_eval = 1250;
    o.history_size = 50;
    o.tolerance_grad = 1e-9;
    o.tolerance_change = 1e-12;
    return o;
  }();
};

class HeatPinn {
 public:
  // `model` must map 2 inputs to 1 output and have jets (a usage error otherwise).
  HeatPinn(const PointwiseModel& model, const HeatPinnConfig& config);
  static double exact(double x, double t, double nu);
  // The physics-informed loss on `graph`.
  Var loss(Graph& graph) const;
  // Relative L2 error against the exact solution on an m x m grid of [0, 1]^2.
  double relative_error(int m = 41) const;

 private:
  const PointwiseModel& model_;
  HeatPinnConfig config_;
  Tensor interior_, initial_, boundary_, initial_target_;
};

struct HeatPinnResult {
  TrainLoopResult adam, lbfgs;
  double adam_loss = 0;    // the last Adam step's loss
  LbfgsResult lbfgs_step;  // the last L-BFGS step
  double error_initial = 0, error_adam = 0, error_final = 0;
  TrainingStop stop = TrainingStop::finished;  // interrupted when the token stopped a phase
};

// Trains `model` (initialised) on the task: Adam, then L-BFGS (skipped when Adam was stopped).
HeatPinnResult train_heat_pinn(PointwiseModel& model, const HeatPinnConfig& config,
                               StopToken stop = {}, ProgressSink* progress = nullptr);

}  // namespace fieldlab::nn
