#pragma once
// The frame-to-frame training recipe for one-step surrogates (the SineNet recipe, optionally
// unrolled over several predicted frames), one user of the generic loop (nn/train_loop.hpp):
// windows from a WindowLoader (with each window's dt and PDE parameter for a conditioned model),
// the scaled-L2 loss on z-scored fields, AdamW with linear warm-up and cosine decay, gradient
// clipping, validation (one-step and rollout relative L2) after every epoch, a checkpoint after
// every epoch (and a copy of the best by validation rollout loss), optional early stopping on it,
// and a checkpoint at a step boundary when the StopToken asks or after max_steps.
//
// Exact resume: a checkpoint records the parameters, the optimiser moments and step count, and
// the loader position (epoch, next batch); an epoch's windows and order derive from (seed, epoch)
// alone, and the learning rate from the step count, so continuing from a checkpoint takes the
// same steps with the same losses as a run that was never stopped (same thread count).

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/model_config.hpp"
#include "nn/models/registry.hpp"
#include "nn/optimizer.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/train_loop.hpp"

namespace fieldlab::nn {

struct TrainingSetup {
  int epochs = 10;
  int batch = 8;
  double lr = 1e-3;          // peak learning rate
  double start_lr = 1e-7;    // warm-up start and cosine end (the spec's 1e-7)
  double warmup_epochs = 1;  // linear warm-up length
  double weight_decay = 1e-5;
  double clip = 1.0;  // gradient norm limit (0: off)
  unsigned long long seed = 0;
  int rollout = 0;                 // validation rollout steps (0: all the data allows)
  int windows_per_trajectory = 1;  // random windows per trajectory and epoch (0: every start)
  // Unrolled training: the model predicts `unroll` frames autoregressively from each window and
  // the loss is the mean scaled L2 over them (gradients through the whole rollout); with
  // `pushforward` the first unroll - 1 steps run without gradients and only the last is trained.
  int unroll = 1;
  bool pushforward = false;
  long long max_steps = 0;  // stop (with a checkpoint) once this many steps are done (0: off)
  // Stop after this many epochs in a row without a better validation rollout loss (0: off).
  int patience = 0;
  bool background = true;         // assemble batches on a loader thread
  std::string out;                // checkpoint path, "" for none; the best goes to best_path(out)
  std::FILE* loss_log = nullptr;  // "step loss" per line (%.9g), when given
  StopToken stop;                 // polled between steps: stop with a checkpoint
  ProgressSink* progress = nullptr;  // one "train" phase (nullptr: no progress)
  // After every epoch's validation (for a summary line; the library prints nothing itself).
  std::function<void(const EpochRecord&, const Evaluation&, bool best)> on_epoch;
};

struct TrainingResult {
  TrainingStop stop = TrainingStop::finished;
  CheckpointInfo state;       // what the last checkpoint holds
  std::vector<float> losses;  // the training loss of every step taken in this call
};

// The loss of an unrolled rollout (--unroll M): from a batch of windows with M target frames
// (loader future = M), the model predicts M frames autoregressively, each prediction fed back as
// the newest input frame (with that step's dt for a conditioned model), and the loss is the mean
// of the M scaled-L2 losses, with gradients through the whole rollout. With `pushforward` the
// first M - 1 steps run without gradients and the loss is the last step's alone: the model learns
// to correct inputs it made itself (Brandstetter et al., the pushforward trick). The batch's
// frames are regrouped into buffers owned here, allocated once.
class UnrolledLoss {
 public:
  UnrolledLoss(int batch, int fields, int history, int steps, int h, int w);
  Var operator()(const FrameModel& model, Graph& graph, const datasets::Batch& batch,
                 bool pushforward);

 private:
  int B_, C_, H_, M_;
  std::size_t hw_;
  Shape frame_shape_;
  std::vector<float> frames_, targets_;  // [H][B][C][h][w], [M][B][C][h][w]
  std::vector<Var> sequence_, window_;   // empty between calls: handles never outlive a graph
};

// The keys of `setup` that change what a run computes, for the run identity below: epochs,
// batch, windows-per-trajectory, unroll, pushforward, lr, warmup-epochs, weight-decay, clip,
// rollout, seed, patience (the command line's option names). Run control (out, max_steps,
// background, the log, the stop token, progress) is not among them: a resumed run may change it.
void bind_identity_keys(ConfigKeys& keys, TrainingSetup& setup);

// What identifies a frame-to-frame run for resume, as YAML text stored in the checkpoint's
// `config` attribute: the model (registry name and resolved configuration, without its field
// count, which the data gives), the data files, the fields asked for (empty: all of the data's)
// and the identity keys of `setup`. Derived from the structs, so the same settings give the same
// text however they were spelled (1e-3 or 0.001, a default or the same value given).
std::string training_identity(const std::string& model, const ModelConfig& model_config,
                              const std::string& data, const std::string& valid,
                              const std::vector<std::string>& fields, const TrainingSetup& setup);
// A stored identity re-derived through the same structs: this version's text, or the
// command-line form versions before the typed configs stored (option names as keys, values as
// typed, empty model keys for "not given"). Compare it with training_identity() to resume. A text
// with keys that are neither is a usage error naming them.
std::string canonical_training_identity(const std::string& stored,
                                        const ModelRegistry& registry = builtin_models());

// CKPT.h5 -> CKPT.best.h5.
std::string best_path(const std::string& out);

// Trains `model` (a FrameModel, parameters allocated, initialised or loaded) with `optimizer`
// (fresh or loaded from the same checkpoint) from `state` (a fresh CheckpointInfo with fields and
// normalisation set, or one read from a checkpoint to resume). `valid` is the validation data.
TrainingResult train_model(Model& model, Optimizer& optimizer,
                           const datasets::TrajectoryReader& train,
                           const datasets::TrajectoryReader& valid, CheckpointInfo state,
                           const TrainingSetup& setup);

}  // namespace fieldlab::nn
