#pragma once
// The layer convention shared by every layer in nn/layers/ (Linear, Conv2d, MLP, LayerNorm,
// GroupNorm, Embedding, MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer):
//
//   Layer(ParameterStore& store, const std::string& prefix, <sizes and options>)
//       declares the layer's parameters in the model's store (before store.allocate()) under
//       `prefix` + PyTorch's state_dict name ("layers.0." + "self_attn.in_proj_weight"), and keeps
//       the store's address and the parameters' indices. Sub-layers get prefix + "<member>.".
//   void initialise(std::mt19937_64& rng)
//       after store.allocate(): draws the parameters from the distributions PyTorch's
//       reset_parameters uses (the values differ from PyTorch's, whose generator is its own).
//   std::int64_t parameter_count() const
//       known from the constructor's arguments alone (no memory needed).
//   Var forward(Graph& graph, Var input, ...) const
//       reads the parameters as graph parameters, so gradients accumulate in the store's one
//       gradient buffer. Layers with dropout take a `std::mt19937_64* rng`: training passes the
//       generator (dropout applied, reproducibly), evaluation passes none (dropout is identity).
//
// Every model follows this convention: SineNet and the U-Net (built from these layers), MlpModel
// (over MLP), and quantum/nn's QkanStack and Hqkan.
//
// Why the layer keeps a pointer to the store (rather than taking it per call, as QKAN once did,
// or owning private index structs, as SineNet once did): a layer is then called like a
// torch.nn.Module, with its inputs only, and composite layers (a transformer layer holding
// attention, two Linears and two norms) never thread the store through; the one model-wide store
// still holds every value and gradient contiguously, so optimisers and checkpoints see a single
// span. The cost is a lifetime rule: the store must outlive its layers and must not move while they
// exist. A model that owns both therefore keeps them side by side and is neither copyable nor
// movable (or holds the store behind a std::unique_ptr).

#include <cstdint>
#include <random>
#include <string>

#include "nn/graph.hpp"
#include "nn/parameter_store.hpp"

namespace fieldlab::nn {

// Dropout as layers apply it: only with a generator (training) and p > 0; otherwise x itself.
Var dropout_if_training(Var x, float p, std::mt19937_64* rng);

// PyTorch's initialisers on one declared parameter (the store must be allocated).
void init_uniform(ParameterStore& store, int index, float bound, std::mt19937_64& rng);
void init_normal(ParameterStore& store, int index, float mean, float stddev, std::mt19937_64& rng);
// xavier_uniform_: U(+-sqrt(6 / (fan_in + fan_out))).
void init_xavier_uniform(ParameterStore& store, int index, std::int64_t fan_in,
                         std::int64_t fan_out, std::mt19937_64& rng);

// Throws a usage error naming the layer when its store was not allocated yet.
void require_allocated(const ParameterStore& store, const char* layer);

}  // namespace fieldlab::nn
