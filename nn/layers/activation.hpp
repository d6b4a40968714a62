#pragma once
// Activation functions selectable by name, for layers whose activation is an option (MLP, the
// transformer layers' feed-forward block): PyTorch's names, plus sin (SIREN-style PINNs).
// Jets (nn/jet.hpp, input derivatives for PINN residuals) exist for gelu, silu, tanh and sin.

#include <string>

#include "nn/graph.hpp"
#include "nn/jet.hpp"
#include "nn/jet_stack.hpp"

namespace fieldlab::nn {

enum class Activation { relu, gelu, gelu_tanh, silu, tanh, sin };
// "relu" | "gelu" | "gelu_tanh" | "silu" | "tanh" | "sin"; an unknown name lists these.
Activation parse_activation(const std::string& name);
const char* to_string(Activation activation);
Var apply_activation(Activation activation, Var x);
// The same activation on a jet; a usage error for relu and gelu_tanh (no jet).
Jet apply_activation(Activation activation, const Jet& x);
// The fused stacked form (nn/jet_stack.hpp) exists for tanh and sin (a usage error otherwise).
JetStack apply_activation(Activation activation, const JetStack& x);

}  // namespace fieldlab::nn
