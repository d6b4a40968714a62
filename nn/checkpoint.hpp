#pragma once
// Checkpoints in HDF5: every parameter as a float32 dataset under /parameters named as in the
// ParameterStore, the optimiser's moment buffers under /optimizer, and the step and model
// configuration as root attributes. Written to PATH.tmp and renamed, so a crash never leaves a
// half-written checkpoint under the final name.

#include <string>

#include "nn/optimizer.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

struct CheckpointInfo {
  long long step = 0;
  std::string config;  // the model/training configuration as the writer stored it (YAML)
};

void save_checkpoint(const std::string& path, const ParameterStore& store, Optimizer* optimizer,
                     const CheckpointInfo& info);

// Loads into `store` (every parameter must be present with the same shape: a checkpoint of another
// model or size is a usage error) and, when given, into `optimizer`.
CheckpointInfo load_checkpoint(const std::string& path, ParameterStore& store,
                               Optimizer* optimizer);

}  // namespace fieldlab::nn
