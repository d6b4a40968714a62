#pragma once
// Activation functions selectable by name, for layers whose activation is an option (MLP, the
// transformer layers' feed-forward block): PyTorch's names.

#include <string>

#include "nn/graph.hpp"

namespace fieldlab::nn {

enum class Activation { relu, gelu, gelu_tanh, silu, tanh };
// "relu" | "gelu" | "gelu_tanh" | "silu" | "tanh"; an unknown name lists these.
Activation parse_activation(const std::string& name);
const char* to_string(Activation activation);
Var apply_activation(Activation activation, Var x);

}  // namespace fieldlab::nn
