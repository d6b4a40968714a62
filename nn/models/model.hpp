#pragma once
// The model interface, in the style of tiny-cuda-nn's cpp_api: a narrow base every model shares
// (name, config object, parameter store, initialise from a seed, describe) and one interface per
// task, so the code that trains or evaluates a task depends only on what that task needs:
//
//   * FrameModel: frames in, frame out surrogates (SineNet, the U-Net): x [N, history * fields,
//     H, W] -> [N, fields, H, W], with H and W multiples of size_multiple(), optionally
//     conditioned on dt and a named scalar PDE parameter per sample. The frame-to-frame training
//     recipe (nn/trainer.hpp), evaluation and prediction use this.
//   * PointwiseModel: features in, features out per point, x [N, inputs] -> [N, outputs] (an MLP,
//     HQKAN). Physics-informed tasks (nn/tasks/heat_pinn.hpp) use it, with forward-mode jets for
//     input derivatives where the model supports them.
//
// Why task interfaces rather than one forward over named tensors: each task fixes the meaning and
// layout of its tensors (history-major channels, conditioning per sample, collocation points), and
// a typed interface states exactly what a task needs (code written against FrameModel is checked
// by the compiler; entry points that take any Model convert with as_frame_model, a usage error
// naming the model otherwise). A new task adds an interface here (or in its own header), not a
// convention about tensor names. A model may implement several.
//
// Parameters live in the model's one ParameterStore (one contiguous value/gradient buffer), so
// optimisers and checkpoints work on one span. The constructor declares the parameters without
// memory; initialise(seed) allocates and draws them (or the caller allocates and loads a
// checkpoint). config() is the typed configuration the model was built from
// (nn/models/model_config.hpp); config_yaml() is what a checkpoint stores to rebuild it.

#include <span>
#include <string>
#include <utility>

#include "nn/graph.hpp"
#include "nn/jet.hpp"
#include "nn/models/model_config.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

class Model {
 public:
  virtual ~Model() = default;
  // The registry name the model was made from ("sinenet8", "sinenet", "unet", "mlp").
  const std::string& name() const { return name_; }
  virtual const ModelConfig& config() const = 0;
  virtual ParameterStore& parameters() = 0;
  virtual const ParameterStore& parameters() const = 0;
  virtual void initialise(unsigned long long seed) = 0;
  // Human-readable layer structure with per-module parameter counts (declaration only: works
  // before the parameters have memory).
  virtual std::string describe() const = 0;
  // `model: NAME` followed by config().to_yaml(): a checkpoint's `model_config`.
  std::string config_yaml() const { return "model: " + name_ + "\n" + config().to_yaml(); }

 protected:
  explicit Model(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

// Per-sample conditioning values of a batch (empty for an unconditioned model).
struct ModelConditions {
  std::span<const float> dt, parameter;
};

class FrameModel : public Model {
 public:
  virtual int fields() const = 0;
  virtual int history() const = 0;
  // H and W must be multiples of this (2^downsamplings).
  virtual int size_multiple() const = 0;
  // "none", or how dt enters the model ("add", "adagn"); the data must then give dt per sample.
  virtual std::string conditioning() const { return "none"; }
  // The scalar PDE parameter of the data the model is conditioned on ("" for none).
  virtual std::string condition_parameter() const { return {}; }
  bool conditioned() const { return conditioning() != "none"; }
  // One next frame: checks that `conditions` match the model (empty for an unconditioned one; dt,
  // and the parameter when it has one, per sample for a conditioned one), then runs the network.
  Var step(Graph& graph, Var x, ModelConditions conditions = {}) const;

 protected:
  using Model::Model;
  virtual Var forward_frames(Graph& graph, Var x, ModelConditions conditions) const = 0;
};

class PointwiseModel : public Model {
 public:
  virtual int inputs() const = 0;
  virtual int outputs() const = 0;
  // x: [N, inputs()] -> [N, outputs()].
  virtual Var forward(Graph& graph, Var x) const = 0;
  // Whether forward(graph, Jet) is implemented (input derivatives for physics residuals).
  virtual bool has_jets() const { return false; }
  // The same map pushed through forward-mode jets (nn/jet.hpp); a usage error by default.
  virtual Jet forward(Graph& graph, const Jet& x) const;

 protected:
  using Model::Model;
};

// The task interface of `model`, or a usage error naming the model and what it is not
// ("model 'mlp' is not a frame-to-frame model (frames in, frame out)").
FrameModel& as_frame_model(Model& model);
const FrameModel& as_frame_model(const Model& model);
PointwiseModel& as_pointwise_model(Model& model);
const PointwiseModel& as_pointwise_model(const Model& model);

}  // namespace fieldlab::nn
