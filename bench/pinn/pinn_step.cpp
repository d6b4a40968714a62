// One LPINN or PINN step configuration of the convection benchmark (issue 14), timed in its own
// process so that its peak memory belongs to it alone: the fieldlab half of bench/pinn/compare.py
// (torch_pinn.py measure is the PyTorch half, with the same options and the same JSON keys).
//
//   pinn_step --method lpinn|pinn --kind adam|lbfgs --threads 1 --nx 256 --nt 100 --steps 20
//
// Through the library API only: the task's network from its registry name (lpinn: width 50,
// depth_x 2, depth_u 5; pinn: mlp 2,50,50,50,50,1 tanh), ConvectionPinn::loss on a Graph,
// backward, then Adam (lr 1e-2) or LbfgsParameterStore (lr 1, max_iter 20, history 50, strong
// Wolfe: torch.optim.LBFGS's settings in torch_pinn.py). Convection c = 30, nu = 0, u0 = sin x.
// adam: median wall time of --steps steps after --warmup; lbfgs: each step's time over the
// iterations it took, median over --steps steps after --warmup. peak_rss_mib is VmHWM.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/graph.hpp"
#include "nn/lbfgs.hpp"
#include "nn/models/registry.hpp"
#include "nn/optimizer.hpp"
#include "nn/train/tasks/convection_pinn.hpp"

namespace {

using namespace fieldlab;
using namespace fieldlab::nn;

// VmHWM / VmRSS from /proc/self/status (not ru_maxrss: Linux carries that across execve, so a
// child of the driver script would report the driver's peak).
double status_mib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    double kib = 0;
    if (key == field && status >> kib) return kib / 1024.0;
  }
  return 0;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::string join(const std::vector<double>& v) {
  std::string s;
  for (double x : v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.3f", s.empty() ? "" : ", ", x);
    s += buf;
  }
  return "[" + s + "]";
}

std::string join(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ", ") + std::to_string(x);
  return "[" + s + "]";
}

// The benchmark's networks, spelled out so that a change of the registry defaults cannot change
// what is compared with torch_pinn.py (which asserts nothing: the parameter counts are printed).
ModelKeys bench_keys(PinnMethod method) {
  if (method == PinnMethod::lagrangian)
    return {{"width", "50"}, {"depth_x", "2"}, {"depth_u", "5"}};
  return {{"widths", "2,50,50,50,50,1"}, {"activation", "tanh"}};
}

int run(int argc, char** argv) {
  std::string method_name = "lpinn", kind = "adam";
  int threads = 1, nx = 256, nt = 100, steps = -1, warmup = -1;
  double speed = 30;
  unsigned long long seed = 0;
  CLI::App app{"time one LPINN/PINN step configuration (fieldlab)"};
  app.add_option("--method", method_name, "lpinn or pinn")->capture_default_str();
  app.add_option("--kind", kind, "adam or lbfgs")->capture_default_str();
  app.add_option("--threads", threads)->capture_default_str();
  app.add_option("--nx", nx)->capture_default_str();
  app.add_option("--nt", nt)->capture_default_str();
  app.add_option("--speed", speed, "convection speed c")->capture_default_str();
  app.add_option("--steps", steps, "timed steps (default 20 Adam, 3 L-BFGS of 20 iterations)");
  app.add_option("--warmup", warmup, "untimed steps first (default 3 Adam, 1 L-BFGS)");
  app.add_option("--seed", seed)->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  require(kind == "adam" || kind == "lbfgs", "pinn_step: --kind must be adam or lbfgs, got '{}'",
          kind);
  const bool adam = kind == "adam";
  if (steps < 0) steps = adam ? 20 : 3;
  if (warmup < 0) warmup = adam ? 3 : 1;
  require(steps >= 1 && warmup >= 0 && threads >= 1,
          "pinn_step: --steps and --threads must be >= 1, --warmup >= 0");
  set_threads(threads);
  const double rss_start = status_mib("VmRSS:");

  // The task's defaults for the method (LPINN: "norm" loss, weights 10, 1, 1000; PINN: mean
  // squares, weights 1) on convection, u0 = sin x, nu = 0.
  ConvectionPinnConfig config = ConvectionPinnConfig::defaults(
      parse_pinn_method(method_name), solvers::Convection1dPde::convection, speed);
  config.nx = nx;
  config.nt = nt;
  config.validate();
  auto model = make_model(config.model_name(), bench_keys(config.method));
  model->initialise(seed);
  const ConvectionPinn task(*model, config);
  ParameterStore& store = model->parameters();

  Graph graph;
  auto loss_and_backward = [&] {
    graph.reset();
    store.zero_grad();
    Var l = task.loss(graph, speed);
    graph.backward(l);
    return static_cast<double>(l.value()[0]);
  };

  std::vector<double> times;
  std::vector<int> iterations, evaluations;
  double last_loss = 0;
  using clock = std::chrono::steady_clock;
  if (adam) {
    OptimizerConfig oc;
    oc.kind = OptimizerKind::adam;
    Optimizer opt(oc, store.size());
    auto step = [&] {
      last_loss = loss_and_backward();
      opt.step(store, 1e-2f);
    };
    for (int i = 0; i < warmup; ++i) step();
    for (int i = 0; i < steps; ++i) {
      const auto t0 = clock::now();
      step();
      times.push_back(1e3 * std::chrono::duration<double>(clock::now() - t0).count());
    }
  } else {
    LbfgsOptions lo;
    lo.lr = 1;
    lo.max_iter = 20;
    lo.history_size = 50;
    lo.strong_wolfe = true;
    LbfgsParameterStore lbfgs(store, lo);
    for (int i = 0; i < warmup + steps; ++i) {
      const auto t0 = clock::now();
      const LbfgsResult r = lbfgs.step(loss_and_backward);
      const double ms = 1e3 * std::chrono::duration<double>(clock::now() - t0).count();
      last_loss = r.loss;
      if (i < warmup) continue;
      times.push_back(ms / std::max(r.iterations, 1));
      iterations.push_back(r.iterations);
      evaluations.push_back(r.evaluations);
    }
  }
  require(std::isfinite(last_loss), "pinn_step: non-finite loss {}", last_loss);
  std::printf(
      "{\"engine\": \"fieldlab\", \"method\": \"%s\", \"kind\": \"%s\", \"threads\": %d, "
      "\"nx\": %d, \"nt\": %d, \"speed\": %g, \"parameters\": %lld, \"steps\": %d, "
      "\"warmup\": %d, \"ms\": %.3f, \"ms_all\": %s, \"peak_rss_mib\": %.1f, "
      "\"rss_start_mib\": %.1f, \"final_loss\": %.9g",
      method_name.c_str(), kind.c_str(), threads, nx, nt, speed,
      static_cast<long long>(store.size()), steps, warmup, median(times), join(times).c_str(),
      status_mib("VmHWM:"), rss_start, last_loss);
  if (!adam)
    std::printf(", \"iterations\": %s, \"evaluations\": %s", join(iterations).c_str(),
                join(evaluations).c_str());
  std::printf("}\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const fieldlab::Error& e) {
    std::fprintf(stderr, "pinn_step: %s\n", e.what());
    return 2;
  }
}
