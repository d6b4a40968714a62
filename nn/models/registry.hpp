#pragma once
// Models by name: one small polymorphic interface over the concrete networks (SineNet and the
// U-Net baseline), so describe/train/eval/predict and checkpoints handle any of
// them alike. A model's options are a flat set of key/value pairs that round-trip through YAML
// text, which is what a checkpoint stores to rebuild the same network.
//
// Adding a model is one entry in registry.cpp's table: a name matcher and a factory that turns
// ModelOptions into the model's own config (see ModelOf below for the adapter).

#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "nn/graph.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// Everything a model can be configured with from the command line or a checkpoint. Models use
// the keys that apply to them; 0 means "the model's default".
struct ModelOptions {
  int fields = 3;
  int history = 4;
  int waves = 0;    // sinenet: K (0: the name's default)
  double mult = 0;  // channel multiplier (0: the preset for K)
  int hidden = 64;
  int levels = 4;
  int blocks = 0;  // ConvBlocks per level (0: the model's default, 1 for SineNet, 8 for the U-Net)
  std::string padding = "zeros";
  bool tangled = false;
  // Conditioning on dt (sinenet only): none, add or adagn; `parameter` names a scalar PDE
  // parameter of the data (e.g. buo_y) that the model is conditioned on as well ("" for none).
  // Both are stored in checkpoints, so eval and predict feed the model what it was trained with.
  std::string conditioning = "none";
  std::string parameter;

  // Flat "key: value" YAML lines, and back (unknown keys are an error naming them).
  std::string to_yaml() const;
  static ModelOptions from_yaml(const std::string& yaml);
};

// Per-sample conditioning values of a batch (empty for an unconditioned model).
struct ModelConditions {
  std::span<const float> dt, parameter;
};

class Model {
 public:
  virtual ~Model() = default;
  // The registry name the model was made from ("sinenet8", "sinenet", "unet").
  const std::string& name() const { return name_; }
  const ModelOptions& options() const { return options_; }
  // `model: NAME` followed by the options, for checkpoints.
  std::string config_yaml() const;

  virtual ParameterStore& parameters() = 0;
  virtual const ParameterStore& parameters() const = 0;
  virtual void initialise(unsigned long long seed) = 0;
  // x: [N, history * fields, H, W] -> [N, fields, H, W] (one next frame).
  virtual Var forward(Graph& graph, Var x) const = 0;
  // Whether the model takes dt (and options().parameter) per sample.
  bool conditioned() const { return options_.conditioning != "none"; }
  // forward() for an unconditioned model (`conditions` must be empty), the conditioned forward
  // pass with one dt (and parameter) per sample otherwise: what trainer, eval and predict call.
  Var step(Graph& graph, Var x, ModelConditions conditions = {}) const;
  virtual std::string describe() const = 0;
  // H and W must be multiples of this (2^downsamplings).
  virtual int size_multiple() const = 0;
  int fields() const { return options_.fields; }
  int history() const { return options_.history; }

 protected:
  virtual Var forward_conditioned(Graph& graph, Var x, std::span<const float> dt,
                                  std::span<const float> parameter) const = 0;

  Model(std::string name, ModelOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}

 private:
  std::string name_;
  ModelOptions options_;
};

// Adapts a network class with the common shape (ctor(Config), initialise(seed), parameters(),
// forward(graph, x), describe(); optionally forward(graph, x, dt, parameter)) to Model.
template <typename Net>
class ModelOf final : public Model {
 public:
  template <typename Config>
  ModelOf(std::string name, ModelOptions options, const Config& config, int size_multiple)
      : Model(std::move(name), std::move(options)), net_(config), size_multiple_(size_multiple) {}
  ParameterStore& parameters() override { return net_.parameters(); }
  const ParameterStore& parameters() const override { return net_.parameters(); }
  void initialise(unsigned long long seed) override { net_.initialise(seed); }
  Var forward(Graph& graph, Var x) const override { return net_.forward(graph, x); }
  std::string describe() const override { return net_.describe(); }
  int size_multiple() const override { return size_multiple_; }
  const Net& net() const { return net_; }

 protected:
  Var forward_conditioned(Graph& graph, Var x, std::span<const float> dt,
                          std::span<const float> parameter) const override {
    if constexpr (requires { net_.forward(graph, x, dt, parameter); })
      return net_.forward(graph, x, dt, parameter);
    else
      fail(ErrorKind::usage, "model '{}' takes no conditioning", name());
  }

 private:
  Net net_;
  int size_multiple_;
};

// Builds (declares, does not allocate) the model `name` (case-insensitive); an unknown name is a
// usage error listing the known ones.
std::unique_ptr<Model> make_model(const std::string& name, const ModelOptions& options);
// Rebuilds a model from config_yaml() text (a checkpoint's `model_config`).
std::unique_ptr<Model> make_model_from_yaml(const std::string& yaml);
// "sinenet, sinenetK (K = 1, 2, 4, 6, 8), ..." for help texts and errors.
std::string known_models();

}  // namespace fieldlab::nn
