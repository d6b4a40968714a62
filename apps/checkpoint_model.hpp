#pragma once
// Loads a trained model from a checkpoint for eval/predict: rebuilds the network from the stored
// model configuration, loads its parameters and returns the normalisation it was trained with.

#include <memory>
#include <string>

#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::apps {

struct TrainedModel {
  std::unique_ptr<nn::Model> model;
  datasets::Normalisation norm;
  nn::CheckpointInfo info;
};

TrainedModel load_trained_model(const std::string& checkpoint);

}  // namespace fieldlab::apps
