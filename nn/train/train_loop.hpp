#pragma once
// The one training loop every task runs through (the frame-to-frame recipe in nn/trainer.hpp, the
// heat-equation PINN in nn/tasks/heat_pinn.hpp), in the spirit of tiny-cuda-nn's
// Trainer(model, optimizer, loss): the task supplies its data position and a step function that
// builds the loss on a Graph; the loop owns everything around it:
//
//   for each epoch, for each batch of the epoch:
//     graph.reset(), zero gradients, loss = step(graph)   (a non-finite loss is a numerical error)
//     first-order: backward, clip the gradient norm, lr = schedule(step), optimizer.step(lr)
//     L-BFGS (full batch): one LbfgsParameterStore::step over the same closure
//     callbacks.after_step (loss log), progress note, then a stop check between steps:
//       the StopToken or max_steps -> callbacks.on_stop (checkpoint) and return
//   callbacks.after_epoch (validation, checkpoint, best copy, early stopping)
//
// Exact resume: the loop's whole state is a TrainingPosition (step, epoch, next batch, the epoch's
// loss sum) plus what the task stores with it (parameters, optimiser moments); the learning rate
// derives from the step count and the task's data order from (seed, epoch), so a run continued
// from a saved position takes the same steps with the same losses as one never stopped.
//
// The loop installs no signal handler, never exits and never prints: it polls the StopToken
// between steps and reports through the ProgressSink (nullptr: nothing). After the first step it
// allocates nothing per step (the Graph's arena and plan, a reused note string, losses reserved).

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "nn/graph.hpp"
#include "nn/lbfgs.hpp"
#include "nn/optimizer.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// Where a run stands: the next step to take is batch `batch` of epoch `epoch` (0-based) after
// `step` steps in total; `epoch_loss_sum` sums the current epoch's finished steps' losses.
struct TrainingPosition {
  long long step = 0, epoch = 0, batch = 0;
  double epoch_loss_sum = 0;
};

// The task's data, one batch per step: start_epoch positions it (at `first_batch` on a resume),
// next() makes the next batch current and returns false when the epoch has none left.
class TrainingBatches {
 public:
  virtual ~TrainingBatches() = default;
  virtual long long batches_per_epoch() const = 0;
  virtual void start_epoch(long long epoch, long long first_batch) = 0;
  virtual bool next() = 0;
};

// Full-batch data: one step per epoch on fixed inputs (collocation points, a whole data set).
class FullBatch final : public TrainingBatches {
 public:
  long long batches_per_epoch() const override { return 1; }
  void start_epoch(long long, long long first_batch) override { pending_ = first_batch == 0; }
  bool next() override { return std::exchange(pending_, false); }

 private:
  bool pending_ = false;
};

// One step's record, passed to after_step.
struct StepRecord {
  long long step = 0;              // 1-based: steps done including this one
  long long epoch = 0, batch = 0;  // of this step, 0-based
  float loss = 0;  // the step's loss (for L-BFGS: at the start of its step, as PyTorch returns)
  double lr = 0;   // the learning rate the update used (L-BFGS: its lr option)
};

// The position after an epoch that ended at `end`: the next epoch's first batch.
inline TrainingPosition next_epoch(const TrainingPosition& end) {
  return {end.step, end.epoch + 1, 0, 0.0};
}

enum class TrainingStop { finished, interrupted, max_steps, early_stop };
const char* to_string(TrainingStop stop);

struct TrainLoopCallbacks {
  std::function<void(const StepRecord&)> after_step;
  // After an epoch's last step, with the position at the end of that epoch (batch =
  // batches_per_epoch, epoch_loss_sum of all its steps; next_epoch(end) is where the run goes on)
  // and the learning rate of its last step. True stops the run early (TrainingStop::early_stop).
  // The place for validation, checkpoints and a best copy.
  std::function<bool(const TrainingPosition& end, double last_lr)> after_epoch;
  // When the run stops between two steps of an epoch (stop token or max_steps): save the state.
  std::function<void(const TrainingPosition&)> on_stop;
};

struct TrainLoopOptions {
  long long epochs = 1;
  long long max_steps = 0;  // stop once this many steps are done in total (0: no limit)
  double clip = 0;          // gradient norm limit for first-order optimisers (0: off)
  // Samples per step, for the progress note's rate (0: no rate shown).
  long long samples_per_step = 0;
  std::string label = "train";  // progress phase
  StopToken stop;               // polled between steps
  ProgressSink* progress = nullptr;
};

struct TrainLoopResult {
  TrainingStop stop = TrainingStop::finished;
  TrainingPosition position;  // where the run ended (what on_stop or after_epoch saved)
  std::vector<float> losses;  // every step taken in this call
};

// Builds one step's loss on `graph` (reset, gradients zeroed) from the current batch.
using StepLoss = std::function<Var(Graph& graph)>;
// Learning rate of step `step` (0-based: the number of steps done before it).
using LearningRate = std::function<double(long long step)>;

class TrainLoop {
 public:
  // First-order training of `store` with `optimizer` under `schedule`.
  TrainLoop(ParameterStore& store, Optimizer& optimizer, LearningRate schedule,
            TrainLoopOptions options);
  // Full-batch L-BFGS: each loop step is one LbfgsParameterStore::step (up to max_iter
  // iterations) over the step function.
  TrainLoop(ParameterStore& store, LbfgsParameterStore& lbfgs, TrainLoopOptions options);

  // Runs from `position` until the last epoch ends or a stop; `graph` is reused across steps.
  TrainLoopResult run(TrainingBatches& batches, Graph& graph, const StepLoss& step,
                      TrainingPosition position, const TrainLoopCallbacks& callbacks = {});

  // Results of the L-BFGS steps taken by the last run() (empty for first-order).
  const std::vector<LbfgsResult>& lbfgs_results() const { return lbfgs_results_; }

 private:
  float take_step(Graph& graph, const StepLoss& step, const TrainingPosition& at, double& lr);

  ParameterStore& store_;
  Optimizer* optimizer_ = nullptr;
  LbfgsParameterStore* lbfgs_ = nullptr;
  LearningRate schedule_;
  TrainLoopOptions options_;
  std::vector<LbfgsResult> lbfgs_results_;
};

// Early stopping on a validation metric (lower is better): should_stop() after `patience` epochs
// without a new best. patience 0 never stops.
class EarlyStopping {
 public:
  explicit EarlyStopping(int patience) : patience_(patience) {}
  // Records one epoch's metric; true once `patience` epochs in a row have not improved.
  bool should_stop(double metric);
  int epochs_without_improvement() const { return stale_; }

 private:
  int patience_;
  int stale_ = 0;
  double best_ = 0;
  bool seen_ = false;
};

}  // namespace fieldlab::nn
