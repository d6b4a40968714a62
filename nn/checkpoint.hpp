#pragma once
// Checkpoints in HDF5: every parameter as a float32 dataset under /parameters named as in the
// ParameterStore, the optimiser's moment buffers under /optimizer, and the step and model
// configuration as root attributes. Written to PATH.tmp and renamed, so a crash never leaves a
// half-written checkpoint under the final name.

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "nn/optimizer.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// One finished epoch of a training run.
struct EpochRecord {
  long long epoch = 0;  // 0-based
  long long step = 0;   // optimiser steps done at its end
  double train_loss = 0, valid_one_step = 0, valid_rollout = 0, lr = 0, seconds = 0;
};

struct CheckpointInfo {
  long long step = 0;
  std::string config;  // the training configuration as the writer stored it (YAML)
  // The model: its registry name and options (nn/models/registry.hpp), empty for bare stores.
  std::string model_config;
  // Normalisation statistics of the training data, per field in the model's channel order.
  std::vector<std::string> fields;
  std::vector<double> mean, std;
  // Loader/RNG state: the next batch to train is batch `batch` of epoch `epoch`; windows and
  // order of an epoch derive from (seed, epoch) alone, so this is all a resume needs.
  long long epoch = 0, batch = 0;
  unsigned long long seed = 0;
  double epoch_loss_sum = 0;  // training losses of the current epoch's finished batches, summed
  std::vector<EpochRecord> history;
  double best_valid_rollout = std::numeric_limits<double>::infinity();
  // A task's own state as float64 arrays by name (the L-BFGS history of the PINN tasks), under
  // /state; names are plain words without commas.
  std::map<std::string, std::vector<double>> state;
};

// The attributes, statistics and history of a checkpoint without its parameters (to build the
// model before loading). Not a checkpoint: an io or usage error naming the file.
CheckpointInfo read_checkpoint_info(const std::string& path);

void save_checkpoint(const std::string& path, const ParameterStore& store, Optimizer* optimizer,
                     const CheckpointInfo& info);

// Loads into `store` (every parameter must be present with the same shape: a checkpoint of another
// model or size is a usage error) and, when given, into `optimizer`.
CheckpointInfo load_checkpoint(const std::string& path, ParameterStore& store,
                               Optimizer* optimizer);

}  // namespace fieldlab::nn
