// One training run of the c-sweep (issue 14; bench/pinn/sweep.py runs one per (model, c)): the
// whole library training run (nn/train/tasks/convection_pinn_training.hpp: Adam, then L-BFGS in
// steps of 20 iterations) on the convection problem u_t + c u_x = 0, u0 = sin x, t in [0, 1], with
// a stated budget, then the relative L2 error on the 256 x 100 evaluation grid. Prints one JSON
// object. No checkpoint is written.
//
//   pinn_sweep_run --method lpinn|pinn --speed 30 --nx 128 --nt 50 --adam-steps 500
//                  --lbfgs-iterations 200 --threads 1 --seed 0

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/train/tasks/convection_pinn_training.hpp"

namespace {

using namespace fieldlab;
using namespace fieldlab::nn;

int run(int argc, char** argv) {
  std::string method = "lpinn";
  double speed = 30;
  int nx = 128, nt = 50, threads = 1;
  long long adam_steps = 500, lbfgs_iterations = 200;
  unsigned long long seed = 0;
  CLI::App app{"one LPINN/PINN training run of the convection c-sweep (fieldlab)"};
  app.add_option("--method", method, "lpinn or pinn")->capture_default_str();
  app.add_option("--speed", speed, "convection speed c")->capture_default_str();
  app.add_option("--nx", nx, "collocation points in x")->capture_default_str();
  app.add_option("--nt", nt, "collocation points in t")->capture_default_str();
  app.add_option("--adam-steps", adam_steps)->capture_default_str();
  app.add_option("--lbfgs-iterations", lbfgs_iterations, "in steps of 20")->capture_default_str();
  app.add_option("--threads", threads)->capture_default_str();
  app.add_option("--seed", seed)->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  set_threads(threads);
  PinnTrainingRequest request;
  // The task's defaults for the method (LPINN: "norm" loss; PINN: mean squares, weights 1).
  request.config = ConvectionPinnConfig::defaults(parse_pinn_method(method),
                                                  solvers::Convection1dPde::convection, speed);
  ConvectionPinnConfig& c = request.config;
  c.nx = nx;
  c.nt = nt;
  c.adam_steps = adam_steps;
  c.lbfgs_iterations = lbfgs_iterations;
  c.seed = seed;
  // The benchmark's networks, spelled out (as in pinn_step.cpp and torch_pinn.py).
  if (c.method == PinnMethod::lagrangian)
    request.model_keys = {{"width", "50"}, {"depth_x", "2"}, {"depth_u", "5"}};
  else
    request.model_keys = {{"widths", "2,50,50,50,50,1"}, {"activation", "tanh"}};
  const auto t0 = std::chrono::steady_clock::now();
  const PinnTrainingRun r = run_convection_pinn_training(request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double adam_seconds = 0, lbfgs_seconds = 0, adam_l2 = 0;
  for (const PinnPhaseRecord& p : r.phases) {
    if (p.phase == 0) {
      adam_seconds += p.seconds;
      adam_l2 = p.relative_l2;
    } else {
      lbfgs_seconds += p.seconds;
    }
  }
  std::printf(
      "{\"engine\": \"fieldlab\", \"method\": \"%s\", \"model\": \"%s\", \"speed\": %g, "
      "\"nx\": %d, \"nt\": %d, \"adam_steps\": %lld, \"lbfgs_iterations\": %lld, \"threads\": %d, "
      "\"seed\": %llu, \"parameters\": %lld, \"relative_l2\": %.6g, \"max_error\": %.6g, "
      "\"relative_l2_after_adam\": %.6g, \"final_loss\": %.6g, \"reference\": \"%s\", "
      "\"stop\": \"%s\", \"steps\": %zu, \"seconds\": %.2f, \"adam_seconds\": %.2f, "
      "\"lbfgs_seconds\": %.2f}\n",
      method.c_str(), r.model.c_str(), speed, nx, nt, adam_steps, lbfgs_iterations, threads, seed,
      r.parameters, r.evaluation.relative_l2, r.evaluation.max_error, adam_l2,
      r.evaluation.loss.total, r.evaluation.reference.c_str(), to_string(r.stop), r.losses.size(),
      seconds, adam_seconds, lbfgs_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const fieldlab::Error& e) {
    std::fprintf(stderr, "pinn_sweep_run: %s\n", e.what());
    return 2;
  }
}
