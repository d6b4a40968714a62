#include "nn/models/mlp_model.hpp"

#include <fmt/format.h>

#include <random>

#include "core/error.hpp"
#include "nn/models/registry.hpp"

namespace fieldlab::nn {

void MlpConfig::bind(ConfigKeys& k) {
  k.integers("widths", widths, 1, 1 << 16, "layer widths, inputs first, outputs last");
  k.choice("activation", activation, {{"tanh", Activation::tanh}, {"sin", Activation::sin}},
           "activation between layers");
}

void MlpConfig::validate() const {
  require(widths.size() >= 2, "mlp: widths needs at least an input and an output width, got {}",
          widths.size());
  for (int w : widths) require(w >= 1, "mlp: every width must be positive, got {}", w);
}

namespace {
const MlpConfig& validated(const MlpConfig& config) {
  config.validate();
  return config;
}
}  // namespace

MlpModel::MlpModel(std::string name, const MlpConfig& config)
    : PointwiseModel(std::move(name)),
      config_("mlp", validated(config)),
      mlp_(store_, "layers.", config.widths, config.activation, MLPNaming::module_list) {}

void MlpModel::initialise(unsigned long long seed) {
  if (!store_.allocated()) store_.allocate();
  std::mt19937_64 rng(seed);
  mlp_.initialise_xavier(rng);
}

Var MlpModel::forward(Graph& graph, Var x) const { return mlp_.forward(graph, x); }

Jet MlpModel::forward(Graph& graph, const Jet& x) const { return mlp_.forward(graph, x); }

std::string MlpModel::describe() const {
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
    return std::make_unique<MlpModel>(n, config_as<MlpConfig>(config));
  };
  return e;
}

}  // namespace fieldlab::nn
