// fieldlab train lpinn|pinn: a Lagrangian or standard physics-informed network on the 1D
// periodic convection-diffusion family (nn/train/tasks/convection_pinn_training.hpp): Adam then
// L-BFGS per curriculum stage, checkpoints in --out, Ctrl-C saves and --resume continues exactly.
// Needs no data file: the collocation points are generated. This file parses, applies the per-PDE
// defaults (nn/train/tasks/convection_pinn_defaults.hpp, shared with Python), calls the library
// and prints: each phase end on stderr, the closing relative L2 on stdout.

#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/interrupt.hpp"
#include "apps/model_options.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/threads.hpp"
#include "nn/train/tasks/convection_pinn_defaults.hpp"
#include "nn/train/tasks/convection_pinn_training.hpp"

namespace fieldlab::apps {
namespace {

struct TrainPinnOptions {
  nn::PinnMethod method = nn::PinnMethod::lagrangian;
  nn::ConvectionPinnConfig config;
  std::string pde = "convection", initial, loss = "norm", second_derivative = "physical";
  // Shown as the defaults in --help; used only when given (else the per-PDE defaults).
  double speed = solvers::Convection1dProblem{}.speed, viscosity = 0, offset = 0,
         t_end = solvers::Convection1dProblem{}.t_end;
  // Options whose "not given" means a per-PDE default (read through count() after parsing).
  CLI::Option *speed_opt = nullptr, *viscosity_opt = nullptr, *offset_opt = nullptr,
              *t_end_opt = nullptr, *initial_opt = nullptr;
  std::vector<int> collocation;
  CLI::Option *collocation_opt = nullptr, *loss_opt = nullptr, *second_opt = nullptr;
  // The config options given, each with how it copies its value (the rest keep the method's
  // per-PDE defaults, ConvectionPinnConfig::defaults).
  std::vector<std::pair<CLI::Option*, std::function<void(nn::ConvectionPinnConfig&)>>> copies;
  ModelOptions model_options;
  std::string out, loss_log;
  long long max_steps = 0;
  bool resume = false, overwrite = false, quiet = false;
  int threads = 0;
};

const char* phase_name(int phase) { return phase == 0 ? "adam" : "lbfgs"; }

nn::PinnTrainingRequest make_request(TrainPinnOptions& o) {
  nn::PinnTrainingRequest request;
  nn::PinnProblemOptions p;
  p.pde = o.pde;
  if (o.speed_opt->count()) p.speed = o.speed;
  if (o.viscosity_opt->count()) p.viscosity = o.viscosity;
  if (o.offset_opt->count()) p.offset = o.offset;
  if (o.t_end_opt->count()) p.t_end = o.t_end;
  if (o.initial_opt->count()) p.initial = o.initial;
  request.config = nn::pinn_config_defaults(o.method, p);
  auto& c = request.config;
  for (const auto& [option, copy] : o.copies)
    if (option->count()) copy(c);
  if (o.collocation_opt->count()) {
    c.nx = o.collocation[0];
    c.nt = o.collocation[1];
  }
  if (o.loss_opt->count()) c.loss = nn::parse_pinn_loss_form(o.loss);
  if (o.second_opt->count())
    c.second_derivative = nn::parse_second_derivative_form(o.second_derivative);
  c.validate();
  request.max_steps = o.max_steps;
  request.model_keys = o.model_options.given();
  request.out = o.out;
  request.loss_log = o.loss_log;
  request.resume = o.resume;
  request.overwrite = o.overwrite;
  return request;
}

void run_train_pinn(TrainPinnOptions& o) {
  require(!o.out.empty(), "train {}: --out is required", nn::to_string(o.method));
  set_threads(o.threads);
  const nn::PinnTrainingRequest request = make_request(o);
  const int stages = static_cast<int>(request.config.curriculum.size()) + 1;
  nn::PinnTrainingCallbacks callbacks;
  if (!o.quiet) {
    callbacks.on_message = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    callbacks.on_phase = [stages](const nn::PinnPhaseRecord& r) {
      fmt::print(stderr,
                 "stage {}/{} (speed {:g}) {}: {} steps, loss {:.6g}, relative L2 {:.4g}, "
                 "{:.1f} s\n",
                 r.stage + 1, stages, r.speed, phase_name(r.phase), r.steps, r.loss, r.relative_l2,
                 r.seconds);
    };
  }
  TerminalProgress progress(o.quiet);
  nn::PinnTrainingRun run;
  {
    InterruptScope interrupt;
    run = nn::run_convection_pinn_training(request, interrupt.token(), &progress, callbacks);
  }
  const auto& pos = run.position;
  if (run.stop == nn::TrainingStop::interrupted) {
    fmt::print(stderr,
               "interrupted in stage {}/{} {} after step {}: saved {}; rerun with --resume\n",
               pos.stage + 1, stages, phase_name(pos.phase), pos.step, o.out);
    throw Interrupted{};
  }
  if (run.stop == nn::TrainingStop::max_steps) {
    fmt::print("stopped after step {} (--max-steps): saved {}; continue with --resume\n",
               pos.total_steps, o.out);
    return;
  }
  const auto& e = run.evaluation;
  if (!std::isfinite(e.relative_l2))
    fail(ErrorKind::numerical,
         "training diverged: the relative L2 is not finite (saved {}); try a smaller --adam-lr",
         o.out);
  fmt::print(
      "{} ({}, {} parameters) on {}: relative L2 {:.6g}, max error {:.4g} against {} "
      "({} steps, {:.1f} s); saved {}\n",
      nn::to_string(o.method), run.model, run.parameters, request.config.problem.describe(),
      e.relative_l2, e.max_error, e.reference, pos.total_steps, run.seconds, o.out);
}

CLI::App* register_one(CLI::App* train, TrainPinnOptions& o, nn::PinnMethod method) {
  o.method = method;
  o.config.method = method;
  const bool lpinn = method == nn::PinnMethod::lagrangian;
  auto* cmd = train->add_subcommand(
      nn::to_string(method),
      lpinn ? "train a Lagrangian PINN on the 1D convection-diffusion family"
            : "train a standard (Eulerian) PINN on the 1D convection-diffusion family");
  // --help shows the method's defaults (for convection; the PDE's own apply when not given).
  o.config = nn::ConvectionPinnConfig::defaults(method, solvers::Convection1dPde::convection);
  auto& c = o.config;
  o.collocation = {c.nx, c.nt};
  o.loss = nn::to_string(c.loss);
  o.second_derivative = nn::to_string(c.second_derivative);
  const auto keep = [&o](CLI::Option* option, auto member) {
    o.copies.emplace_back(
        option, [&o, member](nn::ConvectionPinnConfig& to) { to.*member = o.config.*member; });
    return option;
  };
  using C = nn::ConvectionPinnConfig;
  cmd->add_option("--pde", o.pde,
                  "convection | convection-diffusion | burgers | reaction | reaction-diffusion")
      ->capture_default_str();
  o.speed_opt = add_number(cmd, "--speed", o.speed, "convection speed c (reaction: the rate)",
                           non_negative());
  o.viscosity_opt =
      add_number(cmd, "--viscosity", o.viscosity,
                 "nu [default: 0.01 for convection-diffusion, burgers, reaction-diffusion; 0 "
                 "otherwise]",
                 non_negative());
  o.initial_opt = cmd->add_option("--initial", o.initial,
                                  "sin | gauss | shifted-sin [default: shifted-sin for burgers, "
                                  "gauss for reaction(-diffusion), "
                                  "sin otherwise]");
  o.offset_opt = add_number(cmd, "--offset", o.offset,
                            "C of the shifted sine C + sin x [default: the speed]", finite());
  o.t_end_opt = add_number(cmd, "--t-end", o.t_end, "final time", positive());
  o.collocation_opt = add_number(cmd, "--collocation", o.collocation,
                                 "collocation grid NX NT (end points included)", at_least(2))
                          ->expected(2)
                          ->capture_default_str();
  keep(add_number(cmd, "--adam-steps", c.adam_steps, "Adam steps per stage", non_negative())
           ->capture_default_str(),
       &C::adam_steps);
  keep(add_number(cmd, "--adam-lr", c.adam_lr, "Adam learning rate (constant)", positive())
           ->capture_default_str(),
       &C::adam_lr);
  keep(add_number(cmd, "--lbfgs-iterations", c.lbfgs_iterations,
                  "L-BFGS steps per stage (each of --lbfgs-step-iterations iterations)",
                  non_negative())
           ->capture_default_str(),
       &C::lbfgs_iterations);
  keep(add_number(cmd, "--lbfgs-step-iterations", c.lbfgs_step_iterations,
                  "L-BFGS iterations in one training step", positive())
           ->capture_default_str(),
       &C::lbfgs_step_iterations);
  keep(add_number(cmd, "--lbfgs-history", c.lbfgs_history, "L-BFGS history size", positive())
           ->capture_default_str(),
       &C::lbfgs_history);
  o.loss_opt = cmd->add_option("--loss", o.loss,
                               "norm (un-squared L2 norms, the LPINN reference's) | squared (mean "
                               "squares, the PINN's)")
                   ->capture_default_str();
  o.second_opt =
      cmd->add_option("--second-derivative", o.second_derivative,
                      "u_xx of the LPINN: label (u_x0x0) | physical (exact for every problem)")
          ->capture_default_str();
  keep(add_number(cmd, "--weight-residual-x", c.weight_residual_x, "LPINN: weight of |r_X|",
                  non_negative())
           ->capture_default_str(),
       &C::weight_residual_x);
  keep(add_number(cmd, "--weight-residual-u", c.weight_residual_u,
                  "weight of |r_u| (PINN: of the PDE residual)", non_negative())
           ->capture_default_str(),
       &C::weight_residual_u);
  keep(add_number(cmd, "--weight-initial", c.weight_initial, "weight of the initial condition",
                  non_negative())
           ->capture_default_str(),
       &C::weight_initial);
  keep(add_number(cmd, "--weight-boundary", c.weight_boundary,
                  "PINN: weight of the periodic boundary", non_negative())
           ->capture_default_str(),
       &C::weight_boundary);
  keep(add_number(cmd, "--curriculum", c.curriculum,
                  "warm-start speeds trained before --speed, increasing (e.g. 5,10,20)", positive())
           ->delimiter(','),
       &C::curriculum);
  keep(cmd->add_option("--seed", c.seed, "network initialisation seed")->capture_default_str(),
       &C::seed);
  keep(add_number(cmd, "--checkpoint-every", c.checkpoint_every,
                  "steps between checkpoints (and at every phase end)", positive())
           ->capture_default_str(),
       &C::checkpoint_every);
  add_number(cmd, "--max-steps", o.max_steps,
             "stop with a checkpoint after this many steps in all (0: no limit)", non_negative())
      ->capture_default_str();
  cmd->add_option("--out", o.out, "checkpoint CKPT.h5");
  cmd->add_option("--loss-log", o.loss_log, "append 'step loss' lines to this file");
  cmd->add_flag("--resume", o.resume, "continue the run saved in --out exactly");
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing --out");
  // The network's keys, of its family only (lpinn: width, depth_x, depth_u, activation; pinn,
  // model mlp: widths, activation): the surrogates' keys would only clutter --help.
  nn::ModelRegistry family;
  family.add(app_models().find(lpinn ? "lpinn" : "mlp"));
  o.model_options.add_to(cmd, family);
  add_threads_option(cmd, o.threads);
  add_quiet_flag(cmd, o.quiet);
  add_config_option(cmd);
  set_command(cmd, [&o] { run_train_pinn(o); });
  return cmd;
}

}  // namespace

std::vector<CLI::App*> register_train_pinn(CLI::App* train) {
  static TrainPinnOptions lpinn, pinn;
  return {register_one(train, lpinn, nn::PinnMethod::lagrangian),
          register_one(train, pinn, nn::PinnMethod::eulerian)};
}

}  // namespace fieldlab::apps
