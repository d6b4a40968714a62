#pragma once
// A whole frame-to-frame training run as `fieldlab train MODEL` and fieldlab.train() make it, so
// the two cannot drift: the model's configuration from its registry name and the keys given (its
// field count from the data), the run identity, the resume and overwrite checks, a writable probe
// of the checkpoint, the locks on CKPT.h5, CKPT.best.h5 and the loss log, the normalisation
// statistics, AdamW, and train_model() (nn/train/trainer.hpp). The library prints nothing: the
// lines the command line prints on stderr before training come through `on_message` (text without
// the newline), each epoch's summary through `on_epoch`, and the result holds what the closing
// line needs. A stop (StopToken, max_steps) returns normally with the reason in result.stop.

#include <functional>
#include <string>
#include <vector>

#include "core/progress_sink.hpp"
#include "core/stop_token.hpp"
#include "nn/models/registry.hpp"
#include "nn/train/trainer.hpp"

namespace fieldlab::nn {

struct TrainingRequest {
  std::string model;                // registry name ("sinenet4", "unet", ...)
  ModelKeys model_keys;             // given model keys (their "fields" is set from the data)
  std::string data, valid, out;     // valid "": the training file
  std::string loss_log;             // "" for none
  std::vector<std::string> fields;  // channel order; empty: all of the data's
  // The training settings (epochs, batch, lr, ...). Its out, loss_log, background, stop,
  // progress and on_epoch are set by run_training from the members here and its arguments.
  TrainingSetup setup;
  bool resume = false, overwrite = false;
  bool foreground = false;  // read batches on the training thread
};

struct TrainingRunCallbacks {
  // A line the command line prints on stderr before training ("normalisation ...", the model).
  std::function<void(const std::string& line)> on_message;
  // After every epoch's validation (TrainingSetup::on_epoch).
  std::function<void(const EpochRecord&, const Evaluation&, bool best)> on_epoch;
};

struct TrainingRun {
  TrainingResult result;     // stop reason, the last checkpoint's state, this call's losses
  std::string model;         // the registry name as given
  long long parameters = 0;  // parameter count
  int history = 0;           // input frames
  std::string best;          // best_path(out)
  // The epoch of state.history with the lowest validation rollout loss (-1: no epoch yet).
  long long best_index = -1;
};

// The checks and the run. A usage error names a missing MODEL, --data or --out, an existing --out
// without resume or overwrite, a resume of a run with other options; an io error an unwritable
// checkpoint. `registry` must know the model (quantum::qkan::all_models() for every family).
TrainingRun run_training(const TrainingRequest& request, const ModelRegistry& registry,
                         const StopToken& stop = {}, ProgressSink* progress = nullptr,
                         const TrainingRunCallbacks& callbacks = {});

// Fails before any training when `path` (or its best copy) cannot be written: a missing
// directory or no permission (io), or an existing path that is not a regular file (usage).
void probe_checkpoint_writable(const std::string& path);
// The checks every training run makes of its checkpoint path before it starts: an existing one
// needs resume or overwrite (not both), a resume needs one, and the path must be writable.
void check_checkpoint_target(const std::string& out, bool resume, bool overwrite);

}  // namespace fieldlab::nn
