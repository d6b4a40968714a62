#include "nn/models/mlp.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "nn/models/registry.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

void MlpConfig::bind(ConfigKeys& k) {
  k.integers("widths", widths, 1, 1 << 16, "layer widths, inputs first, outputs last");
  k.choice("activation", activation, {{"tanh", MlpActivation::tanh}, {"sin", MlpActivation::sin}},
           "activation between layers");
}

void MlpConfig::validate() const {
  require(widths.size() >= 2, "mlp: widths needs at least an input and an output width, got {}",
          widths.size());
  for (int w : widths) require(w >= 1, "mlp: every width must be positive, got {}", w);
}

Mlp::Mlp(std::string name, const MlpConfig& config)
    : PointwiseModel(std::move(name)), config_("mlp", config) {
  config.validate();
  const auto& w = config.widths;
  for (std::size_t l = 0; l + 1 < w.size(); ++l) {
    weights_.push_back(store_.add(fmt::format("layers.{}.weight", l), {w[l + 1], w[l]}));
    biases_.push_back(store_.add(fmt::format("layers.{}.bias", l), {w[l + 1]}));
  }
}

void Mlp::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  const auto& w = config_.value.widths;
  std::mt19937_64 rng(seed);
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    const float bound = std::sqrt(6.0f / static_cast<float>(w[l] + w[l + 1]));
    std::uniform_real_distribution<float> u(-bound, bound);
    Tensor wt = store_.value(weights_[l]);
    for (std::int64_t i = 0; i < wt.numel(); ++i) wt[i] = u(rng);
    Tensor bt = store_.value(biases_[l]);
    for (std::int64_t i = 0; i < bt.numel(); ++i) bt[i] = 0.0f;
  }
}

Var Mlp::forward(Graph& graph, Var x) const {
  // The graph records gradients into the store; forward itself changes no value.
  auto& store = const_cast<ParameterStore&>(store_);
  Var h = x;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    h = linear(h, graph.parameter(store, weights_[l]), graph.parameter(store, biases_[l]));
    if (l + 1 < weights_.size())
      h = config_.value.activation == MlpActivation::tanh ? nn::tanh(h) : nn::sin(h);
  }
  return h;
}

Jet Mlp::forward(Graph& graph, const Jet& x) const {
  auto& store = const_cast<ParameterStore&>(store_);
  Jet h = x;
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    h = jet_linear(h, graph.parameter(store, weights_[l]), graph.parameter(store, biases_[l]));
    if (l + 1 < weights_.size())
      h = config_.value.activation == MlpActivation::tanh ? jet_tanh(h) : jet_sin(h);
  }
  return h;
}

std::string Mlp::describe() const {
  const auto& w = config_.value.widths;
  std::string out = fmt::format("MLP ({} between layers): widths {}\n", config_.get("activation"),
                                fmt::join(w, " -> "));
  for (std::size_t l = 0; l + 1 < w.size(); ++l)
    out += fmt::format("  {:<60}{:>12}\n",
                       fmt::format("layers.{}  linear {} -> {}", l, w[l], w[l + 1]),
                       static_cast<long long>(w[l]) * w[l + 1] + w[l + 1]);
  out += fmt::format("parameters: {}\n", store_.size());
  return out;
}

ModelEntry mlp_model_entry() {
  ModelEntry e;
  e.family = "mlp";
  e.help = "mlp";
  e.matches = [](const std::string& n) { return n == "mlp"; };
  e.default_config = [](const std::string&) -> std::unique_ptr<ModelConfig> {
    return std::make_unique<ConfigOf<MlpConfig>>("mlp", MlpConfig{});
  };
  e.make = [](const std::string& n, const ModelConfig& config) -> std::unique_ptr<Model> {
    return std::make_unique<Mlp>(n, config_as<MlpConfig>(config));
  };
  return e;
}

}  // namespace fieldlab::nn
