#include "quantum/nn/regression.hpp"

#include <chrono>
#include <cmath>
#include <random>
#include <span>

#include "core/error.hpp"
#include "nn/lbfgs.hpp"
#include "quantum/qkan/optim.hpp"
#include "quantum/qkan/qkan_layer.hpp"

namespace fieldlab::quantum::qkan {

double regression_target(const std::string& function, double x, double y) {
  if (function == "exp-sin") return std::exp(std::sin(M_PI * x) + y * y);
  if (function == "product") return x * y;
  fail(ErrorKind::usage, "unknown regression function '{}' (exp-sin, product)", function);
}

int fit_network(QkanNetwork& net, const std::vector<double>& x, const std::vector<double>& y,
                int samples, const FitOptions& c, const StopToken& stop, ProgressSink* progress) {
  require(c.optimizer == "lbfgs" || c.optimizer == "adam", "unknown optimizer '{}' (lbfgs, adam)",
          c.optimizer);
  require(samples >= 1, "fit: need at least one sample (got {})", samples);
  require(x.size() == static_cast<std::size_t>(samples) * net.input_dim() &&
              y.size() == static_cast<std::size_t>(samples) * net.output_dim(),
          "fit: {} samples need {} inputs and {} targets, got {} and {}", samples,
          static_cast<std::size_t>(samples) * net.input_dim(),
          static_cast<std::size_t>(samples) * net.output_dim(), x.size(), y.size());
  const Objective f = [&](const std::vector<double>& p, std::vector<double>& g) {
    net.params() = p;
    return net.mse_and_gradient(x, y, samples, g);
  };
  std::vector<double> p = net.params();
  ProgressPhase phase(progress, "qkan fit", c.steps);
  int done = 0;
  if (c.optimizer == "lbfgs") {
    nn::LbfgsOptions o;
    o.max_iter = c.lbfgs_iterations;
    o.history_size = 10;
    o.tolerance_grad = 1e-32;  // run every iteration asked for, as pykan's fit does
    o.tolerance_change = 1e-32;
    nn::Lbfgs opt(static_cast<std::int64_t>(p.size()), o);
    std::vector<double> xv, gv;
    const nn::LbfgsClosure closure = [&](std::span<const double> xs, std::span<double> g) {
      xv.assign(xs.begin(), xs.end());
      const double v = f(xv, gv);
      std::copy(gv.begin(), gv.end(), g.begin());
      return v;
    };
    for (int k = 0; k < c.steps && !stop.stop_requested(); ++k) {
      const nn::LbfgsResult res = opt.step(p, closure);
      ++done;
      phase.advance(1);
      if (res.reason == nn::LbfgsStop::change_tolerance ||
          res.reason == nn::LbfgsStop::gradient_tolerance)
        break;  // converged to the last bit: further calls would not move
    }
  } else {
    AdamOptions o;
    o.steps = c.steps;
    o.learning_rate = c.learning_rate;
    o.after_step = [&](int step) {
      done = step;
      phase.advance(1);
      return !stop.stop_requested();
    };
    if (!stop.stop_requested()) adam(f, p, o);
  }
  net.params() = p;
  return done;
}

RegressionResult train_regression(const RegressionConfig& c) {
  require(!c.reps_schedule.empty(), "empty repetition schedule");
  require(c.widths.size() >= 2 && c.widths.front() == 2 && c.widths.back() == 1,
          "regression networks map 2 inputs to 1 output, got widths starting {} ending {}",
          c.widths.front(), c.widths.back());
  require(c.optimizer == "lbfgs" || c.optimizer == "adam", "unknown optimizer '{}' (lbfgs, adam)",
          c.optimizer);
  for (std::size_t k = 1; k < c.reps_schedule.size(); ++k)
    require(c.reps_schedule[k] >= c.reps_schedule[k - 1], "repetition schedule must not decrease");
  std::mt19937_64 rng(c.seed);
  std::uniform_real_distribution<double> u(-1, 1);
  auto make = [&](int n, std::vector<double>& x, std::vector<double>& y) {
    x.resize(2 * n);
    y.resize(n);
    for (int k = 0; k < n; ++k) {
      x[2 * k] = u(rng);
      x[2 * k + 1] = u(rng);
      y[k] = regression_target(c.function, x[2 * k], x[2 * k + 1]);
    }
  };
  std::vector<double> xtr, ytr, xte, yte;
  make(c.train_samples, xtr, ytr);
  make(c.test_samples, xte, yte);

  const auto t0 = std::chrono::steady_clock::now();
  QkanNetwork net(c.widths, c.reps_schedule.front(), c.readout, c.seed + 1);
  RegressionResult r;
  for (std::size_t stage = 0; stage < c.reps_schedule.size(); ++stage) {
    if (stage > 0) net.extend(c.reps_schedule[stage]);
    FitOptions fo;
    fo.optimizer = c.optimizer;
    fo.steps = c.steps;
    fo.lbfgs_iterations = c.lbfgs_iterations;
    fo.learning_rate = c.learning_rate;
    fit_network(net, xtr, ytr, c.train_samples, fo);
    RegressionStage s;
    s.reps = c.reps_schedule[stage];
    s.train_mse = net.mse(xtr, ytr, c.train_samples);
    s.test_mse = net.mse(xte, yte, c.test_samples);
    r.stages.push_back(s);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.train_mse = r.stages.back().train_mse;
  r.test_mse = r.stages.back().test_mse;
  r.params = net.params().size();
  return r;
}

}  // namespace fieldlab::quantum::qkan
