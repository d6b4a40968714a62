#include "nn/models/model.hpp"

#include "core/error.hpp"

namespace fieldlab::nn {

Var FrameModel::step(Graph& graph, Var x, ModelConditions conditions) const {
  if (!conditioned()) {
    require(conditions.dt.empty() && conditions.parameter.empty(),
            "model '{}' is not conditioned but conditioning values were given", name());
    return forward_frames(graph, x, {});
  }
  require(!conditions.dt.empty(), "model '{}' is conditioned ({}) and needs dt per sample", name(),
          conditioning());
  require(condition_parameter().empty() || !conditions.parameter.empty(),
          "model '{}' is conditioned on '{}' and needs its value per sample", name(),
          condition_parameter());
  return forward_frames(graph, x, conditions);
}

Jet PointwiseModel::forward(Graph&, const Jet&) const {
  fail(ErrorKind::usage,
       "model '{}' has no forward-mode derivatives (jets); use an mlp for physics residuals",
       name());
}

FrameModel& as_frame_model(Model& model) {
  return const_cast<FrameModel&>(as_frame_model(static_cast<const Model&>(model)));
}

const FrameModel& as_frame_model(const Model& model) {
  const auto* m = dynamic_cast<const FrameModel*>(&model);
  require(m != nullptr,
          "model '{}' is not a frame-to-frame model (frames in, frame out); use sinenet or unet",
          model.name());
  return *m;
}

PointwiseModel& as_pointwise_model(Model& model) {
  return const_cast<PointwiseModel&>(as_pointwise_model(static_cast<const Model&>(model)));
}

const PointwiseModel& as_pointwise_model(const Model& model) {
  const auto* m = dynamic_cast<const PointwiseModel*>(&model);
  require(m != nullptr,
          "model '{}' is not a pointwise model ([N, inputs] -> [N, outputs]); use mlp or hqkan",
          model.name());
  return *m;
}

}  // namespace fieldlab::nn
