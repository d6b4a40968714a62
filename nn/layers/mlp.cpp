#include "nn/layers/mlp.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace fieldlab::nn {

MLP::MLP(ParameterStore& store, const std::string& prefix, const std::vector<int>& widths,
         Activation activation, MLPNaming naming)
    : activation_(activation) {
  require(widths.size() >= 2, "mlp {}: needs at least an input and an output width, got {}", prefix,
          widths.size());
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    layers_.emplace_back(store,
                         fmt::format("{}{}.", prefix, naming == MLPNaming::sequential ? 2 * i : i),
                         widths[i], widths[i + 1]);
}

void MLP::initialise(std::mt19937_64& rng) {
  for (Linear& l : layers_) l.initialise(rng);
}

void MLP::initialise_xavier(std::mt19937_64& rng) {
  for (Linear& l : layers_) l.initialise_xavier(rng);
}

std::int64_t MLP::parameter_count() const {
  std::int64_t n = 0;
  for (const Linear& l : layers_) n += l.parameter_count();
  return n;
}

Var MLP::forward(Graph& g, Var x) const {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (i > 0) x = apply_activation(activation_, x);
    x = layers_[i].forward(g, x);
  }
  return x;
}

Jet MLP::forward(Graph& g, const Jet& x) const {
  Jet h = x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (i > 0) h = apply_activation(activation_, h);
    h = layers_[i].forward(g, h);
  }
  return h;
}

JetStack MLP::forward(Graph& g, const JetStack& x) const {
  JetStack h = x;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (i > 0) h = apply_activation(activation_, h);
    h = layers_[i].forward(g, h);
  }
  return h;
}

}  // namespace fieldlab::nn
