#pragma once
// torch.nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
// layer_norm_eps, batch_first=True, norm_first) on targets [B, T, D] and memory [B, S, D], with
// its state_dict names under `prefix`: self_attn.*, multihead_attn.* (cross-attention; both
// MultiheadAttention's in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias),
// linear1.*, linear2.*, norm1.*, norm2.*, norm3.* (weight, bias). Post-norm (default):
//   x = norm1(x + dropout1(self_attn(x, tgt_mask)))
//   x = norm2(x + dropout2(multihead_attn(x, memory, memory_mask)))
//   x = norm3(x + dropout3(ff(x)))
// norm_first applies each norm to the branch input instead: x = x + dropout(f(norm(x))).
// Follows the layer convention (layer.hpp): dropout only when forward gets a generator.

#include <cstdint>
#include <random>
#include <string>

#include "nn/layers/attention.hpp"
#include "nn/layers/linear.hpp"
#include "nn/layers/norm.hpp"
#include "nn/layers/transformer_config.hpp"

namespace fieldlab::nn {

class TransformerDecoderLayer {
 public:
  TransformerDecoderLayer(ParameterStore& store, const std::string& prefix,
                          const TransformerLayerConfig& config);
  void initialise(std::mt19937_64& rng);  // each sub-layer as PyTorch's
  const TransformerLayerConfig& config() const { return config_; }
  std::int64_t parameter_count() const;

  // tgt: [B, T, D], memory: [B, S, D]. tgt_mask: PyTorch's tgt_mask (causal) / tgt_is_causal and
  // tgt_key_padding_mask ([B, T]); memory_mask: memory_key_padding_mask ([B, S]) (and causal if
  // asked, PyTorch's memory_is_causal).
  Var forward(Graph& graph, Var tgt, Var memory, const AttentionMask& tgt_mask = {},
              const AttentionMask& memory_mask = {}, std::mt19937_64* rng = nullptr) const;

 private:
  TransformerLayerConfig config_;
  // Declared (so constructed, so laid out in the store) in PyTorch's state_dict order.
  MultiheadAttention self_attn_, multihead_attn_;
  Linear linear1_, linear2_;
  LayerNorm norm1_, norm2_, norm3_;
};

}  // namespace fieldlab::nn
