#include "nn/train/trainer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <memory>
#include <optional>
#include <span>

#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {
namespace {

void save(const std::string& path, Model& model, Optimizer& optimizer, const CheckpointInfo& s) {
  if (!path.empty()) save_checkpoint(path, model.parameters(), &optimizer, s);
}

}  // namespace

UnrolledLoss::UnrolledLoss(int batch, int fields, int history, int steps, int h, int w)
    : B_(batch),
      C_(fields),
      H_(history),
      M_(steps),
      hw_(static_cast<std::size_t>(h) * w),
      frame_shape_{batch, fields, h, w} {
  require(steps >= 1, "--unroll must be at least 1 (got {})", steps);
  frames_.resize(static_cast<std::size_t>(H_) * B_ * C_ * hw_);
  targets_.resize(static_cast<std::size_t>(M_) * B_ * C_ * hw_);
  sequence_.reserve(H_ + M_);
  window_.reserve(H_);
}

Var UnrolledLoss::operator()(const Model& model, Graph& graph, const datasets::Batch& batch,
                             bool pushforward) {
  require(batch.size == B_ && batch.inputs.size() == frames_.size() &&
              batch.targets.size() == targets_.size(),
          "unrolled loss: the batch does not match {} samples, history {}, {} steps", B_, H_, M_);
  const std::size_t block = C_ * hw_;  // one frame of one sample
  for (int s = 0; s < B_; ++s) {
    for (int k = 0; k < H_; ++k)
      std::copy_n(&batch.inputs[(static_cast<std::size_t>(s) * H_ + k) * block], block,
                  &frames_[(static_cast<std::size_t>(k) * B_ + s) * block]);
    for (int j = 0; j < M_; ++j)
      std::copy_n(&batch.targets[(static_cast<std::size_t>(s) * M_ + j) * block], block,
                  &targets_[(static_cast<std::size_t>(j) * B_ + s) * block]);
  }
  for (int k = 0; k < H_; ++k)
    sequence_.push_back(graph.constant(
        Tensor::view(&frames_[static_cast<std::size_t>(k) * B_ * block], frame_shape_)));
  const std::span<const float> dt(batch.dt);
  Var total;
  for (int j = 0; j < M_; ++j) {
    // Pushforward: the earlier steps only make the (model-made) input of the last one.
    const bool trained = !pushforward || j + 1 == M_;
    std::optional<NoGradGuard> no_grad;
    if (!trained) no_grad.emplace(graph);
    window_.assign(sequence_.end() - H_, sequence_.end());
    Var x = H_ == 1 ? window_.front() : concat_channels(window_);
    Var prediction = model.step(
        graph, x,
        {dt.empty() ? dt : dt.subspan(static_cast<std::size_t>(j) * B_, B_), batch.parameter});
    sequence_.push_back(prediction);
    if (!trained) continue;
    Var target = graph.constant(
        Tensor::view(&targets_[static_cast<std::size_t>(j) * B_ * block], frame_shape_));
    Var l = scaled_l2_loss(prediction, target);
    total = pushforward || j == 0 ? l : add(total, l);
  }
  // The handles belong to `graph`, which may die before the next call: drop them now (the
  // vectors keep their capacity, so the next step still allocates nothing).
  sequence_.clear();
  window_.clear();
  return pushforward || M_ == 1 ? total : scale(total, 1.0f / static_cast<float>(M_));
}

std::string best_path(const std::string& out) {
  const std::filesystem::path p(out);
  const std::string ext = p.has_extension() ? p.extension().string() : ".h5";
  return (p.parent_path() / (p.stem().string() + ".best" + ext)).string();
}

