#pragma once
// torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
// layer_norm_eps, batch_first=True, norm_first) on [B, T, D], with its state_dict names under
// `prefix`: self_attn.{in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias},
// linear1.{weight, bias} [F, D], linear2.{weight, bias} [D, F], norm1.{weight, bias},
// norm2.{weight, bias}. Post-norm (default):
//   x = norm1(x + dropout1(self_attn(x, mask)));  x = norm2(x + dropout2(ff(x)))
// norm_first:
//   x = x + dropout1(self_attn(norm1(x), mask));  x = x + dropout2(ff(norm2(x)))
// with ff(x) = linear2(dropout(activation(linear1(x)))). Follows the layer convention
// (layer.hpp): dropout only when forward gets a generator.

#include <cstdint>
#include <random>
#include <string>

#include "nn/layers/attention.hpp"
#include "nn/layers/linear.hpp"
#include "nn/layers/norm.hpp"
#include "nn/layers/transformer_config.hpp"

namespace fieldlab::nn {

class TransformerEncoderLayer {
 public:
  TransformerEncoderLayer(ParameterStore& store, const std::string& prefix,
                          const TransformerLayerConfig& config);
  void initialise(std::mt19937_64& rng);  // each sub-layer as PyTorch's
  const TransformerLayerConfig& config() const { return config_; }
  std::int64_t parameter_count() const;

  // src: [B, T, D]; mask: PyTorch's src_mask (causal) / is_causal and src_key_padding_mask.
  Var forward(Graph& graph, Var src, const AttentionMask& mask = {},
              std::mt19937_64* rng = nullptr) const;

 private:
  TransformerLayerConfig config_;
  // Declared (so constructed, so laid out in the store) in PyTorch's state_dict order.
  MultiheadAttention self_attn_;
  Linear linear1_, linear2_;
  LayerNorm norm1_, norm2_;
};

}  // namespace fieldlab::nn
