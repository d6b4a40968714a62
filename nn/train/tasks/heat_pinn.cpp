#include "nn/train/tasks/heat_pinn.hpp"

#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "nn/jet.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

double HeatPinn::exact(double x, double t, double nu) {
  constexpr double pi = std::numbers::pi;
  return std::exp(-nu * pi * pi * t) * std::sin(pi * x);
}

HeatPinn::HeatPinn(const PointwiseModel& model, const HeatPinnConfig& c)
    : model_(model), config_(c) {
  require(model.inputs() == 2 && model.outputs() == 1,
          "heat PINN: the model must map (x, t) to u (2 inputs, 1 output), '{}' maps {} to {}",
          model.name(), model.inputs(), model.outputs());
  require(model.has_jets(), "heat PINN: model '{}' has no jets for u_t and u_xx", model.name());
  require(c.interior >= 1 && c.initial >= 2 && c.boundary >= 1 && c.nu > 0,
          "heat PINN: needs interior >= 1, initial >= 2, boundary >= 1 points and nu > 0");
  const int n = c.interior;
  interior_ = Tensor({n * n, 2});
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      interior_[(i * n + j) * 2] = (i + 0.5f) / n;
      interior_[(i * n + j) * 2 + 1] = (j + 0.5f) / n;
    }
  const int m = c.initial;
  initial_ = Tensor({m, 2});
  initial_target_ = Tensor({m, 1});
  for (int i = 0; i < m; ++i) {
    initial_[i * 2] = i / static_cast<float>(m - 1);
    initial_target_[i] = static_cast<float>(exact(i / static_cast<double>(m - 1), 0.0, c.nu));
  }
  const int b = c.boundary;
  boundary_ = Tensor({2 * b, 2});
  for (int j = 0; j < b; ++j) {
    boundary_[j * 2] = 0.0f;
    boundary_[(b + j) * 2] = 1.0f;
    boundary_[j * 2 + 1] = boundary_[(b + j) * 2 + 1] = (j + 0.5f) / b;
  }
}

Var HeatPinn::loss(Graph& g) const {
  Jet u = model_.forward(g, jet_input(g, interior_, {0, 1}));
  Var r = sub(u.d1[1], scale(u.d2[0], static_cast<float>(config_.nu)));  // u_t - nu u_xx
  Var ui = model_.forward(g, jet_input(g, initial_, {})).value;
  Var ub = model_.forward(g, jet_input(g, boundary_, {})).value;
  Var e0 = sub(ui, g.constant(initial_target_));
  return add(add(mean(mul(r, r)), mean(mul(e0, e0))), mean(mul(ub, ub)));
}

double HeatPinn::relative_error(int m) const {
  Tensor pts({m * m, 2});
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      pts[(i * m + j) * 2] = i / (m - 1.0f);
      pts[(i * m + j) * 2 + 1] = j / (m - 1.0f);
    }
  Graph g;
  NoGradGuard ng(g);
  const Tensor u = model_.forward(g, jet_input(g, pts, {})).value.value();
  double num = 0, den = 0;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j) {
      const double e = exact(i / (m - 1.0), j / (m - 1.0), config_.nu);
      num += (u[i * m + j] - e) * (u[i * m + j] - e);
      den += e * e;
    }
  return std::sqrt(num / den);
}

HeatPinnResult train_heat_pinn(PointwiseModel& model, const HeatPinnConfig& config, StopToken stop,
                               ProgressSink* progress) {
  const HeatPinn task(model, config);
  HeatPinnResult result;
  result.error_initial = task.relative_error();
  FullBatch batches;
  Graph graph;  // reused: after the first step, no allocation per step
  const StepLoss step = [&](Graph& g) { return task.loss(g); };

  OptimizerConfig oc;
  oc.kind = OptimizerKind::adam;
  Optimizer adam(oc, model.parameters().size());
  TrainLoopOptions lo;
  lo.epochs = config.adam_steps;
  lo.label = "adam";
  lo.stop = stop;
  lo.progress = progress;
  const double lr = config.adam_lr;
  TrainLoop adam_loop(
      model.parameters(), adam, [lr](long long) { return lr; }, lo);
  result.adam = adam_loop.run(batches, graph, step, {});
  if (!result.adam.losses.empty()) result.adam_loss = result.adam.losses.back();
  result.error_adam = task.relative_error();
  result.stop = result.adam.stop;
  if (result.stop != TrainingStop::finished) {
    result.error_final = result.error_adam;
    return result;
  }

  LbfgsParameterStore lbfgs(model.parameters(), config.lbfgs);
  lo.epochs = config.lbfgs_steps;
  lo.label = "lbfgs";
  TrainLoop lbfgs_loop(model.parameters(), lbfgs, lo);
  result.lbfgs = lbfgs_loop.run(batches, graph, step, {});
  if (!lbfgs_loop.lbfgs_results().empty()) result.lbfgs_step = lbfgs_loop.lbfgs_results().back();
  result.error_final = task.relative_error();
  result.stop = result.lbfgs.stop;
  return result;
}

}  // namespace fieldlab::nn
