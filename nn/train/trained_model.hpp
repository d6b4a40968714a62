#pragma once
// A trained model from its checkpoint, as eval, predict and bindings need it: the network rebuilt
// from the stored model configuration (through a registry, so models of libraries above nn load
// too), its parameters loaded, the normalisation it was trained with, and the checkpoint's info.
// Belongs with the training code (it returns the data layer's Normalisation).

#include <memory>
#include <string>

#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::nn {

struct TrainedModel {
  std::unique_ptr<Model> model;
  datasets::Normalisation norm;
  CheckpointInfo info;
};

// A file without a model configuration or normalisation (not written by training) is a usage
// error naming it; a configuration the registry cannot build names the unknown model or key.
TrainedModel load_trained_model(const std::string& checkpoint,
                                const ModelRegistry& registry = builtin_models());

}  // namespace fieldlab::nn
