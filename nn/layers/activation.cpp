#include "nn/layers/activation.hpp"

#include "core/error.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

Activation parse_activation(const std::string& name) {
  for (Activation a : {Activation::relu, Activation::gelu, Activation::gelu_tanh, Activation::silu,
                       Activation::tanh, Activation::sin})
    if (name == to_string(a)) return a;
  fail(ErrorKind::usage,
       "unknown activation '{}' (expected relu, gelu, gelu_tanh, silu, tanh or sin)", name);
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
    case Activation::sin:
      return "sin";
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
    case Activation::sin:
      return sin(x);
    default:
      return tanh(x);
  }
}

Jet apply_activation(Activation activation, const Jet& x) {
  switch (activation) {
    case Activation::gelu:
      return jet_gelu(x);
    case Activation::silu:
      return jet_silu(x);
    case Activation::tanh:
      return jet_tanh(x);
    case Activation::sin:
      return jet_sin(x);
    default:
      fail(ErrorKind::usage, "activation {} has no jet (jets: gelu, silu, tanh, sin)",
           to_string(activation));
  }
}

JetStack apply_activation(Activation activation, const JetStack& x) {
  switch (activation) {
    case Activation::tanh:
      return jet_stack_tanh(x);
    case Activation::sin:
      return jet_stack_sin(x);
    default:
      fail(ErrorKind::usage, "activation {} has no stacked jet (stacked jets: tanh, sin)",
           to_string(activation));
  }
}

}  // namespace fieldlab::nn
