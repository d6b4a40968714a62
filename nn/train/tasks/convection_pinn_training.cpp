#include "nn/train/tasks/convection_pinn_training.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"
#include "nn/checkpoint.hpp"
#include "nn/lbfgs.hpp"
#include "nn/optimizer.hpp"
#include "nn/train/loss_log.hpp"
#include "nn/train/training_run.hpp"

namespace fieldlab::nn {
namespace {

constexpr const char* kTask = "convection-pinn";

// The first line where two YAML texts differ, for a resume refused because of it.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  while (true) {
    const bool ga = static_cast<bool>(std::getline(sa, la));
    const bool gb = static_cast<bool>(std::getline(sb, lb));
    if (!ga && !gb) return {};
    if (!ga || !gb || la != lb)
      return fmt::format("checkpoint has '{}', this run '{}'", ga ? la : "", gb ? lb : "");
  }
}

std::vector<double> stage_speeds(const ConvectionPinnConfig& c) {
  std::vector<double> s = c.curriculum;
  s.push_back(c.problem.speed);
  return s;
}

long long lbfgs_steps(const ConvectionPinnConfig& c) {
  return (c.lbfgs_iterations + c.lbfgs_step_iterations - 1) / c.lbfgs_step_iterations;
}

long long phase_steps(const ConvectionPinnConfig& c, int phase) {
  return phase == 0 ? c.adam_steps : lbfgs_steps(c);
}

}  // namespace

bool is_pinn_checkpoint(const std::string& checkpoint) {
  CheckpointInfo info;
  try {  // not a checkpoint at all (a data file, a PNG): not ours to judge, the caller's path is
    info = read_checkpoint_info(checkpoint);
  } catch (const Error&) {
    return false;
  }
  return info.config.rfind(std::string("task: ") + kTask, 0) == 0;
}

TrainedPinn load_trained_pinn(const std::string& checkpoint) {
  CheckpointInfo info = read_checkpoint_info(checkpoint);
  require(info.config.rfind(std::string("task: ") + kTask, 0) == 0,
          "{} is not an LPINN/PINN checkpoint (train lpinn|pinn writes those)", checkpoint);
  TrainedPinn t;
  t.config = ConvectionPinnConfig::from_yaml(info.config);
  t.model = builtin_models().from_yaml(info.model_config);
  t.model->parameters().allocate();
  load_checkpoint(checkpoint, t.model->parameters(), nullptr);
  t.position.stage = static_cast<int>(info.epoch / 2);
  t.position.phase = static_cast<int>(info.epoch % 2);
  t.position.step = info.batch;
  t.position.total_steps = info.step;
  return t;
}

