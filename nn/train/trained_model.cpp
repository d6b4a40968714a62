#include "nn/train/trained_model.hpp"

#include "core/error.hpp"

namespace fieldlab::nn {

TrainedModel load_trained_model(const std::string& checkpoint, const ModelRegistry& registry) {
  TrainedModel t;
  t.info = read_checkpoint_info(checkpoint);
  require(!t.info.model_config.empty() && !t.info.fields.empty(),
          "{} holds no model configuration or normalisation (not written by fieldlab train)",
          checkpoint);
  t.model = registry.from_yaml(t.info.model_config);
  t.model->parameters().allocate();
  load_checkpoint(checkpoint, t.model->parameters(), nullptr);
  t.norm = {t.info.fields, t.info.mean, t.info.std};
  return t;
}

}  // namespace fieldlab::nn
