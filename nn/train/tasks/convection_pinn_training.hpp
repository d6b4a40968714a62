#pragma once
// A whole LPINN/PINN training run as `fieldlab train lpinn|pinn` and fieldlab.train_pinn() make
// it: the network from its registry name and keys, the task (nn/train/tasks/convection_pinn.hpp),
// then for each curriculum speed and finally the problem's own speed: Adam (constant lr, full
// batch) for adam_steps, then L-BFGS (strong Wolfe, PyTorch semantics) in steps of
// lbfgs_step_iterations iterations, all through the generic TrainLoop.
//
// Checkpoints (CKPT.h5, written to CKPT.h5.tmp and renamed) every checkpoint_every steps, at each
// phase end, and when stopped: the parameters, Adam's moments, the L-BFGS state (history,
// direction, step) as float64 arrays, the task configuration (YAML) and the position
// (stage, phase, step within it). --resume continues exactly: the same steps with the same losses
// as a run never stopped (Adam bit for bit; L-BFGS from its saved double-precision state).
// A resume with another configuration is a usage error naming the first key that differs.
// The library prints nothing: messages through on_message, phase ends through on_phase.

#include <functional>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/tasks/convection_pinn.hpp"
#include "nn/train/train_loop.hpp"

namespace fieldlab::nn {

struct PinnTrainingRequest {
  ConvectionPinnConfig config;
  ModelKeys model_keys;   // network keys (lpinn: width, depth_x, depth_u; pinn: widths, ...)
  std::string out;        // checkpoint path; "" trains without saving
  std::string loss_log;   // "step loss" lines appended ("" for none)
  bool resume = false, overwrite = false;
  long long max_steps = 0;  // stop with a checkpoint after this many steps in all (0: no limit)
};

// Where a run stands: stage s (0 .. curriculum.size(); the last is the problem's speed), phase
// 0 = Adam, 1 = L-BFGS, `step` steps done within that phase.
struct PinnPosition {
  int stage = 0, phase = 0;
  long long step = 0;
  long long total_steps = 0;  // over the whole run
};

struct PinnPhaseRecord {
  int stage = 0, phase = 0;
  double speed = 0;
  long long steps = 0;     // taken in this phase (including before a resume)
  double loss = 0;         // last step's
  double relative_l2 = 0;  // at the phase's speed: against that speed's reference
  double seconds = 0;      // this call's time in the phase
};

struct PinnTrainingCallbacks {
  std::function<void(const std::string& line)> on_message;
  std::function<void(const PinnPhaseRecord&)> on_phase;
};

struct PinnTrainingRun {
  TrainingStop stop = TrainingStop::finished;
  PinnPosition position;                 // where it ended (what the checkpoint holds)
  std::vector<PinnPhaseRecord> phases;   // finished in this call
  std::vector<float> losses;             // every step of this call
  PinnEvaluation evaluation;             // final (or at the stop) at the problem's speed
  long long parameters = 0;
  std::string model;                     // registry name
  double seconds = 0;
};

PinnTrainingRun run_convection_pinn_training(const PinnTrainingRequest& request,
                                             const StopToken& stop = {},
                                             ProgressSink* progress = nullptr,
                                             const PinnTrainingCallbacks& callbacks = {});

// A trained LPINN/PINN checkpoint: its network and task (for eval, predict, render, Python).
struct TrainedPinn {
  std::unique_ptr<Model> model;
  ConvectionPinnConfig config;
  PinnPosition position;
};
// Whether `checkpoint` is an LPINN/PINN checkpoint (its task attribute), without loading it.
bool is_pinn_checkpoint(const std::string& checkpoint);
TrainedPinn load_trained_pinn(const std::string& checkpoint);

}  // namespace fieldlab::nn