PinnTrainingRun run_convection_pinn_training(const PinnTrainingRequest& r, const StopToken& stop,
                                             ProgressSink* progress,
                                             const PinnTrainingCallbacks& callbacks) {
  const auto start = std::chrono::steady_clock::now();
  const ConvectionPinnConfig& c = r.config;
  c.validate();
  require(r.max_steps >= 0, "max_steps must be >= 0, got {}", r.max_steps);
  const auto say = [&](const std::string& line) {
    if (callbacks.on_message) callbacks.on_message(line);
  };
  const bool saving = !r.out.empty();
  io::OutputLock out_lock;
  if (saving) {
    check_checkpoint_target(r.out, r.resume, r.overwrite);
    out_lock = io::OutputLock(r.out);
    io::remove_stale_temporaries(r.out);
  } else {
    require(!r.resume, "--resume needs --out, the checkpoint to continue");
  }

  ModelKeys keys = c.default_model_keys();
  for (const auto& [k, v] : r.model_keys) keys[k] = v;
  std::unique_ptr<Model> model = builtin_models().make(c.model_name(), keys);
  const std::string task_yaml = c.to_yaml();
  PinnPosition pos;
  CheckpointInfo info;
  const std::vector<double> speeds = stage_speeds(c);
  OptimizerConfig oc;
  oc.kind = OptimizerKind::adam;
  std::unique_ptr<Optimizer> adam;
  LbfgsState lbfgs_state;
  bool have_lbfgs_state = false;
  if (r.resume) {
    info = read_checkpoint_info(r.out);
    require(info.config.rfind(std::string("task: ") + kTask, 0) == 0,
            "--resume: {} is not an LPINN/PINN checkpoint", r.out);
    if (info.config != task_yaml)
      fail(ErrorKind::usage, "--resume: {} was trained with other options: {}", r.out,
           first_difference(info.config, task_yaml));
    if (info.model_config != model->config_yaml())
      fail(ErrorKind::usage, "--resume: {} holds another network: {}", r.out,
           first_difference(info.model_config, model->config_yaml()));
    pos.stage = static_cast<int>(info.epoch / 2);
    pos.phase = static_cast<int>(info.epoch % 2);
    pos.step = info.batch;
    pos.total_steps = info.step;
    require(pos.stage >= 0 && pos.stage <= static_cast<int>(speeds.size()) && pos.step >= 0,
            "--resume: {} has position stage {} phase {} step {}: corrupt?", r.out, pos.stage,
            pos.phase, pos.step);
    model->parameters().allocate();
    if (pos.phase == 0 && pos.step > 0 && pos.stage < static_cast<int>(speeds.size())) {
      adam = std::make_unique<Optimizer>(oc, model->parameters().size());
      load_checkpoint(r.out, model->parameters(), adam.get());
    } else {
      load_checkpoint(r.out, model->parameters(), nullptr);
      have_lbfgs_state = lbfgs_state.from_arrays("lbfgs.", info.state);
    }
    say(fmt::format("resuming {} at stage {}, {} step {} ({} steps done)", r.out, pos.stage + 1,
                    pos.phase == 0 ? "adam" : "lbfgs", pos.step, pos.total_steps));
  } else {
    model->initialise(c.seed);
  }
  ConvectionPinn task(*model, c);
  PinnTrainingRun run;
  run.model = c.model_name();
  run.parameters = model->parameters().size();
  say(fmt::format("{}: {} ({} parameters), {} x {} collocation points", to_string(c.method),
                  c.problem.describe(), run.parameters, c.nx, c.nt));

  std::unique_ptr<LossLog> log;
  if (!r.loss_log.empty())
    log = std::make_unique<LossLog>(r.loss_log, r.resume, r.overwrite, pos.total_steps);

  // The optimiser of the current phase: Adam's moments or L-BFGS's state go with each save.
  std::unique_ptr<LbfgsParameterStore> lbfgs;
  auto save = [&](const PinnPosition& at) {
    if (!saving) return;
    CheckpointInfo ci;
    ci.step = at.total_steps;
    ci.config = task_yaml;
    ci.model_config = model->config_yaml();
    ci.epoch = at.stage * 2 + at.phase;
    ci.batch = at.step;
    ci.seed = c.seed;
    if (lbfgs) lbfgs->optimizer().state().to_arrays("lbfgs.", ci.state);
    save_checkpoint(r.out, model->parameters(), at.phase == 0 ? adam.get() : nullptr, ci);
  };

  Graph graph;
  FullBatch batches;
  TrainingStop why = TrainingStop::finished;
  for (; pos.stage < static_cast<int>(speeds.size()); ++pos.stage, pos.phase = 0, pos.step = 0) {
    const double speed = speeds[pos.stage];
    for (; pos.phase < 2; ++pos.phase, pos.step = 0) {
      const long long total = phase_steps(c, pos.phase);
      const auto phase_start = std::chrono::steady_clock::now();
      const long long before = pos.step;
      if (pos.phase == 0) {
        lbfgs.reset();
        if (!adam || pos.step == 0)
          adam = std::make_unique<Optimizer>(oc, model->parameters().size());
      } else {
        adam.reset();
        LbfgsOptions lo;
        lo.max_iter = c.lbfgs_step_iterations;
        lo.history_size = c.lbfgs_history;
        lo.tolerance_grad = 1e-9;
        lo.tolerance_change = 1e-12;
        lbfgs = std::make_unique<LbfgsParameterStore>(model->parameters(), lo);
        if (have_lbfgs_state && pos.step > 0) lbfgs->optimizer().restore(lbfgs_state);
        have_lbfgs_state = false;
      }
      float last_loss = 0;
      if (pos.step < total) {
        TrainLoopOptions lo;
        lo.epochs = total;
        lo.label = fmt::format("{} {}{}", pos.phase == 0 ? "adam" : "lbfgs", to_string(c.method),
                               speeds.size() > 1 ? fmt::format(" c={}", speed) : "");
        lo.stop = stop;
        lo.progress = progress;
        if (r.max_steps > 0) {
          const long long left = r.max_steps - pos.total_steps;
          if (left <= 0) {
            why = TrainingStop::max_steps;
            break;
          }
          lo.max_steps = pos.step + left;
        }
        const double lr = c.adam_lr;
        std::unique_ptr<TrainLoop> loop =
            pos.phase == 0 ? std::make_unique<TrainLoop>(
                                 model->parameters(), *adam, [lr](long long) { return lr; }, lo)
                           : std::make_unique<TrainLoop>(model->parameters(), *lbfgs, lo);
        const StepLoss step = [&](Graph& g) { return task.loss(g, speed); };
        TrainLoopCallbacks cb;
        const long long phase_base = pos.total_steps - pos.step;
        cb.after_step = [&](const StepRecord& s) {
          last_loss = s.loss;
          if (log) std::fprintf(log->file(), "%lld %.9g\n", phase_base + s.step, s.loss);
        };
        cb.after_epoch = [&](const TrainingPosition& end, double) {
          if (end.step % c.checkpoint_every == 0 && end.step < total)
            save({pos.stage, pos.phase, end.step, phase_base + end.step});
          return false;
        };
        const TrainLoopResult res =
            loop->run(batches, graph, step, {pos.step, pos.step, 0, 0.0}, cb);
        run.losses.insert(run.losses.end(), res.losses.begin(), res.losses.end());
        pos.step = res.position.step;
        pos.total_steps = phase_base + pos.step;
        why = res.stop;
      }
      if (why != TrainingStop::finished && pos.step < total) break;
      const TrainingStop stopped_at_end = why;
      why = TrainingStop::finished;
      // Phase end: checkpoint at the next phase's start, the phase's record.
      PinnPhaseRecord rec;
      rec.stage = pos.stage;
      rec.phase = pos.phase;
      rec.speed = speed;
      rec.steps = pos.step;
      rec.loss = pos.step > before ? last_loss : task.loss_terms(speed).total;
      rec.relative_l2 = evaluate_convection_pinn(task, 256, 100, speed).relative_l2;
      rec.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - phase_start).count();
      run.phases.push_back(rec);
      if (callbacks.on_phase) callbacks.on_phase(rec);
      const bool last_phase = pos.phase == 1;
      lbfgs.reset();  // the next phase starts afresh: its checkpoint carries no L-BFGS state
      PinnPosition next = pos;
      if (last_phase) {
        next.stage += 1;
        next.phase = 0;
      } else {
        next.phase = 1;
      }
      next.step = 0;
      adam.reset();
      save(next);
      if (stopped_at_end != TrainingStop::finished) {  // the stop came with the phase's last step
        why = stopped_at_end;
        pos = next;
        break;
      }
    }
    if (why != TrainingStop::finished) break;
  }
  // A stop inside a phase saves where it is (a stop at a phase end saved the next phase's start).
  if (why != TrainingStop::finished && (lbfgs || pos.step > 0)) save(pos);
  if (log) log->close_checked();
  run.stop = why;
  run.position = pos;
  run.evaluation = evaluate_convection_pinn(task);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace fieldlab::nn
