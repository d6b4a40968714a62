#include "nn/layers/transformer_encoder_layer.hpp"

#include "nn/layers/layer.hpp"
#include "nn/ops.hpp"

namespace fieldlab::nn {

namespace {
const TransformerLayerConfig& checked(const TransformerLayerConfig& c) {
  validate(c, "transformer encoder layer");
  return c;
}
}  // namespace

TransformerEncoderLayer::TransformerEncoderLayer(ParameterStore& store, const std::string& prefix,
                                                 const TransformerLayerConfig& config)
    : config_(checked(config)),
      self_attn_(store, prefix + "self_attn.", config.d_model, config.heads, config.dropout),
      linear1_(store, prefix + "linear1.", config.d_model, config.dim_feedforward),
      linear2_(store, prefix + "linear2.", config.dim_feedforward, config.d_model),
      norm1_(store, prefix + "norm1.", config.d_model, config.layer_norm_eps),
      norm2_(store, prefix + "norm2.", config.d_model, config.layer_norm_eps) {}

void TransformerEncoderLayer::initialise(std::mt19937_64& rng) {
  self_attn_.initialise(rng);
  linear1_.initialise(rng);
  linear2_.initialise(rng);
  norm1_.initialise(rng);
  norm2_.initialise(rng);
}

std::int64_t TransformerEncoderLayer::parameter_count() const {
  return self_attn_.parameter_count() + linear1_.parameter_count() + linear2_.parameter_count() +
         norm1_.parameter_count() + norm2_.parameter_count();
}

Var TransformerEncoderLayer::forward(Graph& g, Var x, const AttentionMask& mask,
                                     std::mt19937_64* rng) const {
  const float p = config_.dropout;
  auto attention = [&](Var h) {
    return dropout_if_training(self_attn_.forward(g, h, mask, rng), p, rng);
  };
  auto ff = [&](Var h) {
    return dropout_if_training(feed_forward(g, config_, linear1_, linear2_, h, rng), p, rng);
  };
  if (config_.norm_first) {
    x = add(x, attention(norm1_.forward(g, x)));
    return add(x, ff(norm2_.forward(g, x)));
  }
  x = norm1_.forward(g, add(x, attention(x)));
  return norm2_.forward(g, add(x, ff(x)));
}

}  // namespace fieldlab::nn
