#include "nn/layers/activation.hpp"

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Activation parse_activation(const std::string& name) {
  for (Activation a : {Activation::relu, Activation::gelu, Activation::gelu_tanh, Activation::silu,
                       Activation::tanh})
    if (name == to_string(a)) return a;
  fail(ErrorKind::usage, "unknown activation '{}' (expected relu, gelu, gelu_tanh, silu or tanh)",
       name);
}

const char* to_string(Activation activation) {
  switch (activation) {
    case Activation::relu:
      return "relu";
    case Activation::gelu:
      return "gelu";
    case Activation::gelu_tanh:
      return "gelu_tanh";
    case Activation::silu:
      return "silu";
    default:
      return "tanh";
  }
}

Var apply_activation(Activation activation, Var x) {
  switch (activation) {
    case Activation::relu:
      return relu(x);
    case Activation::gelu:
      return gelu(x);
    case Activation::gelu_tanh:
      return gelu_tanh(x);
    case Activation::silu:
      return silu(x);
    default:
      return tanh(x);
  }
}

}  // namespace fieldlab::nn
