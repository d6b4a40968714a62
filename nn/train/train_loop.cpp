#include "nn/train/train_loop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

#include "core/error.hpp"

namespace fieldlab::nn {

const char* to_string(TrainingStop stop) {
  switch (stop) {
    case TrainingStop::finished:
      return "finished";
    case TrainingStop::interrupted:
      return "interrupted";
    case TrainingStop::max_steps:
      return "max_steps";
    default:
      return "early_stop";
  }
}

TrainLoop::TrainLoop(ParameterStore& store, Optimizer& optimizer, LearningRate schedule,
                     TrainLoopOptions options)
    : store_(store),
      optimizer_(&optimizer),
      schedule_(std::move(schedule)),
      options_(std::move(options)) {
  require(static_cast<bool>(schedule_), "training loop: a learning-rate schedule is required");
}

TrainLoop::TrainLoop(ParameterStore& store, LbfgsParameterStore& lbfgs, TrainLoopOptions options)
    : store_(store), lbfgs_(&lbfgs), options_(std::move(options)) {}

namespace {

void require_finite(float value, const TrainingPosition& at) {
  if (!std::isfinite(value))
    fail(ErrorKind::numerical,
         "training loss is {} at step {} (epoch {}, batch {}): lower --lr or check the data", value,
         at.step + 1, at.epoch + 1, at.batch + 1);
}

}  // namespace

float TrainLoop::take_step(Graph& graph, const StepLoss& step, const TrainingPosition& at,
                           double& lr) {
  if (lbfgs_) {
    lr = lbfgs_->optimizer().options().lr;
    const LbfgsResult r = lbfgs_->step([&] {
      graph.reset();
      Var loss = step(graph);
      const float value = loss.value()[0];
      require_finite(value, at);
      graph.backward(loss);
      return static_cast<double>(value);
    });
    lbfgs_results_.push_back(r);
    return static_cast<float>(r.initial_loss);
  }
  graph.reset();
  store_.zero_grad();
  Var loss = step(graph);
  const float value = loss.value()[0];
  require_finite(value, at);
  graph.backward(loss);
  try {
    if (options_.clip > 0) clip_grad_norm(store_, options_.clip);
  } catch (const Error& e) {
    fail(ErrorKind::numerical, "step {}: {}", at.step + 1, e.what());
  }
  lr = schedule_(at.step);
  optimizer_->step(store_, static_cast<float>(lr));
  return value;
}

TrainLoopResult TrainLoop::run(TrainingBatches& batches, Graph& graph, const StepLoss& step,
                               TrainingPosition position, const TrainLoopCallbacks& callbacks) {
  require(options_.epochs >= 1, "--epochs must be at least 1");
  lbfgs_results_.clear();
  const long long per_epoch = batches.batches_per_epoch();
  const long long remaining = std::max<long long>(0, options_.epochs * per_epoch - position.step);
  TrainLoopResult result;
  result.losses.reserve(static_cast<std::size_t>(remaining));
  if (lbfgs_) lbfgs_results_.reserve(static_cast<std::size_t>(remaining));
  ProgressPhase progress(options_.progress, options_.label, remaining);
  const auto run_start = std::chrono::steady_clock::now();
  long long samples_done = 0;
  std::string note;
  note.reserve(128);
  auto stop_requested = [&] {
    return options_.stop.stop_requested()
               ? TrainingStop::interrupted
               : (options_.max_steps > 0 && position.step >= options_.max_steps
                      ? TrainingStop::max_steps
                      : TrainingStop::finished);
  };

  for (; position.epoch < options_.epochs;
       ++position.epoch, position.batch = 0, position.epoch_loss_sum = 0) {
    batches.start_epoch(position.epoch, position.batch);
    double lr = 0;
    while (batches.next()) {
      const float value = take_step(graph, step, position, lr);
      ++position.step;
      ++position.batch;
      position.epoch_loss_sum += value;
      result.losses.push_back(value);
      if (callbacks.after_step)
        callbacks.after_step({position.step, position.epoch, position.batch - 1, value, lr});
      samples_done += options_.samples_per_step;
      // Formatted into a reused string: the step allocates nothing once it has its capacity.
      note.clear();
      fmt::format_to(std::back_inserter(note), "epoch {}/{} loss {:.4f}", position.epoch + 1,
                     options_.epochs, value);
      if (options_.samples_per_step > 0) {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
        fmt::format_to(std::back_inserter(note), " {:.1f} samples/s",
                       samples_done / std::max(elapsed, 1e-9));
      }
      progress.advance(1, note);
      if (position.batch == per_epoch) continue;  // the epoch's end comes first
      if (const TrainingStop why = stop_requested(); why != TrainingStop::finished) {
        progress.finish();
        if (callbacks.on_stop) callbacks.on_stop(position);
        result.stop = why;
        result.position = position;
        return result;
      }
    }

    const bool early = callbacks.after_epoch && callbacks.after_epoch(position, lr);
    const bool last = position.epoch + 1 == options_.epochs;
    if (last) break;
    TrainingStop why = stop_requested();
    if (why == TrainingStop::finished && early) why = TrainingStop::early_stop;
    if (why != TrainingStop::finished) {
      progress.finish();
      result.stop = why;
      result.position = next_epoch(position);
      return result;
    }
  }
  progress.finish();
  result.stop = TrainingStop::finished;
  if (position.epoch < options_.epochs) position = next_epoch(position);  // left by break
  result.position = position;
  return result;
}

bool EarlyStopping::should_stop(double metric) {
  if (!seen_ || metric < best_) {
    best_ = metric;
    seen_ = true;
    stale_ = 0;
  } else {
    ++stale_;
  }
  return patience_ > 0 && stale_ >= patience_;
}

}  // namespace fieldlab::nn
