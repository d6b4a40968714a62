#include "apps/checkpoint_model.hpp"

#include "core/error.hpp"

namespace fieldlab::apps {

TrainedModel load_trained_model(const std::string& checkpoint) {
  TrainedModel t;
  t.info = nn::read_checkpoint_info(checkpoint);
  require(!t.info.model_config.empty() && !t.info.fields.empty(),
          "{} holds no model configuration or normalisation (not written by fieldlab train)",
          checkpoint);
  t.model = nn::make_model_from_yaml(t.info.model_config);
  t.model->parameters().allocate();
  nn::load_checkpoint(checkpoint, t.model->parameters(), nullptr);
  t.norm = {t.info.fields, t.info.mean, t.info.std};
  return t;
}

}  // namespace fieldlab::apps