TrainingResult train_model(Model& model, Optimizer& optimizer,
                           const datasets::TrajectoryReader& train,
                           const datasets::TrajectoryReader& valid, CheckpointInfo state,
                           const TrainingSetup& setup) {
  require(setup.epochs >= 1, "--epochs must be at least 1");
  require(setup.lr > 0 && std::isfinite(setup.lr), "--lr must be positive");
  require(setup.unroll >= 1, "--unroll must be at least 1 (got {})", setup.unroll);
  require(!setup.pushforward || setup.unroll >= 2,
          "--pushforward needs --unroll 2 or more (it trains the last of the unrolled steps)");
  require(static_cast<int>(state.fields.size()) == model.fields(),
          "the model has {} fields but {} were selected from the data", model.fields(),
          state.fields.size());
  const datasets::Normalisation norm{state.fields, state.mean, state.std};
  datasets::WindowLoaderConfig lc;
  lc.fields = state.fields;
  lc.history = model.history();
  lc.future = setup.unroll;
  lc.batch = setup.batch;
  lc.seed = state.seed;
  lc.background = setup.background;
  lc.windows_per_trajectory = setup.windows_per_trajectory;
  lc.conditioning = conditioning_request(model);
  datasets::WindowLoader loader(train, lc, norm);
  const int m = model.size_multiple();
  require(loader.height() % m == 0 && loader.width() % m == 0,
          "{}: grid {}x{} is not divisible by {} (the model's downsampling)", train.path(),
          loader.height(), loader.width(), m);

  const long long per_epoch = loader.batches_per_epoch();
  WarmupCosineSchedule schedule;
  schedule.peak_lr = setup.lr;
  schedule.start_lr = schedule.final_lr = std::min(setup.start_lr, setup.lr);
  schedule.warmup_steps = static_cast<long long>(std::llround(setup.warmup_epochs * per_epoch));
  schedule.total_steps = std::max<long long>(1, setup.epochs * per_epoch);

  const int B = loader.batch_size(), C = model.fields(), H = model.history();
  const Shape in_shape{B, static_cast<std::int64_t>(H) * C, loader.height(), loader.width()};
  const Shape out_shape{B, C, loader.height(), loader.width()};
  std::optional<UnrolledLoss> unrolled;
  if (setup.unroll > 1) unrolled.emplace(B, C, H, setup.unroll, loader.height(), loader.width());
  const std::string best = setup.out.empty() ? std::string() : best_path(setup.out);

  TrainingResult result;
  install_interrupt_handler();
  Graph graph;
  const long long remaining = std::max<long long>(0, setup.epochs * per_epoch - state.step);
  TerminalProgress progress(setup.quiet);
  progress.start("train", remaining);
  const auto run_start = std::chrono::steady_clock::now();
  long long samples_done = 0;
  std::string note;
  note.reserve(128);
  result.losses.reserve(static_cast<std::size_t>(remaining));

  auto stop_here = [&](TrainingStop why) {
    progress.finish();
    save(setup.out, model, optimizer, state);
    result.stop = why;
    result.state = state;
    return result;
  };

  for (; state.epoch < setup.epochs; ++state.epoch, state.batch = 0, state.epoch_loss_sum = 0) {
    const auto epoch_start = std::chrono::steady_clock::now();
    loader.start_epoch(state.epoch, state.batch);
    double lr = 0;
    while (const datasets::Batch* batch = loader.next()) {
      graph.reset();
      model.parameters().zero_grad();
      // The loader's buffers are viewed, not copied: nothing is allocated per step.
      Var loss;
      if (setup.unroll == 1) {
        Var x = graph.constant(Tensor::view(const_cast<float*>(batch->inputs.data()), in_shape));
        Var target =
            graph.constant(Tensor::view(const_cast<float*>(batch->targets.data()), out_shape));
        loss = scaled_l2_loss(model.step(graph, x, {batch->dt, batch->parameter}), target);
      } else {
        loss = (*unrolled)(model, graph, *batch, setup.pushforward);
      }
      const float value = loss.value()[0];
      if (!std::isfinite(value))
        fail(ErrorKind::numerical,
             "training loss is {} at step {} (epoch {}, batch {}): lower --lr or check the data",
             value, state.step + 1, state.epoch + 1, state.batch + 1);
      graph.backward(loss);
      try {
        if (setup.clip > 0) clip_grad_norm(model.parameters(), setup.clip);
      } catch (const Error& e) {
        fail(ErrorKind::numerical, "step {}: {}", state.step + 1, e.what());
      }
      lr = schedule(state.step);
      optimizer.step(model.parameters(), static_cast<float>(lr));
      ++state.step;
      ++state.batch;
      state.epoch_loss_sum += value;
      result.losses.push_back(value);
      if (setup.loss_log) fmt::print(setup.loss_log, "{} {:.9g}\n", state.step, value);
      samples_done += B;
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
      // Formatted into a reused string: the step allocates nothing once it has its capacity.
      note.clear();
      fmt::format_to(std::back_inserter(note), "epoch {}/{} loss {:.4f} {:.1f} samples/s",
                     state.epoch + 1, setup.epochs, value, samples_done / std::max(elapsed, 1e-9));
      progress.advance(1, note);
      const bool epoch_done = state.batch == per_epoch;
      if (!epoch_done && interrupt_requested()) return stop_here(TrainingStop::interrupted);
      if (!epoch_done && setup.max_steps > 0 && state.step >= setup.max_steps)
        return stop_here(TrainingStop::max_steps);
    }

    // End of epoch: validate, record, checkpoint (the state points at the next epoch).
    EvaluationOptions eo;
    eo.rollout = setup.rollout;
    eo.batch = B;
    const Evaluation v = evaluate(model, valid, norm, eo);
    EpochRecord r;
    r.epoch = state.epoch;
    r.step = state.step;
    r.train_loss = state.epoch_loss_sum / static_cast<double>(per_epoch);
    r.valid_one_step = v.one_step_model_mean();
    r.valid_rollout = v.rollout_model_mean();
    r.lr = lr;
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    state.history.push_back(r);
    const bool improved = r.valid_rollout < state.best_valid_rollout;
    if (improved) state.best_valid_rollout = r.valid_rollout;
    if (!setup.quiet)
      fmt::print(stderr,
                 "epoch {}/{}: train loss {:.5f}, valid one-step {:.5f}, rollout {:.5f} "
                 "(persistence {:.5f} / {:.5f}){}, {:.1f} s\n",
                 state.epoch + 1, setup.epochs, r.train_loss, r.valid_one_step, r.valid_rollout,
                 v.one_step_persistence_mean(), v.rollout_persistence_mean(),
                 improved ? ", best" : "", r.seconds);
    CheckpointInfo next = state;
    next.epoch = state.epoch + 1;
    next.batch = 0;
    next.epoch_loss_sum = 0;
    save(setup.out, model, optimizer, next);
    if (improved && !best.empty()) save(best, model, optimizer, next);
    const bool last = state.epoch + 1 == setup.epochs;
    if (!last &&
        (interrupt_requested() || (setup.max_steps > 0 && state.step >= setup.max_steps))) {
      state = next;
      progress.finish();
      result.stop = interrupt_requested() ? TrainingStop::interrupted : TrainingStop::max_steps;
      result.state = state;
      return result;
    }
  }
  progress.finish();
  result.state = state;
  result.stop = TrainingStop::finished;
  return result;
}

}  // namespace fieldlab::nn
